import {
  AuthorizeResult,
  isPermission,
  isResourcePermission,
  Permission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  catalogEntityDeletePermission,
  catalogLocationDeletePermission,
} from '@backstage/plugin-catalog-common/alpha';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import {
  accessGrantManagePermission,
  accessRequestCreatePermission,
  DATAFLEX_DATASET_RESOURCE_TYPE,
  DATASET_KIND,
  datasetContentReadPermission,
  datasetDeletePermission,
  datasetReadPermission,
  datasetUpdatePermission,
  datasetVersionCreatePermission,
} from '@dataflex/backstage-plugin-dataflex-common';
import {
  createDatasetConditionalDecision,
  datasetConditions,
  DatasetSharingKeys,
  datasetSharingConditions,
} from '@dataflex/backstage-plugin-dataflex-node';
import { ResolvedUser } from './RoleResolver';

const ALLOW: PolicyDecision = { result: AuthorizeResult.ALLOW };
const DENY: PolicyDecision = { result: AuthorizeResult.DENY };

/**
 * The DataFlex RBAC rules, as one pure function of the permission and the
 * resolved user (and the grantee keys of the backend, with which the catalog
 * module relates private datasets to their grant holders), so the policy and
 * the "why can't I see this?" explanation cannot disagree.
 *
 * - admin: everything.
 * - owner (member of the owning group, nested groups included): read, edit,
 *   upload to and grant access on what they own.
 * - grant holder (a user, or a member of a group, holding an active access
 *   grant): the dataset's metadata, even a private one's, and the content of
 *   the versions the grant covers.
 * - viewer (everyone signed in): public and open datasets' metadata, open
 *   datasets' content, everything in the catalog except private datasets;
 *   may ask for access to public datasets.
 */
export function decide(
  permission: Permission,
  user: ResolvedUser,
  sharingKeys: DatasetSharingKeys,
): PolicyDecision {
  if (user.isAdmin) {
    return ALLOW;
  }
  const { claims } = user;

  if (isResourcePermission(permission, DATAFLEX_DATASET_RESOURCE_TYPE)) {
    const owner = datasetConditions.isDatasetOwner({ claims });
    // Checked for one version, a grant counts only if it covers that version.
    const grantHolder = datasetConditions.hasDatasetGrant({ claims });
    if (isPermission(permission, datasetReadPermission)) {
      return createDatasetConditionalDecision(permission, {
        anyOf: [
          owner,
          datasetConditions.hasDatasetVisibility({
            visibilities: ['public', 'open'],
          }),
          grantHolder,
        ],
      });
    }
    if (isPermission(permission, datasetContentReadPermission)) {
      return createDatasetConditionalDecision(permission, {
        anyOf: [
          owner,
          datasetConditions.hasDatasetVisibility({ visibilities: ['open'] }),
          grantHolder,
        ],
      });
    }
    if (isPermission(permission, accessRequestCreatePermission)) {
      // Open datasets need no request; private ones are only shared directly.
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
    return DENY;
  }

  if (isResourcePermission(permission, 'catalog-entity')) {
    const owner = catalogConditions.isEntityOwner({ claims });
    if (isPermission(permission, catalogEntityDeletePermission)) {
      return createCatalogConditionalDecision(permission, owner);
    }
    // Reading (and refreshing) hides private datasets from everyone but
    // their owners and grant holders (the sharedWith relations to grantee
    // keys the catalog module keeps from DataFlex's grants); a Dataset
    // without spec.visibility is private.
    return createCatalogConditionalDecision(permission, {
      anyOf: [
        { not: catalogConditions.isEntityKind({ kinds: [DATASET_KIND] }) },
        owner,
        catalogConditions.hasSpec({ key: 'visibility', value: 'public' }),
        catalogConditions.hasSpec({ key: 'visibility', value: 'open' }),
        datasetSharingConditions.isSharedWith({
          granteeKeys: sharingKeys.granteeKeyRefsOf(claims),
        }),
      ],
    });
  }

  if (isPermission(permission, catalogLocationDeletePermission)) {
    return DENY;
  }

  return ALLOW;
}
