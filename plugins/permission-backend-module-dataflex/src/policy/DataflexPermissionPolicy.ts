import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { decide } from './decide';
import { RoleResolver } from './RoleResolver';

/**
 * Replaces allow-all with DataFlex's roles: admin, owner and viewer.
 */
export class DataflexPermissionPolicy implements PermissionPolicy {
  static create(options: { roles: RoleResolver }): DataflexPermissionPolicy {
    return new DataflexPermissionPolicy(options.roles);
  }

  private constructor(private readonly roles: RoleResolver) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (!user) {
      return { result: AuthorizeResult.DENY };
    }
    return decide(
      request.permission,
      await this.roles.resolve(user.credentials),
    );
  }
}
