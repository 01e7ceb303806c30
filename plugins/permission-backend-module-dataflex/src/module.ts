import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { datasetSharingKeysServiceRef } from '@dataflex/backstage-plugin-dataflex-node';
import { DataflexPermissionPolicy } from './policy/DataflexPermissionPolicy';
import { RoleResolver } from './policy/RoleResolver';
import { createRbacRouter } from './service/createRbacRouter';

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
        httpAuth: coreServices.httpAuth,
        httpRouter: coreServices.httpRouter,
        sharingKeys: datasetSharingKeysServiceRef,
      },
      async init({
        policy,
        config,
        auth,
        userInfo,
        catalog,
        httpAuth,
        httpRouter,
        sharingKeys,
      }) {
        const roles = RoleResolver.create({
          admins: config.getOptionalStringArray('dataflex.rbac.admins') ?? [],
          auth,
          userInfo,
          catalog,
        });
        policy.setPolicy(
          DataflexPermissionPolicy.create({ roles, sharingKeys }),
        );
        httpRouter.use(
          await createRbacRouter({
            roles,
            catalog,
            auth,
            httpAuth,
            sharingKeys,
          }),
        );
      },
    });
  },
});
