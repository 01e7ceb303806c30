import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  isPermission,
  isResourcePermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  accessGrantManagePermission,
  accessRequestCreatePermission,
  DATAFLEX_DATASET_RESOURCE_TYPE,
  datasetContentReadPermission,
  datasetCreatePermission,
  datasetDeletePermission,
  datasetReadPermission,
  datasetUpdatePermission,
  datasetVersionCreatePermission,
  demoRunPermission,
} from '@dataflex/backstage-plugin-dataflex-common';
import {
  createDatasetConditionalDecision,
  datasetConditions,
} from '@dataflex/backstage-plugin-dataflex-node';

/** The user the test policy allows everything. */
export const TEST_ADMIN = 'user:default/admin';

/**
 * A small stand-in for the DataFlex RBAC policy, so these tests exercise
 * real conditional decisions through the real permission backend:
 * owners may do everything with their datasets (managing access included),
 * everyone may see public and open ones, read the content of open ones and
 * ask for access to public ones, anyone may create datasets and run demos.
 */
class TestDataflexPolicy implements PermissionPolicy {
  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    if (!user) {
      return { result: AuthorizeResult.DENY };
    }
    if (user.info.userEntityRef === TEST_ADMIN) {
      return { result: AuthorizeResult.ALLOW };
    }
    const { permission } = request;
    if (
      isPermission(permission, datasetCreatePermission) ||
      isPermission(permission, demoRunPermission)
    ) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (!isResourcePermission(permission, DATAFLEX_DATASET_RESOURCE_TYPE)) {
      return { result: AuthorizeResult.DENY };
    }
    const owner = datasetConditions.isDatasetOwner({
      claims: user.info.ownershipEntityRefs,
    });
    if (isPermission(permission, datasetReadPermission)) {
      return createDatasetConditionalDecision(permission, {
        anyOf: [
          owner,
          datasetConditions.hasDatasetVisibility({
            visibilities: ['public', 'open'],
          }),
        ],
      });
    }
    if (isPermission(permission, datasetContentReadPermission)) {
      return createDatasetConditionalDecision(permission, {
        anyOf: [
          owner,
          datasetConditions.hasDatasetVisibility({ visibilities: ['open'] }),
        ],
      });
    }
    if (isPermission(permission, accessRequestCreatePermission)) {
      return createDatasetConditionalDecision(
        permission,
        datasetConditions.hasDatasetVisibility({ visibilities: ['public'] }),
      );
    }
    if (
      isPermission(permission, datasetUpdatePermission) ||
      isPermission(permission, datasetDeletePermission) ||
      isPermission(permission, datasetVersionCreatePermission) ||
      isPermission(permission, accessGrantManagePermission)
    ) {
      return createDatasetConditionalDecision(permission, owner);
    }
    return { result: AuthorizeResult.DENY };
  }
}

/** Installs {@link TestDataflexPolicy} in the permission backend. */
export const testPermissionPolicyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'dataflex-test-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy(new TestDataflexPolicy());
      },
    });
  },
});
