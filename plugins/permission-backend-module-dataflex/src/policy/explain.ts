import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  AuthorizeResult,
  Permission,
  PermissionCondition,
  PermissionCriteria,
} from '@backstage/plugin-permission-common';
import {
  catalogEntityDeletePermission,
  catalogEntityReadPermission,
} from '@backstage/plugin-catalog-common/alpha';
import { permissionRules as catalogRules } from '@backstage/plugin-catalog-backend/alpha';
import {
  accessGrantManagePermission,
  accessRequestCreatePermission,
  datasetContentReadPermission,
  datasetReadPermission,
  datasetUpdatePermission,
  datasetVersionCreatePermission,
  getDatasetVisibility,
  isDatasetEntity,
} from '@dataflex/backstage-plugin-dataflex-common';
import {
  DatasetPermissionResource,
  datasetPermissionRules,
  DatasetSharingKeys,
  datasetSharingPermissionRules,
} from '@dataflex/backstage-plugin-dataflex-node';
import { decide } from './decide';
import { ResolvedUser } from './RoleResolver';

/** The answer to "may this user do this to this entity, and why?". */
export interface PermissionExplanation {
  permission: string;
  allowed: boolean;
  reasons: string[];
}

type Rule = { name: string; apply(resource: any, params: any): boolean };
const rules = new Map<string, Rule>(
  [
    ...Object.values(catalogRules),
    ...Object.values(datasetSharingPermissionRules),
    ...Object.values(datasetPermissionRules),
  ].map(r => [r.name, r]),
);

/**
 * Evaluates the policy for one user on one entity, permission by permission,
 * and says in words which rule decided.
 */
export function explain(
  user: ResolvedUser,
  entity: Entity,
  sharingKeys: DatasetSharingKeys,
): PermissionExplanation[] {
  const permissions: Permission[] = [
    catalogEntityReadPermission,
    catalogEntityDeletePermission,
  ];
  let dataset: DatasetPermissionResource | undefined;
  if (isDatasetEntity(entity)) {
    permissions.push(
      datasetReadPermission,
      datasetContentReadPermission,
      datasetUpdatePermission,
      datasetVersionCreatePermission,
      accessRequestCreatePermission,
      accessGrantManagePermission,
    );
    dataset = {
      ref: stringifyEntityRef(entity),
      owner: stringifyEntityRef(
        parseEntityRef(entity.spec.owner, {
          defaultKind: 'group',
          defaultNamespace: entity.metadata.namespace ?? 'default',
        }),
      ).toLocaleLowerCase('en-US'),
      visibility: getDatasetVisibility(entity),
    };
  }

  return permissions.map(permission => {
    const decision = decide(permission, user, sharingKeys);
    if (decision.result === AuthorizeResult.ALLOW) {
      return {
        permission: permission.name,
        allowed: true,
        reasons: [
          user.isAdmin
            ? 'you are an admin (dataflex.rbac.admins)'
            : 'every signed-in user may',
        ],
      };
    }
    if (decision.result !== AuthorizeResult.CONDITIONAL) {
      return {
        permission: permission.name,
        allowed: false,
        reasons: ['only admins may'],
      };
    }
    const resource =
      decision.resourceType === 'catalog-entity' ? entity : dataset;
    const reasons: string[] = [];
    const allowed = evaluate(decision.conditions, resource, user, reasons);
    return { permission: permission.name, allowed, reasons };
  });
}

function evaluate(
  criteria: PermissionCriteria<PermissionCondition>,
  resource: unknown,
  user: ResolvedUser,
  reasons: string[],
): boolean {
  if ('anyOf' in criteria) {
    const results = criteria.anyOf.map(c => evaluate(c, resource, user, []));
    const matched = criteria.anyOf.filter((_, i) => results[i]);
    // Explain the branches that allowed it, or every branch that failed.
    for (const c of matched.length ? matched : criteria.anyOf) {
      evaluate(c, resource, user, reasons);
    }
    return matched.length > 0;
  }
  if ('allOf' in criteria) {
    return criteria.allOf
      .map(c => evaluate(c, resource, user, reasons))
      .every(Boolean);
  }
  if ('not' in criteria) {
    // The inner condition's own description says why the negation holds or not.
    return !evaluate(criteria.not, resource, user, reasons);
  }
  const rule = rules.get(criteria.rule);
  const result = rule ? rule.apply(resource, criteria.params) : false;
  reasons.push(describe(criteria, result, resource, user));
  return result;
}

function describe(
  condition: PermissionCondition,
  result: boolean,
  resource: any,
  user: ResolvedUser,
): string {
  const params = condition.params as Record<string, any>;
  switch (condition.rule) {
    case 'IS_ENTITY_OWNER':
    case 'IS_DATASET_OWNER': {
      const owner =
        condition.rule === 'IS_DATASET_OWNER'
          ? resource?.owner
          : resource?.relations?.find((r: any) => r.type === 'ownedBy')
              ?.targetRef;
      return result
        ? `you are an owner: ${owner} is one of your groups (${user.claims.join(
            ', ',
          )})`
        : `you are not an owner: ${
            owner ?? 'no owner'
          } is not one of your groups (${user.claims.join(', ')})`;
    }
    case 'IS_SHARED_WITH':
      return result
        ? 'you hold a grant: the dataset is shared with you, or one of your groups, by an access grant'
        : 'you hold no grant: the dataset is not shared with you or your groups by any access grant';
    case 'HAS_DATASET_GRANT':
      return result
        ? 'you hold an active access grant on the dataset, yourself or through one of your groups'
        : 'you hold no active access grant on the dataset';
    case 'HAS_DATASET_VISIBILITY':
      return `the dataset's visibility is ${resource?.visibility}, ${
        result ? '' : 'not '
      }one of ${params.visibilities.join(', ')}`;
    case 'HAS_SPEC':
      return `spec.${params.key} is ${result ? '' : 'not '}${params.value}`;
    case 'IS_ENTITY_KIND':
      return `the entity is ${result ? '' : 'not '}a ${params.kinds.join(
        ' or ',
      )}`;
    default:
      return `${condition.rule} ${result ? 'matched' : 'did not match'}`;
  }
}
