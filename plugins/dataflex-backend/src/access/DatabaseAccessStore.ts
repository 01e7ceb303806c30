import { randomUUID } from 'node:crypto';
import { ConflictError } from '@backstage/errors';
import { DatasetPermissionGrant } from '@dataflex/backstage-plugin-dataflex-node';
import { Knex } from 'knex';
import {
  activeGrants,
  applyDatasetFilter,
} from '../database/applyDatasetFilter';
import { isUniqueViolation } from '../database/isUniqueViolation';
import { toIsoString } from '../database/toIsoString';
import { WriteOptions } from '../database/WriteOptions';
import {
  AccessAuditAction,
  AccessAuditRecord,
  AccessDataset,
  AccessDecisionResult,
  AccessGrantRecord,
  AccessRequestRecord,
  AccessStore,
  CreateAccessGrantOptions,
  CreateAccessRequestOptions,
  CreatedPosition,
  DecideAccessRequestOptions,
  ListAccessGrantsOptions,
  ListAccessRequestsOptions,
  Page,
} from './AccessStore';

type Timestamp = Date | string | number;

interface RequestRow {
  id: string;
  dataset_id: string;
  requester: string;
  justification: string;
  fields: string;
  scope: AccessRequestRecord['scope'];
  version: number;
  ends_at: Timestamp | null;
  status: AccessRequestRecord['status'];
  decided_by: string | null;
  decided_at: Timestamp | null;
  decision_reason: string | null;
  created_at: Timestamp;
}

interface GrantRow {
  id: string;
  dataset_id: string;
  grantee: string;
  from_version: number;
  to_version: number | null;
  ends_at: Timestamp | null;
  request_id: string | null;
  created_by: string;
  created_at: Timestamp;
  revoked_by: string | null;
  revoked_at: Timestamp | null;
  revoke_reason: string | null;
  expired_at: Timestamp | null;
}

interface EventRow {
  id?: number | string;
  dataset_id: string;
  action: AccessAuditAction;
  actor: string;
  subject: string | null;
  version: number | null;
  from_version: number | null;
  to_version: number | null;
  request_id: string | null;
  grant_id: string | null;
  reason: string | null;
  created_at: Timestamp;
}

interface DatasetColumns {
  namespace: string;
  name: string;
  owner: string;
  visibility: AccessDataset['visibility'];
  source: AccessDataset['source'];
}

type JoinedRequestRow = RequestRow &
  DatasetColumns & { grant_id: string | null };
type JoinedGrantRow = GrantRow & DatasetColumns;

/** Access requests, grants and their log in the plugin's database. */
export class DatabaseAccessStore implements AccessStore {
  static create(options: { knex: Knex }): DatabaseAccessStore {
    return new DatabaseAccessStore(options.knex);
  }

  private constructor(private readonly db: Knex) {}

