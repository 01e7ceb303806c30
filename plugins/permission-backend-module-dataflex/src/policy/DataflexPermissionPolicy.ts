import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { DatasetSharingKeys } from '@dataflex/backstage-plugin-dataflex-node';
import { decide } from './decide';
import { RoleResolver } from './RoleResolver';

/**
 * Replaces allow-all with DataFlex's roles: admin, owner and viewer.
 */
export class DataflexPermissionPolicy implements PermissionPolicy {
  static create(options: {
    roles: RoleResolver;
    sharingKeys: DatasetSharingKeys;
  }): DataflexPermissionPolicy {
    return new DataflexPermissionPolicy(options.roles, options.sharingKeys);
  }

  private constructor(
    private readonly roles: RoleResolver,
    private readonly sharingKeys: DatasetSharingKeys,
  ) {}

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
      this.sharingKeys,
    );
  }
}
