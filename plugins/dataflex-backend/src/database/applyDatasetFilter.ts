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
 * the permission framework. A `grantee` condition matches datasets with an
 * active grant (not revoked, not past its end at query time) held by one of
 * its values.
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
  if (values.length === 0) {
    return qb => {
      qb.whereRaw('1 = 0');
    };
  }
  if (property === 'grantee') {
    return qb => {
      qb.whereExists(grants =>
        activeGrants(
          grants.select('g.id').from({ g: 'access_grants' }),
          'g',
          new Date(),
        )
          .whereRaw('?? = ??', ['g.dataset_id', `${alias}.id`])
          .whereIn('g.grantee', values),
      );
    };
  }
  if (property !== 'owner' && property !== 'visibility') {
    throw new Error(`Unknown dataset permission property '${property}'`);
  }
  return qb => {
    qb.whereIn(`${alias}.${property}`, values);
  };
}

/**
 * Narrows a query over `access_grants` (aliased `alias`, or not aliased) to
 * the grants that work at `now`: not revoked, and without an end or ending
 * later.
 */
export function activeGrants<T extends Knex.QueryBuilder>(
  query: T,
  alias: string | undefined,
  now: Date,
): T {
  const column = (name: string) => (alias ? `${alias}.${name}` : name);
  query
    .whereNull(column('revoked_at'))
    .where(qb =>
      qb.whereNull(column('ends_at')).orWhere(column('ends_at'), '>', now),
    );
  return query;
}
