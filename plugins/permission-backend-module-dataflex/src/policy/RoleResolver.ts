import {
  AuthService,
  BackstageCredentials,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  GroupEntity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { CatalogService } from '@backstage/plugin-catalog-node';

/** The role a user holds in DataFlex, plus what their ownership rests on. */
export interface ResolvedUser {
  userEntityRef: string;
  /** Admins may do everything, everywhere. */
  isAdmin: boolean;
  /**
   * The user and every group they belong to, directly or through nested
   * groups: an entity owned by any of these is owned by the user.
   */
  claims: string[];
}

export interface RoleResolverOptions {
  /** Entity refs (users or groups) configured as admins. */
  admins: string[];
  catalog: CatalogService;
  auth: AuthService;
  userInfo: UserInfoService;
  /** How long a group's ancestry is reused before asking the catalog again. */
  cacheTtlMs?: number;
}

const normalize = (ref: string) =>
  stringifyEntityRef(
    parseEntityRef(ref, { defaultKind: 'group' }),
  ).toLocaleLowerCase('en-US');

/**
 * Resolves who a user is for the DataFlex policy: their claims, expanded to
 * ancestor groups through the catalog (`spec.parent`), and whether any of
 * them is a configured admin.
 */
export class RoleResolver {
  private readonly admins: Set<string>;
  private readonly parents = new Map<
    string,
    { parent?: string; expires: number }
  >();
  private readonly cacheTtlMs: number;

  static create(options: RoleResolverOptions): RoleResolver {
    return new RoleResolver(options);
  }

  private constructor(private readonly options: RoleResolverOptions) {
    this.admins = new Set(options.admins.map(normalize));
    this.cacheTtlMs = options.cacheTtlMs ?? 60_000;
  }

  get adminRefs(): string[] {
    return [...this.admins];
  }

  async resolve(credentials: BackstageCredentials): Promise<ResolvedUser> {
    const info = await this.options.userInfo.getUserInfo(credentials);
    return this.resolveRefs(info.userEntityRef, info.ownershipEntityRefs);
  }

  /** Resolves a user from their refs, e.g. to explain another user's access. */
  async resolveRefs(
    userEntityRef: string,
    ownershipEntityRefs: string[],
  ): Promise<ResolvedUser> {
    const claims = new Set<string>([normalize(userEntityRef)]);
    for (const ref of ownershipEntityRefs) {
      for (const ancestor of await this.withAncestors(normalize(ref))) {
        claims.add(ancestor);
      }
    }
    return {
      userEntityRef: normalize(userEntityRef),
      isAdmin: [...claims].some(claim => this.admins.has(claim)),
      claims: [...claims],
    };
  }

  private async withAncestors(groupRef: string): Promise<string[]> {
    const chain: string[] = [];
    let current: string | undefined = groupRef;
    // A cycle in spec.parent is invalid catalog data; stop rather than loop.
    while (current && !chain.includes(current)) {
      chain.push(current);
      current =
        parseEntityRef(current).kind === 'group'
          ? await this.parentOf(current)
          : undefined;
    }
    return chain;
  }

  private async parentOf(groupRef: string): Promise<string | undefined> {
    const cached = this.parents.get(groupRef);
    if (cached && cached.expires > Date.now()) {
      return cached.parent;
    }
    const entity: Entity | undefined =
      await this.options.catalog.getEntityByRef(groupRef, {
        credentials: await this.options.auth.getOwnServiceCredentials(),
      });
    const parentName = (entity as GroupEntity | undefined)?.spec?.parent;
    const parent = parentName
      ? normalize(
          stringifyEntityRef(
            parseEntityRef(parentName, {
              defaultKind: 'group',
              defaultNamespace: parseEntityRef(groupRef).namespace,
            }),
          ),
        )
      : undefined;
    this.parents.set(groupRef, {
      parent,
      expires: Date.now() + this.cacheTtlMs,
    });
    return parent;
  }
}
