import { PermissionCriteria } from '@backstage/plugin-permission-common';
import {
  isAndCriteria,
  isNotCriteria,
  isOrCriteria,
} from '@backstage/plugin-permission-node';
import { DatasetPermissionQuery } from '@dataflex/backstage-plugin-dataflex-node';
import { Knex } from 'knex';

/**
 * Adds permission conditions, as translated by the dataset rules' `toQuery`,
 * to a query over `datasets` (aliased `alias`) as one parenthesised where
 * clause. Empty `anyOf` matches nothing and empty `allOf` everything, as in
 * the permission framework.
 */
export function applyDatasetFilter(
  query: Knex.QueryBuilder,
  filter: PermissionCriteria<DatasetPermissionQuery>,
  alias: string,
): void {
  query.where(toWhere(filter, alias));
}

function toWhere(
  criteria: PermissionCriteria<DatasetPermissionQuery>,
  alias: string,
): Knex.QueryCallback {
  if (isAndCriteria(criteria)) {
    return qb => {
      if (criteria.allOf.length === 0) {
        qb.whereRaw('1 = 1');
      }
      for (const inner of criteria.allOf) {
        qb.where(toWhere(inner, alias));
      }
    };
  }
  if (isOrCriteria(criteria)) {
    return qb => {
      if (criteria.anyOf.length === 0) {
        qb.whereRaw('1 = 0');
      }
      for (const inner of criteria.anyOf) {
        qb.orWhere(toWhere(inner, alias));
      }
    };
  }
  if (isNotCriteria(criteria)) {
    return qb => {
      qb.whereNot(toWhere(criteria.not, alias));
    };
  }
  const { property, values } = criteria;
  if (property !== 'owner' && property !== 'visibility') {
    throw new Error(`Unknown dataset permission property '${property}'`);
  }
  return qb => {
    if (values.length === 0) {
      qb.whereRaw('1 = 0');
    } else {
      qb.whereIn(`${alias}.${property}`, values);
    }
  };
}
