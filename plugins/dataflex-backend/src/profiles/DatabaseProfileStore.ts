import {
  PROFILE_FIELDS,
  ProfileField,
} from '@dataflex/backstage-plugin-dataflex-common';
import { Knex } from 'knex';
import { toIsoString } from '../database/toIsoString';
import {
  ProfileRecord,
  ProfileStore,
  ProfileVisibility,
  SaveProfileOptions,
} from './ProfileStore';

interface ProfileRow {
  user_entity_ref: string;
  display_name: string;
  bio: string | null;
  organization: string | null;
  skills: string;
  field_visibility: string;
  updated_at: Date | string;
}

/**
 * Profiles in the plugin's database. The table comes with the plugin's
 * migrations, which `DatabaseDatasetStore.create` runs.
 */
export class DatabaseProfileStore implements ProfileStore {
  static create(options: { knex: Knex }): DatabaseProfileStore {
    return new DatabaseProfileStore(options.knex);
  }

  private constructor(private readonly db: Knex) {}

  async getProfile(userEntityRef: string): Promise<ProfileRecord | undefined> {
    const row = await this.db<ProfileRow>('profiles')
      .where({ user_entity_ref: userEntityRef })
      .first();
    return row ? toRecord(row) : undefined;
  }

  async getProfiles(userEntityRefs: string[]): Promise<ProfileRecord[]> {
    if (userEntityRefs.length === 0) {
      return [];
    }
    const rows = await this.db<ProfileRow>('profiles').whereIn(
      'user_entity_ref',
      userEntityRefs,
    );
    return rows.map(toRecord);
  }

  async saveProfile(profile: SaveProfileOptions): Promise<ProfileRecord> {
    const row: ProfileRow = {
      user_entity_ref: profile.userEntityRef,
      display_name: profile.displayName,
      bio: profile.bio || null,
      organization: profile.organization || null,
      skills: JSON.stringify(profile.skills),
      field_visibility: JSON.stringify(profile.visibility),
      updated_at: new Date(),
    };
    await this.db<ProfileRow>('profiles')
      .insert(row)
      .onConflict('user_entity_ref')
      .merge();
    return toRecord(row);
  }
}

function toRecord(row: ProfileRow): ProfileRecord {
  return {
    userEntityRef: row.user_entity_ref,
    displayName: row.display_name,
    bio: row.bio ?? undefined,
    organization: row.organization ?? undefined,
    skills: JSON.parse(row.skills),
    visibility: readVisibility(row.field_visibility),
    updatedAt: toIsoString(row.updated_at),
  };
}

// Anything but an explicit `public` is private, so a field added later, or a
// row written by hand, is never shown by accident.
function readVisibility(json: string): ProfileVisibility {
  const stored = JSON.parse(json) as Partial<Record<ProfileField, unknown>>;
  return Object.fromEntries(
    PROFILE_FIELDS.map(field => [
      field,
      stored[field] === 'public' ? 'public' : 'private',
    ]),
  ) as ProfileVisibility;
}