  async createRequest(
    options: CreateAccessRequestOptions,
    write: WriteOptions<AccessRequestRecord> = {},
  ): Promise<AccessRequestRecord> {
    const now = new Date();
    const row: RequestRow = {
      id: randomUUID(),
      dataset_id: options.datasetId,
      requester: options.requester,
      justification: options.justification,
      fields: JSON.stringify(options.fields),
      scope: options.scope,
      version: options.version,
      ends_at: options.endsAt ?? null,
      status: 'pending',
      decided_by: null,
      decided_at: null,
      decision_reason: null,
      created_at: now,
    };
    try {
      return await this.db.transaction(async tx => {
        await tx<RequestRow>('access_requests').insert(row);
        await tx<EventRow>('access_events').insert(
          event(options.datasetId, 'requested', options.requester, now, {
            subject: options.requester,
            version: options.version,
            request_id: row.id,
          }),
        );
        const created = (await requestById(tx, row.id))!;
        await write.beforeCommit?.(tx, created);
        return created;
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new ConflictError(
          'You already have a pending request for this dataset; wait for its owners to decide it, or withdraw it first',
        );
      }
      throw error;
    }
  }

  async getRequest(id: string): Promise<AccessRequestRecord | undefined> {
    // PostgreSQL refuses to compare a uuid column with anything else; an id
    // that is not a UUID simply names nothing.
    return isUuid(id) ? requestById(this.db, id) : undefined;
  }

  async listRequests(
    options: ListAccessRequestsOptions,
  ): Promise<Page<AccessRequestRecord>> {
    const query = selectRequests(this.db);
    if (options.requester) {
      query.where('r.requester', options.requester);
    }
    if (options.notRequester) {
      query.whereNot('r.requester', options.notRequester);
    }
    if (options.datasetId) {
      query.where('r.dataset_id', options.datasetId);
    }
    if (options.status) {
      query.where('r.status', options.status);
    }
    if (options.datasetFilter) {
      applyDatasetFilter(query, options.datasetFilter, 'd');
    }
    const rows: JoinedRequestRow[] = await newestFirst(
      query,
      'r',
      options.before,
    ).limit(options.limit + 1);
    return {
      items: rows.slice(0, options.limit).map(toRequest),
      hasMore: rows.length > options.limit,
    };
  }

  async getLastRejection(
    datasetId: string,
    requester: string,
  ): Promise<AccessRequestRecord | undefined> {
    const row = await selectRequests(this.db)
      .where({
        'r.dataset_id': datasetId,
        'r.requester': requester,
        'r.status': 'rejected',
      })
      .orderBy('r.decided_at', 'desc')
      .first();
    return row ? toRequest(row) : undefined;
  }

  async getPendingRequest(
    datasetId: string,
    requester: string,
  ): Promise<AccessRequestRecord | undefined> {
    const row = await selectRequests(this.db)
      .where({
        'r.dataset_id': datasetId,
        'r.requester': requester,
        'r.status': 'pending',
      })
      .first();
    return row ? toRequest(row) : undefined;
  }

  async decideRequest(
    options: DecideAccessRequestOptions,
    write: WriteOptions<AccessDecisionResult> = {},
  ): Promise<AccessDecisionResult | undefined> {
    const { id, decision, decidedBy, reason, now } = options;
    return this.db.transaction(async tx => {
      // Only a pending request changes: of two deciders at once, the second
      // updates nothing (PostgreSQL re-checks the condition after the
      // first's row lock is released; SQLite runs one writer at a time).
      const count = await tx<RequestRow>('access_requests')
        .where({ id, status: 'pending' })
        .update({
          status: decision,
          decided_by: decidedBy,
          decided_at: now,
          decision_reason: reason ?? null,
        });
      if (count === 0) {
        return undefined;
      }
      const request = (await tx<RequestRow>('access_requests')
        .where({ id })
        .first())!;
      let grant: GrantRow | undefined;
      if (decision === 'approved') {
        grant = {
          id: randomUUID(),
          dataset_id: request.dataset_id,
          grantee: request.requester,
          from_version: request.version,
          to_version: request.scope === 'version' ? request.version : null,
          ends_at: request.ends_at === null ? null : new Date(request.ends_at),
          request_id: request.id,
          created_by: decidedBy,
          created_at: now,
          revoked_by: null,
          revoked_at: null,
          revoke_reason: null,
          expired_at: null,
        };
        await tx<GrantRow>('access_grants').insert(grant);
      }
      await tx<EventRow>('access_events').insert(
        event(request.dataset_id, decision, decidedBy, now, {
          subject: request.requester,
          version: request.version,
          from_version: grant?.from_version ?? null,
          to_version: grant?.to_version ?? null,
          request_id: request.id,
          grant_id: grant?.id ?? null,
          reason: reason ?? null,
        }),
      );
      const result: AccessDecisionResult = {
        request: (await requestById(tx, id))!,
        grant: grant && (await grantById(tx, grant.id)),
      };
      await write.beforeCommit?.(tx, result);
      return result;
    });
  }

  async withdrawRequest(
    id: string,
    requester: string,
    now: Date,
    write: WriteOptions<AccessRequestRecord> = {},
  ): Promise<AccessRequestRecord | undefined> {
    return this.db.transaction(async tx => {
      const count = await tx<RequestRow>('access_requests')
        .where({ id, requester, status: 'pending' })
        .update({
          status: 'withdrawn',
          decided_by: requester,
          decided_at: now,
        });
      if (count === 0) {
        return undefined;
      }
      const request = (await tx<RequestRow>('access_requests')
        .where({ id })
        .first())!;
      await tx<EventRow>('access_events').insert(
        event(request.dataset_id, 'withdrawn', requester, now, {
          subject: requester,
          version: request.version,
          request_id: id,
        }),
      );
      const withdrawn = (await requestById(tx, id))!;
      await write.beforeCommit?.(tx, withdrawn);
      return withdrawn;
    });
  }

  async createGrant(
    options: CreateAccessGrantOptions,
    write: WriteOptions<AccessGrantRecord> = {},
  ): Promise<AccessGrantRecord> {
    const now = new Date();
    const row: GrantRow = {
      id: randomUUID(),
      dataset_id: options.datasetId,
      grantee: options.grantee,
      from_version: options.fromVersion,
      to_version: options.toVersion ?? null,
      ends_at: options.endsAt ?? null,
      request_id: null,
      created_by: options.createdBy,
      created_at: now,
      revoked_by: null,
      revoked_at: null,
      revoke_reason: null,
      expired_at: null,
    };
    return this.db.transaction(async tx => {
      await tx<GrantRow>('access_grants').insert(row);
      await tx<EventRow>('access_events').insert(
        event(options.datasetId, 'granted', options.createdBy, now, {
          subject: options.grantee,
          from_version: row.from_version,
          to_version: row.to_version,
          grant_id: row.id,
        }),
      );
      const created = (await grantById(tx, row.id))!;
      await write.beforeCommit?.(tx, created);
      return created;
    });
  }

  async getGrant(id: string): Promise<AccessGrantRecord | undefined> {
    return isUuid(id) ? grantById(this.db, id) : undefined;
  }

  async listGrants(
    options: ListAccessGrantsOptions,
  ): Promise<Page<AccessGrantRecord>> {
    const query = selectGrants(this.db);
    if (options.datasetId) {
      query.where('g.dataset_id', options.datasetId);
    }
    if (options.grantees) {
      query.whereIn('g.grantee', options.grantees);
    }
    switch (options.status) {
      case 'active':
        activeGrants(query, 'g', options.now);
        break;
      case 'revoked':
        query.whereNotNull('g.revoked_at');
        break;
      case 'expired':
        query.whereNull('g.revoked_at').where('g.ends_at', '<=', options.now);
        break;
      default:
        break;
    }
    const rows: JoinedGrantRow[] = await newestFirst(
      query,
      'g',
      options.before,
    ).limit(options.limit + 1);
    return {
      items: rows.slice(0, options.limit).map(toGrant),
      hasMore: rows.length > options.limit,
    };
  }

  async revokeGrant(
    options: {
      id: string;
      revokedBy: string;
      reason?: string;
      now: Date;
    },
    write: WriteOptions<AccessGrantRecord> = {},
  ): Promise<AccessGrantRecord | undefined> {
    const { id, revokedBy, reason, now } = options;
    return this.db.transaction(async tx => {
      const count = await activeGrants(
        tx<GrantRow>('access_grants').where({ id }),
        undefined,
        now,
      ).update({
        revoked_by: revokedBy,
        revoked_at: now,
        revoke_reason: reason ?? null,
      });
      if (count === 0) {
        return undefined;
      }
      const grant = (await tx<GrantRow>('access_grants')
        .where({ id })
        .first())!;
      await tx<EventRow>('access_events').insert(
        event(grant.dataset_id, 'revoked', revokedBy, now, {
          subject: grant.grantee,
          from_version: grant.from_version,
          to_version: grant.to_version,
          request_id: grant.request_id,
          grant_id: id,
          reason: reason ?? null,
        }),
      );
      const revoked = (await grantById(tx, id))!;
      await write.beforeCommit?.(tx, revoked);
      return revoked;
    });
  }

  async markExpiredGrants(
    options: {
      now: Date;
      actor: string;
      limit: number;
    },
    write: WriteOptions<AccessGrantRecord[]> = {},
  ): Promise<AccessGrantRecord[]> {
    const { now, actor, limit } = options;
    return this.db.transaction(async tx => {
      const due: GrantRow[] = await tx<GrantRow>('access_grants')
        .whereNull('expired_at')
        .whereNull('revoked_at')
        .whereNotNull('ends_at')
        .where('ends_at', '<=', now)
        .orderBy('ends_at')
        .limit(limit);
      const marked: string[] = [];
      for (const grant of due) {
        const count = await tx<GrantRow>('access_grants')
          .where({ id: grant.id })
          .whereNull('expired_at')
          .whereNull('revoked_at')
          .update({ expired_at: now });
        if (count === 0) {
          continue;
        }
        await tx<EventRow>('access_events').insert(
          event(grant.dataset_id, 'expired', actor, now, {
            subject: grant.grantee,
            from_version: grant.from_version,
            to_version: grant.to_version,
            request_id: grant.request_id,
            grant_id: grant.id,
          }),
        );
        marked.push(grant.id);
      }
      if (marked.length === 0) {
        return [];
      }
      const rows: JoinedGrantRow[] = await selectGrants(tx)
        .whereIn('g.id', marked)
        .orderBy('g.ends_at');
      const expired = rows.map(toGrant);
      await write.beforeCommit?.(tx, expired);
      return expired;
    });
  }

  async getActiveGrants(
    datasetIds: string[],
    now: Date,
  ): Promise<Map<string, DatasetPermissionGrant[]>> {
    const result = new Map<string, DatasetPermissionGrant[]>();
    if (datasetIds.length === 0) {
      return result;
    }
    const rows: Pick<
      GrantRow,
      'dataset_id' | 'grantee' | 'from_version' | 'to_version'
    >[] = await activeGrants(
      this.db({ g: 'access_grants' }).whereIn('g.dataset_id', datasetIds),
      'g',
      now,
    ).select('g.dataset_id', 'g.grantee', 'g.from_version', 'g.to_version');
    for (const row of rows) {
      const list = result.get(row.dataset_id) ?? [];
      list.push({
        grantee: row.grantee,
        fromVersion: Number(row.from_version),
        toVersion: row.to_version === null ? undefined : Number(row.to_version),
      });
      result.set(row.dataset_id, list);
    }
    return result;
  }

  async listGrantees(options: {
    now: Date;
    limit: number;
    after?: { namespace: string; name: string };
  }) {
    const { now, limit, after } = options;
    const query = this.db({ d: 'datasets' })
      .select('d.id', 'd.namespace', 'd.name')
      .whereExists(grants =>
        activeGrants(
          grants.select('g.id').from({ g: 'access_grants' }),
          'g',
          now,
        ).whereRaw('?? = ??', ['g.dataset_id', 'd.id']),
      );
    if (after) {
      query.where(qb =>
        qb
          .where('d.namespace', '>', after.namespace)
          .orWhere(inner =>
            inner
              .where('d.namespace', '=', after.namespace)
              .andWhere('d.name', '>', after.name),
          ),
      );
    }
    const rows: Array<{ id: string; namespace: string; name: string }> =
      await query
        .orderBy([
          { column: 'd.namespace', order: 'asc' },
          { column: 'd.name', order: 'asc' },
        ])
        .limit(limit + 1);
    const page = rows.slice(0, limit);
    const grants = await this.getActiveGrants(
      page.map(row => row.id),
      now,
    );
    return {
      items: page.map(row => ({
        dataset: { namespace: row.namespace, name: row.name },
        grantees: [
          ...new Set((grants.get(row.id) ?? []).map(g => g.grantee)),
        ].sort(),
      })),
      hasMore: rows.length > limit,
    };
  }

  async recordDownload(options: {
    datasetId: string;
    actor: string;
    version: number;
  }): Promise<void> {
    await this.db<EventRow>('access_events').insert(
      event(options.datasetId, 'downloaded', options.actor, new Date(), {
        subject: options.actor,
        version: options.version,
      }),
    );
  }

  async listAuditEntries(
    datasetId: string,
    options: { limit: number; before?: string },
  ): Promise<Page<AccessAuditRecord>> {
    const query = this.db<EventRow>('access_events').where({
      dataset_id: datasetId,
    });
    if (options.before !== undefined) {
      query.where('id', '<', Number(options.before));
    }
    const rows: EventRow[] = await query
      .orderBy('id', 'desc')
      .limit(options.limit + 1);
    return {
      items: rows.slice(0, options.limit).map(toAuditRecord),
      hasMore: rows.length > options.limit,
    };
  }
}

function selectRequests(db: Knex): Knex.QueryBuilder {
  return db({ r: 'access_requests' })
    .join({ d: 'datasets' }, 'd.id', 'r.dataset_id')
    .leftJoin({ g: 'access_grants' }, 'g.request_id', 'r.id')
    .select(
      'r.*',
      'd.namespace',
      'd.name',
      'd.owner',
      'd.visibility',
      'd.source',
      { grant_id: 'g.id' },
    );
}

function selectGrants(db: Knex): Knex.QueryBuilder {
  return db({ g: 'access_grants' })
    .join({ d: 'datasets' }, 'd.id', 'g.dataset_id')
    .select(
      'g.*',
      'd.namespace',
      'd.name',
      'd.owner',
      'd.visibility',
      'd.source',
    );
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function isUuid(id: string): boolean {
  return UUID.test(id);
}

async function requestById(
  db: Knex,
  id: string,
): Promise<AccessRequestRecord | undefined> {
  const row = await selectRequests(db).where('r.id', id).first();
  return row ? toRequest(row) : undefined;
}

async function grantById(
  db: Knex,
  id: string,
): Promise<AccessGrantRecord | undefined> {
  const row = await selectGrants(db).where('g.id', id).first();
  return row ? toGrant(row) : undefined;
}

function newestFirst(
  query: Knex.QueryBuilder,
  alias: string,
  before: CreatedPosition | undefined,
): Knex.QueryBuilder {
  if (before) {
    const at = new Date(before.createdAt);
    query.where(qb =>
      qb
        .where(`${alias}.created_at`, '<', at)
        .orWhere(inner =>
          inner
            .where(`${alias}.created_at`, '=', at)
            .andWhere(`${alias}.id`, '<', before.id),
        ),
    );
  }
  return query.orderBy([
    { column: `${alias}.created_at`, order: 'desc' },
    { column: `${alias}.id`, order: 'desc' },
  ]);
}

function event(
  datasetId: string,
  action: AccessAuditAction,
  actor: string,
  at: Date,
  details: Partial<
    Pick<
      EventRow,
      | 'subject'
      | 'version'
      | 'from_version'
      | 'to_version'
      | 'request_id'
      | 'grant_id'
      | 'reason'
    >
  >,
): EventRow {
  return {
    dataset_id: datasetId,
    action,
    actor,
    subject: details.subject ?? null,
    version: details.version ?? null,
    from_version: details.from_version ?? null,
    to_version: details.to_version ?? null,
    request_id: details.request_id ?? null,
    grant_id: details.grant_id ?? null,
    reason: details.reason ?? null,
    created_at: at,
  };
}

function optionalIso(value: Timestamp | null): string | undefined {
  return value === null || value === undefined ? undefined : toIsoString(value);
}

function optionalNumber(value: number | string | null): number | undefined {
  return value === null || value === undefined ? undefined : Number(value);
}

function toRequest(row: JoinedRequestRow): AccessRequestRecord {
  return {
    id: row.id,
    dataset: {
      id: row.dataset_id,
      namespace: row.namespace,
      name: row.name,
      owner: row.owner,
      visibility: row.visibility,
      source: row.source,
    },
    requester: row.requester,
    justification: row.justification,
    fields: JSON.parse(row.fields),
    scope: row.scope,
    version: Number(row.version),
    endsAt: optionalIso(row.ends_at),
    status: row.status,
    decidedBy: row.decided_by ?? undefined,
    decidedAt: optionalIso(row.decided_at),
    decisionReason: row.decision_reason ?? undefined,
    grantId: row.grant_id ?? undefined,
    createdAt: toIsoString(row.created_at),
  };
}

function toGrant(row: JoinedGrantRow): AccessGrantRecord {
  return {
    id: row.id,
    dataset: {
      id: row.dataset_id,
      namespace: row.namespace,
      name: row.name,
      owner: row.owner,
      visibility: row.visibility,
      source: row.source,
    },
    grantee: row.grantee,
    fromVersion: Number(row.from_version),
    toVersion: optionalNumber(row.to_version),
    endsAt: optionalIso(row.ends_at),
    requestId: row.request_id ?? undefined,
    createdBy: row.created_by,
    createdAt: toIsoString(row.created_at),
    revokedBy: row.revoked_by ?? undefined,
    revokedAt: optionalIso(row.revoked_at),
    revokeReason: row.revoke_reason ?? undefined,
    expiredAt: optionalIso(row.expired_at),
  };
}

function toAuditRecord(row: EventRow): AccessAuditRecord {
  return {
    id: String(row.id),
    action: row.action,
    actor: row.actor,
    subject: row.subject ?? undefined,
    version: optionalNumber(row.version),
    fromVersion: optionalNumber(row.from_version),
    toVersion: optionalNumber(row.to_version),
    requestId: row.request_id ?? undefined,
    grantId: row.grant_id ?? undefined,
    reason: row.reason ?? undefined,
    createdAt: toIsoString(row.created_at),
  };
}
