import { ProfileVisibility } from './schema/openapi';

/**
 * The types of the profile API, generated from the backend's OpenAPI spec
 * (`plugins/dataflex-backend/src/schema/openapi.yaml`).
 */
export type {
  OwnerProfiles,
  Profile,
  ProfileFieldVisibility,
  ProfileVisibility,
  PublicProfile,
  UpdateProfileRequest,
} from './schema/openapi';

/**
 * A profile field whose visibility its user chooses.
 *
 * @public
 */
export type ProfileField = keyof ProfileVisibility;

/**
 * Every profile field with a visibility, in the order forms show them.
 *
 * @public
 */
export const PROFILE_FIELDS: readonly ProfileField[] = [
  'displayName',
  'bio',
  'organization',
  'skills',
];

/**
 * The limits the backend enforces on a profile, in Unicode code points, for
 * forms to check before sending.
 *
 * @public
 */
export const PROFILE_LIMITS = {
  displayNameMaxLength: 100,
  bioMaxLength: 2000,
  organizationMaxLength: 200,
  maxSkills: 30,
  skillMaxLength: 50,
} as const;
