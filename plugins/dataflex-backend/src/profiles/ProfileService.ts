import {
  BackstageCredentials,
  BackstageUserPrincipal,
} from '@backstage/backend-plugin-api';
import {
  DEFAULT_NAMESPACE,
  Entity,
  parseEntityRef,
  RELATION_HAS_MEMBER,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  OwnerProfiles,
  Profile,
  PROFILE_FIELDS,
  PROFILE_LIMITS,
  ProfileField,
  PublicProfile,
} from '@dataflex/backstage-plugin-dataflex-common';
import { z } from 'zod';
import { ProfileRecord, ProfileStore, ProfileVisibility } from './ProfileStore';

type UserCredentials = BackstageCredentials<BackstageUserPrincipal>;

/**
 * Until a user saves their profile only the display name, which the catalog
 * shows anyway, is public; everything else they add stays private until they
 * choose otherwise.
 */
export const DEFAULT_PROFILE_VISIBILITY: ProfileVisibility = {
  displayName: 'public',
  bio: 'private',
  organization: 'private',
  skills: 'private',
};

/** The most profiles an owner card gets for one group. */
export const MAX_OWNER_PROFILES = 50;

const USER_FIELDS = [
  'kind',
  'metadata.name',
  'metadata.namespace',
  'spec.profile.displayName',
];

// Letters, marks, numbers, punctuation, symbols and plain spaces: no control,
// format (e.g. direction overrides) or line-breaking characters in one-line
// fields that other people's pages show.
const ONE_LINE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]*$/u;
// The bio may have line breaks and tabs besides.
const MULTI_LINE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} \t\r\n]*$/u;

/** Counts characters as people (and the OpenAPI validator) do, not UTF-16 units. */
function length(value: string): number {
  return [...value].length;
}

function text(options: { max: number; min?: number; pattern: RegExp }) {
  const { max, min = 0, pattern } = options;
  return z
    .string()
    .trim()
    .superRefine((value, ctx) => {
      const n = length(value);
      if (n < min) {
        ctx.addIssue({ code: 'custom', message: 'must not be empty' });
      } else if (n > max) {
        ctx.addIssue({
          code: 'custom',
          message: `must be at most ${max} characters, not ${n}`,
        });
      } else if (!pattern.test(value)) {
        ctx.addIssue({
          code: 'custom',
          message:
            'must not contain control or invisible formatting characters',
        });
      }
    });
}

const fieldVisibility = z.enum(['public', 'private'], {
  error: 'must be public or private',
});

const updateSchema = z.strictObject({
  displayName: text({
    min: 1,
    max: PROFILE_LIMITS.displayNameMaxLength,
    pattern: ONE_LINE,
  }),
  bio: text({ max: PROFILE_LIMITS.bioMaxLength, pattern: MULTI_LINE })
    .optional()
    .transform(emptyToUndefined),
  organization: text({
    max: PROFILE_LIMITS.organizationMaxLength,
    pattern: ONE_LINE,
  })
    .optional()
    .transform(emptyToUndefined),
  skills: z
    .array(
      text({ min: 1, max: PROFILE_LIMITS.skillMaxLength, pattern: ONE_LINE }),
    )
    .max(PROFILE_LIMITS.maxSkills, {
      message: `at most ${PROFILE_LIMITS.maxSkills} skills`,
    })
    .default([])
    .transform(uniqueIgnoringCase),
  visibility: z.strictObject({
    displayName: fieldVisibility,
    bio: fieldVisibility,
    organization: fieldVisibility,
    skills: fieldVisibility,
  }),
});

function emptyToUndefined(value: string | undefined): string | undefined {
  return value ? value : undefined;
}

function uniqueIgnoringCase(skills: string[]): string[] {
  const seen = new Set<string>();
  return skills.filter(skill => {
    const key = skill.toLocaleLowerCase('en-US');
    if (seen.has(key)) {
      return false;
    }
    seen.add(key);
    return true;
  });
}

/**
 * Profiles of catalog users: each user reads and replaces their own, and
 * everyone else gets only the fields the user made public. Other users are
 * looked up in the catalog with the caller's credentials, so a user the
 * catalog hides from the caller has no profile for them either.
 */
export class ProfileService {
  static create(options: {
    store: ProfileStore;
    catalog: CatalogService;
  }): ProfileService {
    return new ProfileService(options.store, options.catalog);
  }

  private constructor(
    private readonly store: ProfileStore,
    private readonly catalog: CatalogService,
  ) {}

  /** The caller's own profile, every field included. */
  async getOwn(credentials: UserCredentials): Promise<Profile> {
    const userEntityRef = normalize(credentials.principal.userEntityRef);
    const stored = await this.store.getProfile(userEntityRef);
    if (stored) {
      return toProfile(stored);
    }
    const entity = await this.catalog.getEntityByRef(userEntityRef, {
      credentials,
    });
    return {
      userEntityRef,
      displayName: catalogDisplayName(userEntityRef, entity),
      skills: [],
      visibility: { ...DEFAULT_PROFILE_VISIBILITY },
    };
  }

  /**
   * Replaces the caller's profile. Returns it with the fields whose value or
   * visibility changed, for the audit log.
   */
  async updateOwn(
    credentials: UserCredentials,
    body: unknown,
  ): Promise<{ profile: Profile; changed: ProfileField[] }> {
    const input = parse(body);
    const userEntityRef = normalize(credentials.principal.userEntityRef);
    const before = await this.store.getProfile(userEntityRef);
    const saved = await this.store.saveProfile({ userEntityRef, ...input });
    const changed = PROFILE_FIELDS.filter(
      field =>
        !before ||
        JSON.stringify(before[field]) !== JSON.stringify(saved[field]) ||
        before.visibility[field] !== saved.visibility[field],
    );
    return { profile: toProfile(saved), changed };
  }

