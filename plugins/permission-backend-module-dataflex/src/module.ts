import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { DataflexPermissionPolicy } from './policy/DataflexPermissionPolicy';
import { RoleResolver } from './policy/RoleResolver';

/**
 * DataFlex's permission policy (admin / owner / viewer), replacing allow-all.
 *
 * @public
 */
export const permissionModuleDataflex = createBackendModule({
  pluginId: 'permission',
  moduleId: 'dataflex',
  register(reg) {
    reg.registerInit({
      deps: {
        policy: policyExtensionPoint,
        config: coreServices.rootConfig,
        auth: coreServices.auth,
        userInfo: coreServices.userInfo,
        catalog: catalogServiceRef,
      },
      async init({ policy, config, auth, userInfo, catalog }) {
        const roles = RoleResolver.create({
          admins: config.getOptionalStringArray('dataflex.rbac.admins') ?? [],
          auth,
          userInfo,
          catalog,
        });
        policy.setPolicy(DataflexPermissionPolicy.create({ roles }));
      },
    });
  },
});
