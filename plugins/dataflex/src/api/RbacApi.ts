import { createApiRef } from '@backstage/core-plugin-api';

/** How the DataFlex policy sees one user. @public */
export interface ResolvedUser {
  userEntityRef: string;
  isAdmin: boolean;
  /** The user and every group they belong to, directly or through parents. */
  claims: string[];
}

/** @public */
export interface RoleMapping {
  admins: string[];
  roles: { name: string; who: string; may: string }[];
  you: ResolvedUser;
}

/** @public */
export interface PermissionExplanation {
  permission: string;
  allowed: boolean;
  reasons: string[];
}

/** @public */
export interface Explanation {
  user: ResolvedUser;
  entityRef: string;
  permissions: PermissionExplanation[];
}

/**
 * The role mapping in effect and "why can't I see this?", served by the
 * DataFlex permission policy module under `/api/permission/dataflex`.
 *
 * @public
 */
export interface RbacApi {
  getRoles(): Promise<RoleMapping>;
  /** Explains a user's permissions on an entity; the caller by default. */
  explain(options: {
    entityRef: string;
    userEntityRef?: string;
  }): Promise<Explanation>;
}

/** @public */
export const rbacApiRef = createApiRef<RbacApi>({
  id: 'plugin.dataflex.rbac',
});
