import { catalogEntityPermissionResourceRef } from '@backstage/plugin-catalog-node/alpha';
import {
  createConditionExports,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import { RELATION_SHARED_WITH } from '@dataflex/backstage-plugin-dataflex-common';
import { z } from 'zod';

const lowerCase = (refs: string[]) =>
  refs.map(ref => ref.toLocaleLowerCase('en-US'));

/**
 * Matches entities shared with one of the given users or groups through a
 * `sharedWith` relation, which DataFlex's catalog module emits from private
 * datasets to their grant holders.
 *
 * The catalog indexes relations as `relations.<type>` (lower case) with the
 * target ref as value, so the rule is one indexed lookup in the query.
 */
const isSharedWith = createPermissionRule({
  name: 'IS_SHARED_WITH',
  description:
    'Allow entities shared with one of the given entities (a grant holder) through a sharedWith relation',
  resourceRef: catalogEntityPermissionResourceRef,
  paramsSchema: z.object({
    claims: z
      .array(z.string())
      .describe(
        'Entity refs of the user and every group they belong to, directly or not',
      ),
  }),
  apply: (entity, { claims }) => {
    const wanted = new Set(lowerCase(claims));
    return (entity.relations ?? []).some(
      relation =>
        relation.type === RELATION_SHARED_WITH &&
        wanted.has(relation.targetRef.toLocaleLowerCase('en-US')),
    );
  },
  toQuery: ({ claims }) => ({
    key: `relations.${RELATION_SHARED_WITH}`,
    values: lowerCase(claims),
  }),
});

/**
 * The catalog permission rules this module registers with the catalog.
 *
 * @public
 */
export const datasetSharingPermissionRules = { isSharedWith };

const { conditions } = createConditionExports({
  resourceRef: catalogEntityPermissionResourceRef,
  rules: datasetSharingPermissionRules,
});

/**
 * Condition factories for permission policies, e.g.
 * `datasetSharingConditions.isSharedWith({ claims })` in a catalog
 * entity decision, next to `catalogConditions`.
 *
 * @public
 */
export const datasetSharingConditions = conditions;