  /** Another user's profile as anyone but that user may see it. */
  async getPublic(
    credentials: UserCredentials,
    ref: { namespace: string; name: string },
  ): Promise<PublicProfile> {
    const userEntityRef = normalize(
      stringifyEntityRef({ kind: 'user', ...ref }),
    );
    const entity = await this.catalog.getEntityByRef(userEntityRef, {
      credentials,
    });
    if (!entity || entity.kind.toLocaleLowerCase('en-US') !== 'user') {
      throw new NotFoundError(
        `There is no user '${ref.namespace}/${ref.name}' in the catalog`,
      );
    }
    const stored = await this.store.getProfile(userEntityRef);
    return toPublicProfile(userEntityRef, entity, stored);
  }

  /**
   * The public profiles behind an owner: the user, or the direct members of
   * the group, that the caller can see in the catalog.
   */
  async getByOwner(
    credentials: UserCredentials,
    ownerRef: string,
  ): Promise<OwnerProfiles> {
    const owner = parseOwnerRef(ownerRef);
    const entity = await this.catalog.getEntityByRef(owner, { credentials });
    if (!entity || entity.kind.toLocaleLowerCase('en-US') !== kindOf(owner)) {
      throw new NotFoundError(
        `There is no ${kindOf(owner)} '${ownerRef}' in the catalog`,
      );
    }
    if (kindOf(owner) === 'user') {
      const stored = await this.store.getProfile(owner);
      return {
        owner,
        items: [toPublicProfile(owner, entity, stored)],
        truncated: false,
      };
    }

    const members = [
      ...new Set(
        (entity.relations ?? [])
          .filter(r => r.type === RELATION_HAS_MEMBER)
          .map(r => normalize(r.targetRef))
          .filter(ref => kindOf(ref) === 'user'),
      ),
    ].sort();
    const wanted = members.slice(0, MAX_OWNER_PROFILES);
    const { items: users } = await this.catalog.getEntitiesByRefs(
      { entityRefs: wanted, fields: USER_FIELDS },
      { credentials },
    );
    const visible = wanted.flatMap((ref, i) => {
      const user = users[i];
      return user ? [{ ref, user }] : [];
    });
    const stored = new Map(
      (await this.store.getProfiles(visible.map(v => v.ref))).map(p => [
        p.userEntityRef,
        p,
      ]),
    );
    return {
      owner,
      items: visible.map(({ ref, user }) =>
        toPublicProfile(ref, user, stored.get(ref)),
      ),
      truncated: members.length > wanted.length,
    };
  }
}

function parse(body: unknown): z.output<typeof updateSchema> {
  const result = updateSchema.safeParse(body);
  if (!result.success) {
    throw new InputError(
      result.error.issues
        .map(issue =>
          issue.path.length
            ? `${issue.path.join('.')}: ${issue.message}`
            : issue.message,
        )
        .join('; '),
    );
  }
  return result.data;
}

function parseOwnerRef(value: string): string {
  let ref;
  try {
    ref = parseEntityRef(value, {
      defaultKind: 'group',
      defaultNamespace: DEFAULT_NAMESPACE,
    });
  } catch {
    throw new InputError(
      `entityRef: '${value}' is not an entity ref like group:default/data-platform`,
    );
  }
  const kind = ref.kind.toLocaleLowerCase('en-US');
  if (kind !== 'group' && kind !== 'user') {
    throw new InputError(
      `entityRef: owners are groups or users, not a ${ref.kind}`,
    );
  }
  return normalize(stringifyEntityRef(ref));
}

function normalize(ref: string): string {
  return ref.toLocaleLowerCase('en-US');
}

function kindOf(ref: string): string {
  return ref.slice(0, ref.indexOf(':'));
}

function catalogDisplayName(userEntityRef: string, entity?: Entity): string {
  const fromCatalog = (
    entity?.spec?.profile as { displayName?: unknown } | undefined
  )?.displayName;
  if (typeof fromCatalog === 'string' && fromCatalog.trim()) {
    return fromCatalog.trim();
  }
  return parseEntityRef(userEntityRef).name;
}

function toProfile(record: ProfileRecord): Profile {
  return {
    userEntityRef: record.userEntityRef,
    displayName: record.displayName,
    ...(record.bio ? { bio: record.bio } : {}),
    ...(record.organization ? { organization: record.organization } : {}),
    skills: record.skills,
    visibility: record.visibility,
    updatedAt: record.updatedAt,
  };
}

/**
 * Builds the public view field by field from what the user made public, so
 * a private field is never copied into it, whatever the record holds.
 */
function toPublicProfile(
  userEntityRef: string,
  entity: Entity,
  stored: ProfileRecord | undefined,
): PublicProfile {
  if (!stored) {
    return {
      userEntityRef,
      displayName: catalogDisplayName(userEntityRef, entity),
    };
  }
  const shown = (field: ProfileField) => stored.visibility[field] === 'public';
  const profile: PublicProfile = { userEntityRef };
  if (shown('displayName')) {
    profile.displayName = stored.displayName;
  }
  if (shown('bio') && stored.bio) {
    profile.bio = stored.bio;
  }
  if (shown('organization') && stored.organization) {
    profile.organization = stored.organization;
  }
  if (shown('skills') && stored.skills.length > 0) {
    profile.skills = stored.skills;
  }
  return profile;
}
