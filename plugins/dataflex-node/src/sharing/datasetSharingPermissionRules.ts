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
 * Matches entities shared with one of the given grantee keys through a
 * `sharedWith` relation, which DataFlex's catalog module emits from private
 * datasets to the keys of their grant holders.
 *
 * The catalog indexes relations as `relations.<type>` (lower case) with the
 * target ref as value, so the rule is one indexed lookup in the query.
 */
const isSharedWith = createPermissionRule({
  name: 'IS_SHARED_WITH',
  description:
    'Allow entities shared through a sharedWith relation with one of the given grantee keys (those of a user and their groups)',
  resourceRef: catalogEntityPermissionResourceRef,
  paramsSchema: z.object({
    granteeKeys: z
      .array(z.string())
      .describe(
        'Grantee keys (DatasetSharingKeys) of the user and every group they belong to, directly or not',
      ),
  }),
  apply: (entity, { granteeKeys }) => {
    const wanted = new Set(lowerCase(granteeKeys));
    return (entity.relations ?? []).some(
      relation =>
        relation.type === RELATION_SHARED_WITH &&
        wanted.has(relation.targetRef.toLocaleLowerCase('en-US')),
    );
  },
  toQuery: ({ granteeKeys }) => ({
    key: `relations.${RELATION_SHARED_WITH}`,
    values: lowerCase(granteeKeys),
  }),
});

/**
 * The catalog permission rules for datasets shared through access grants,
 * which DataFlex's catalog module registers with the catalog.
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
 * `datasetSharingConditions.isSharedWith({ granteeKeys })` in a catalog
 * entity decision, next to `catalogConditions`, with the keys from
 * `datasetSharingKeysServiceRef`.
 *
 * @public
 */
export const datasetSharingConditions = conditions;
