import { createApiRef } from '@backstage/core-plugin-api';
import {
  OwnerProfiles,
  Profile,
  PublicProfile,
  UpdateProfileRequest,
} from '@dataflex/backstage-plugin-dataflex-common';

/**
 * User profiles, served by the DataFlex backend under
 * `/api/dataflex/profiles`.
 *
 * @public
 */
export interface ProfileApi {
  /** The signed-in user's profile, private fields included. */
  getMyProfile(): Promise<Profile>;
  /** Replaces the signed-in user's profile as a whole. */
  updateMyProfile(request: UpdateProfileRequest): Promise<Profile>;
  /** Another user's profile: only what they made public. */
  getProfile(ref: { namespace: string; name: string }): Promise<PublicProfile>;
  /**
   * The public profiles behind an owner: the user, or the members of the
   * group.
   */
  getOwnerProfiles(ownerEntityRef: string): Promise<OwnerProfiles>;
}

/** @public */
export const profileApiRef = createApiRef<ProfileApi>({
  id: 'plugin.dataflex.profile',
});
