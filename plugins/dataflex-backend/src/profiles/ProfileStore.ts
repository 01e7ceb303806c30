import {
  ProfileField,
  ProfileFieldVisibility,
} from '@dataflex/backstage-plugin-dataflex-common';

/** Who may see each field of a profile. */
export type ProfileVisibility = Record<ProfileField, ProfileFieldVisibility>;

/** A profile as DataFlex stores it. */
export interface ProfileRecord {
  /** Entity ref of the catalog User, lower case. */
  userEntityRef: string;
  displayName: string;
  bio?: string;
  organization?: string;
  skills: string[];
  visibility: ProfileVisibility;
  /** ISO 8601 time of the last save. */
  updatedAt: string;
}

export type SaveProfileOptions = Omit<ProfileRecord, 'updatedAt'>;

export interface ProfileStore {
  getProfile(userEntityRef: string): Promise<ProfileRecord | undefined>;
  /** The stored profiles among these users, in no particular order. */
  getProfiles(userEntityRefs: string[]): Promise<ProfileRecord[]>;
  /** Creates or replaces the user's profile as a whole. */
  saveProfile(profile: SaveProfileOptions): Promise<ProfileRecord>;
}
