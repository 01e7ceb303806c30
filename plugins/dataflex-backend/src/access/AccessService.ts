import {
  AuthService,
  BackstageCredentials,
  BackstageUserPrincipal,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import {
  DEFAULT_NAMESPACE,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  ConflictError,
  CustomErrorBase,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  ACCESS_REQUEST_LIMITS,
  AccessGrant,
  AccessGrantList,
  AccessRequest,
  AccessRequestList,
  AccessRequestStatus,
  accessGrantManagePermission,
  accessRequestCreatePermission,
  AuditEntryList,
  CatalogGranteesList,
  DATAFLEX_ANNOTATIONS,
  DatasetAccessSummary,
  datasetContentReadPermission,
  datasetReadPermission,
  parseAccessRequestFields,
} from '@dataflex/backstage-plugin-dataflex-common';
import { durationToMilliseconds } from '@backstage/types';
import { z } from 'zod';
import {
  DatasetRecord,
  DatasetRef,
  DatasetStore,
} from '../database/DatasetStore';
import { decodeCursor, encodeCursor } from '../service/cursor';
import { DataflexEventPublisher } from '../service/DataflexEventPublisher';
import {
  DatasetAuthorizer,
  datasetResourceRef,
} from '../service/DatasetAuthorizer';
import {
  DatasetService,
  isDatasetPosition,
  normalizeRef,
} from '../service/DatasetService';
import { AccessNotifier } from './AccessNotifier';
import { AccessRequestsConfig } from './AccessRequestsConfig';
import {
  AccessAuditRecord,
  AccessGrantRecord,
  AccessRequestRecord,
  AccessStore,
  CreatedPosition,
} from './AccessStore';

type UserCredentials = BackstageCredentials<BackstageUserPrincipal>;

const DEFAULT_PAGE_SIZE = 50;
/** Grants the expiry task records per run; the rest wait for the next. */
const EXPIRY_BATCH = 500;
/** Who the access log names for what the expiry task did. */
export const EXPIRY_ACTOR = 'plugin:dataflex';

/**
 * The caller asked again before the cooldown after a rejection ran out
 * (429); `retryAfter` says when they may.
 */
export class AccessRequestCooldownError extends CustomErrorBase {
  name = 'TooManyRequestsError' as const;
  readonly statusCode = 429;

  constructor(message: string, readonly retryAfter: Date) {
    super(message);
  }
}

// Letters, marks, numbers, punctuation, symbols, spaces and line breaks: no
// control or invisible formatting characters in text owners will read.
const TEXT = /^[\p{L}\p{M}\p{N}\p{P}\p{S} \t\r\n]*$/u;

function text(max: number, options: { required: boolean }) {
  return z
    .string()
    .trim()
    .superRefine((value, ctx) => {
      const n = [...value].length;
      if (options.required && n === 0) {
        ctx.addIssue({ code: 'custom', message: 'must not be empty' });
      } else if (n > max) {
        ctx.addIssue({
          code: 'custom',
          message: `must be at most ${max} characters, not ${n}`,
        });
      } else if (!TEXT.test(value)) {
        ctx.addIssue({
          code: 'custom',
          message:
            'must not contain control or invisible formatting characters',
        });
      }
    });
}

const futureDate = z.string().transform((value, ctx) => {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) {
    ctx.addIssue({
      code: 'custom',
      message: `'${value}' is not a date and time like 2027-06-30T00:00:00Z`,
    });
    return z.NEVER;
  }
  if (date.getTime() <= Date.now()) {
    ctx.addIssue({ code: 'custom', message: 'must be in the future' });
    return z.NEVER;
  }
  return date;
});

const version = z.number().int().min(1).max(999_999_999);

const createRequestSchema = z.strictObject({
  justification: text(ACCESS_REQUEST_LIMITS.justificationMaxLength, {
    required: true,
  }),
  scope: z.enum(['version', 'version-and-later'], {
    error: 'must be version or version-and-later',
  }),
  version: version.optional(),
  endsAt: futureDate.optional(),
  fields: z
    .record(
      z.string(),
      text(ACCESS_REQUEST_LIMITS.fieldMaxLength, { required: true }),
    )
    .default({}),
});

const decisionSchema = z
  .strictObject({
    decision: z.enum(['approve', 'reject'], {
      error: 'must be approve or reject',
    }),
    reason: text(ACCESS_REQUEST_LIMITS.reasonMaxLength, {
      required: false,
    }).optional(),
  })
  .refine(body => body.decision === 'approve' || !!body.reason, {
    message: 'reason: say why the request is rejected',
  });

const granteeRef = z.string().transform((value, ctx) => {
  try {
    const ref = parseEntityRef(value, {
      defaultKind: 'user',
      defaultNamespace: DEFAULT_NAMESPACE,
    });
    const kind = ref.kind.toLocaleLowerCase('en-US');
    if (kind !== 'user' && kind !== 'group') {
      ctx.addIssue({
        code: 'custom',
        message: `must be a user or group, not a ${ref.kind}`,
      });
      return z.NEVER;
    }
    return stringifyEntityRef(ref).toLocaleLowerCase('en-US');
  } catch {
    ctx.addIssue({
      code: 'custom',
      message: `'${value}' is not an entity ref like user:default/mei or group:default/ml-platform`,
    });
    return z.NEVER;
  }
});

const createGrantSchema = z
  .strictObject({
    grantee: granteeRef,
    fromVersion: version.default(1),
    toVersion: version.optional(),
    endsAt: futureDate.optional(),
  })
  .refine(
    body => body.toVersion === undefined || body.toVersion >= body.fromVersion,
    { message: 'toVersion: must not be below fromVersion' },
  );

const revokeSchema = z.strictObject({
  reason: text(ACCESS_REQUEST_LIMITS.reasonMaxLength, {
    required: false,
  }).optional(),
});

/** What the router audits about an access change, never any free text. */
export interface AccessChange<T> {
  result: T;
  meta: Record<string, string | number | boolean | undefined>;
}

/**
 * Access requests and grants: who may ask for, decide, grant and revoke
 * access to which dataset, and the per-dataset access log. Every check goes
 * through the permission framework; on top of it, nobody decides their own
 * request (four eyes), not even an owner or admin.
 */
export class AccessService {
  static create(options: {
    datasets: DatasetService;
    datasetStore: DatasetStore;
    authorizer: DatasetAuthorizer;
    store: AccessStore;
    catalog: CatalogService;
    auth: AuthService;
    userInfo: UserInfoService;
    notifier: AccessNotifier;
    events: DataflexEventPublisher;
    config: AccessRequestsConfig;
  }): AccessService {
    return new AccessService(options);
  }

  private readonly cooldownMs: number;

  private constructor(
    private readonly options: Parameters<typeof AccessService.create>[0],
  ) {
    this.cooldownMs = durationToMilliseconds(options.config.cooldown);
  }

  /** The caller's standing on a dataset, for its access panel. */
  async summary(
    credentials: UserCredentials,
    ref: DatasetRef,
  ): Promise<DatasetAccessSummary> {
    const { store, authorizer } = this.options;
    const dataset = await this.options.datasets.require(
      credentials,
      ref,
      'read',
    );
    const [requestable, manage, readContent] = await authorizer.authorize(
      credentials,
      dataset,
      [
        accessRequestCreatePermission,
        accessGrantManagePermission,
        datasetContentReadPermission,
      ],
    );
    const user = credentials.principal.userEntityRef;
    const now = new Date();
    const [fields, grants, pending, rejection] = await Promise.all([
      this.requestFields(dataset),
      this.ownGrants(credentials, { datasetId: dataset.id, limit: 100 }),
      store.getPendingRequest(dataset.id, user),
      store.getLastRejection(dataset.id, user),
    ]);
    const retryAfter = rejection && this.retryAfter(rejection);
    const coolingDown = retryAfter !== undefined && retryAfter > now;
    return {
      dataset: datasetResourceRef(dataset),
      mayRequest: requestable && !manage && !pending && !coolingDown,
      mayManage: manage,
      readContent,
      requestFields: fields,
      grants: grants.items.map(g => toAccessGrant(g, now)),
      pendingRequest: pending && this.toAccessRequest(pending, manage),
      retryAfter: coolingDown ? retryAfter.toISOString() : undefined,
    };
  }

  async createRequest(
    credentials: UserCredentials,
    ref: DatasetRef,
    body: unknown,
  ): Promise<AccessChange<AccessRequest>> {
    const { store, authorizer } = this.options;
    const dataset = await this.options.datasets.require(
      credentials,
      ref,
      'read',
    );
    const name = `${dataset.namespace}/${dataset.name}`;
    const [requestable, manage] = await authorizer.authorize(
      credentials,
      dataset,
      [accessRequestCreatePermission, accessGrantManagePermission],
    );
    if (manage) {
      throw new NotAllowedError(
        `You manage access to dataset '${name}' yourself; no request is needed`,
      );
    }
    if (!requestable) {
      throw new NotAllowedError(
        dataset.visibility === 'open'
          ? `Dataset '${name}' is open: every signed-in user may read its content without a request`
          : `Dataset '${name}' takes no access requests; its owners (${dataset.owner}) share it by granting access directly`,
      );
    }
    const input = parse(createRequestSchema, body);
    const fields = await this.checkFields(dataset, input.fields);
    const requested = this.requestedVersion(dataset, input);

    const user = credentials.principal.userEntityRef;
    const now = new Date();
    if (
      input.scope === 'version' &&
      (await authorizer.authorizeVersion(
        credentials,
        dataset,
        datasetContentReadPermission,
        requested,
      ))
    ) {
      throw new ConflictError(
        `You can already read version ${requested} of dataset '${name}'`,
      );
    }
    const pending = await store.getPendingRequest(dataset.id, user);
    if (pending) {
      throw new ConflictError(
        `You already asked for access to dataset '${name}' on ${pending.createdAt}; wait for its owners to decide, or withdraw that request first`,
      );
    }
    const rejection = await store.getLastRejection(dataset.id, user);
    const retryAfter = rejection && this.retryAfter(rejection);
    if (retryAfter && retryAfter > now) {
      throw new AccessRequestCooldownError(
        `Your last request for dataset '${name}' was rejected on ${
          rejection!.decidedAt
        }; you may ask again from ${retryAfter.toISOString()}`,
        retryAfter,
      );
    }

    const created = await store.createRequest(
      {
        datasetId: dataset.id,
        requester: user,
        justification: input.justification,
        fields,
        scope: input.scope,
        version: requested,
        endsAt: input.endsAt,
      },
      {
        beforeCommit: (transaction, request) =>
          this.options.events.accessRequested(request, { transaction }),
      },
    );
    await this.options.notifier.requested(created);
    return {
      result: this.toAccessRequest(created, false),
      meta: {
        requestId: created.id,
        scope: created.scope,
        version: created.version,
        endsAt: created.endsAt,
        justificationLength: [...created.justification].length,
        fields: Object.keys(created.fields).join(','),
      },
    };
  }

  async listRequests(
    credentials: UserCredentials,
    query: {
      role?: 'requester' | 'approver';
      status?: AccessRequestStatus;
      dataset?: string;
      limit?: number;
      cursor?: string;
    },
  ): Promise<AccessRequestList> {
    const { store, authorizer } = this.options;
    const user = credentials.principal.userEntityRef;
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const approver = query.role === 'approver';
    let datasetId: string | undefined;
    if (query.dataset !== undefined) {
      const dataset = await this.options.datasetStore.getDataset(
        parseDatasetParam(query.dataset),
      );
      if (!dataset) {
        return { items: [] };
      }
      datasetId = dataset.id;
    }
    let filter;
    if (approver) {
      const decision = await authorizer.listDecision(
        credentials,
        accessGrantManagePermission,
      );
      if (decision.result === 'none') {
        return { items: [] };
      }
      filter = decision.result === 'some' ? decision.filter : undefined;
    }
    const page = await store.listRequests({
      requester: approver ? undefined : user,
      notRequester: approver ? user : undefined,
      datasetFilter: filter,
      datasetId,
      status: query.status,
      limit,
      before: query.cursor
        ? decodeCursor(query.cursor, isCreatedPosition)
        : undefined,
    });
    return {
      items: page.items.map(r => this.toAccessRequest(r, approver)),
      nextCursor: nextCursor(page),
    };
  }

  /** Its requester, and those who may decide it, may read a request. */
  async getRequest(
    credentials: UserCredentials,
    id: string,
  ): Promise<AccessRequest> {
    const request = await this.findRequest(id);
    const user = credentials.principal.userEntityRef;
    const manage = await this.mayManage(credentials, request.dataset);
    if (request.requester !== user && !manage) {
      throw requestNotFound(id);
    }
    return this.toAccessRequest(request, manage);
  }

  async decide(
    credentials: UserCredentials,
    id: string,
    body: unknown,
  ): Promise<AccessChange<AccessRequest>> {
    const request = await this.findRequest(id);
    const user = credentials.principal.userEntityRef;
    const name = `${request.dataset.namespace}/${request.dataset.name}`;
    if (request.requester === user) {
      throw new NotAllowedError(
        'You cannot decide your own access request, not even as an owner or admin; another owner or an admin must decide it',
      );
    }
    // Like reading it: only its requester and those who may decide it learn
    // that the request exists.
    if (!(await this.mayManage(credentials, request.dataset))) {
      throw requestNotFound(id);
    }
    const input = parse(decisionSchema, body);
    const now = new Date();
    if (
      input.decision === 'approve' &&
      request.endsAt &&
      new Date(request.endsAt) <= now
    ) {
      throw new ConflictError(
        `The access asked for ended on ${request.endsAt}; reject this request and let the requester ask again`,
      );
    }
    const { events } = this.options;
    const decided = await this.options.store.decideRequest(
      {
        id,
        decision: input.decision === 'approve' ? 'approved' : 'rejected',
        decidedBy: user,
        reason: input.reason || undefined,
        now,
      },
      {
        beforeCommit: async (transaction, result) => {
          if (result.grant) {
            await events.accessApproved(user, result.grant, result.request, {
              transaction,
            });
          } else {
            await events.accessRejected(result.request, { transaction });
          }
        },
      },
    );
    if (!decided) {
      const current = (await this.options.store.getRequest(id)) ?? request;
      throw new ConflictError(
        current.status === 'withdrawn'
          ? `This request for dataset '${name}' was withdrawn by its requester on ${current.decidedAt}`
          : `This request for dataset '${name}' was already ${current.status} by ${current.decidedBy} on ${current.decidedAt}`,
      );
    }
    await this.options.notifier.decided(decided.request);
    return {
      result: this.toAccessRequest(decided.request, true),
      meta: {
        requestId: id,
        dataset: datasetResourceRef(request.dataset),
        requester: request.requester,
        decision: decided.request.status,
        grantId: decided.grant?.id,
      },
    };
  }

  async withdraw(
    credentials: UserCredentials,
    id: string,
  ): Promise<AccessChange<AccessRequest>> {
    const user = credentials.principal.userEntityRef;
    const request = await this.findRequest(id);
    if (request.requester !== user) {
      throw requestNotFound(id);
    }
    const withdrawn = await this.options.store.withdrawRequest(
      id,
      user,
      new Date(),
    );
    if (!withdrawn) {
      throw new ConflictError(
        `This request is ${request.status}, no longer pending`,
      );
    }
    await this.options.notifier.withdrawn(withdrawn);
    return {
      result: this.toAccessRequest(withdrawn, false),
      meta: {
        requestId: id,
        dataset: `dataset:${withdrawn.dataset.namespace}/${withdrawn.dataset.name}`,
      },
    };
  }

  async listDatasetGrants(
    credentials: UserCredentials,
    ref: DatasetRef,
    query: {
      status?: 'active' | 'revoked' | 'expired';
      limit?: number;
      cursor?: string;
    },
  ): Promise<AccessGrantList> {
    const dataset = await this.requireManageByRef(credentials, ref);
    const now = new Date();
    const page = await this.options.store.listGrants({
      datasetId: dataset.id,
      status: query.status,
      now,
      limit: query.limit ?? DEFAULT_PAGE_SIZE,
      before: query.cursor
        ? decodeCursor(query.cursor, isCreatedPosition)
        : undefined,
    });
    return {
      items: page.items.map(g => toAccessGrant(g, now)),
      nextCursor: nextCursor(page),
    };
  }

  /** A grant without a request: the only way into a private dataset. */
  async createGrant(
    credentials: UserCredentials,
    ref: DatasetRef,
    body: unknown,
  ): Promise<AccessChange<AccessGrant>> {
    const dataset = await this.requireManageByRef(credentials, ref);
    const input = parse(createGrantSchema, body);
    const entity = await this.options.catalog.getEntityByRef(input.grantee, {
      credentials: await this.options.auth.getOwnServiceCredentials(),
    });
    if (!entity) {
      throw new InputError(
        `grantee: the catalog has no ${input.grantee}; grant access to an existing user or group`,
      );
    }
    const user = credentials.principal.userEntityRef;
    const grant = await this.options.store.createGrant(
      {
        datasetId: dataset.id,
        grantee: input.grantee,
        fromVersion: input.fromVersion,
        toVersion: input.toVersion,
        endsAt: input.endsAt,
        createdBy: user,
      },
      {
        beforeCommit: (transaction, created) =>
          this.options.events.accessApproved(user, created, undefined, {
            transaction,
          }),
      },
    );
    await this.options.notifier.granted(grant);
    return {
      result: toAccessGrant(grant, new Date()),
      meta: {
        grantId: grant.id,
        dataset: datasetResourceRef(dataset),
        grantee: grant.grantee,
        fromVersion: grant.fromVersion,
        toVersion: grant.toVersion,
        endsAt: grant.endsAt,
      },
    };
  }

  async revokeGrant(
    credentials: UserCredentials,
    id: string,
    body: unknown,
  ): Promise<AccessChange<AccessGrant>> {
    const found = await this.options.store.getGrant(id);
    if (!found) {
      throw grantNotFound(id);
    }
    const dataset = await this.requireManage(credentials, found.dataset, id);
    const input = parse(revokeSchema, body ?? {});
    const now = new Date();
    const revoked = await this.options.store.revokeGrant(
      {
        id,
        revokedBy: credentials.principal.userEntityRef,
        reason: input.reason || undefined,
        now,
      },
      {
        beforeCommit: (transaction, grant) =>
          this.options.events.accessRevoked(grant, { transaction }),
      },
    );
    if (!revoked) {
      const current = (await this.options.store.getGrant(id)) ?? found;
      throw new ConflictError(
        current.revokedAt
          ? `This grant was already revoked by ${current.revokedBy} on ${current.revokedAt}`
          : `This grant already ended on ${current.endsAt}`,
      );
    }
    await this.options.notifier.ended(revoked);
    return {
      result: toAccessGrant(revoked, now),
      meta: {
        grantId: id,
        dataset: datasetResourceRef(dataset),
        grantee: revoked.grantee,
      },
    };
  }

  /** The active grants that count for the caller, on every dataset. */
  async listOwnGrants(
    credentials: UserCredentials,
    query: { limit?: number; cursor?: string },
  ): Promise<AccessGrantList> {
    const now = new Date();
    const page = await this.ownGrants(credentials, {
      limit: query.limit ?? DEFAULT_PAGE_SIZE,
      before: query.cursor
        ? decodeCursor(query.cursor, isCreatedPosition)
        : undefined,
    });
    return {
      items: page.items.map(g => toAccessGrant(g, now)),
      nextCursor: nextCursor(page),
    };
  }

  /**
   * Records grants that passed their end date, once each, with their
   * events, and tells their holders. Returns the grants it recorded.
   */
  async expireGrants(now: Date = new Date()): Promise<AccessGrantRecord[]> {
    const all: AccessGrantRecord[] = [];
    for (;;) {
      const expired = await this.options.store.markExpiredGrants(
        { now, actor: EXPIRY_ACTOR, limit: EXPIRY_BATCH },
        {
          beforeCommit: async (transaction, grants) => {
            for (const grant of grants) {
              await this.options.events.accessExpired(EXPIRY_ACTOR, grant, {
                transaction,
              });
            }
          },
        },
      );
      for (const grant of expired) {
        await this.options.notifier.ended(grant);
      }
      all.push(...expired);
      if (expired.length < EXPIRY_BATCH) {
        return all;
      }
    }
  }

  async audit(
    credentials: UserCredentials,
    ref: DatasetRef,
    query: { limit?: number; cursor?: string },
  ): Promise<AuditEntryList> {
    const dataset = await this.requireManageByRef(credentials, ref);
    const page = await this.options.store.listAuditEntries(dataset.id, {
      limit: query.limit ?? DEFAULT_PAGE_SIZE,
      before: query.cursor
        ? decodeCursor(query.cursor, isAuditPosition)
        : undefined,
    });
    const last = page.items[page.items.length - 1];
    return {
      items: page.items.map(toAuditEntry),
      nextCursor: page.hasMore && last ? encodeCursor(last.id) : undefined,
    };
  }

  /**
   * The whole access log, newest first, a page at a time, for a CSV export.
   * Permission is checked before the first entry.
   */
  async auditAll(
    credentials: UserCredentials,
    ref: DatasetRef,
  ): Promise<AsyncIterable<AccessAuditRecord[]>> {
    const dataset = await this.requireManageByRef(credentials, ref);
    const store = this.options.store;
    return {
      async *[Symbol.asyncIterator]() {
        let before: string | undefined;
        for (;;) {
          const page = await store.listAuditEntries(dataset.id, {
            limit: 500,
            before,
          });
          yield page.items;
          if (!page.hasMore || page.items.length === 0) {
            return;
          }
          before = page.items[page.items.length - 1].id;
        }
      },
    };
  }

  /** For the catalog: who holds active grants on which dataset. */
  async listGrantees(query: {
    limit?: number;
    cursor?: string;
  }): Promise<CatalogGranteesList> {
    const page = await this.options.store.listGrantees({
      now: new Date(),
      limit: query.limit ?? DEFAULT_PAGE_SIZE,
      after: query.cursor
        ? decodeCursor(query.cursor, isDatasetPosition)
        : undefined,
    });
    const last = page.items[page.items.length - 1];
    return {
      items: page.items.map(item => ({
        entityRef: datasetResourceRef(item.dataset),
        grantees: item.grantees,
      })),
      nextCursor: page.hasMore && last ? encodeCursor(last.dataset) : undefined,
    };
  }

  private async ownGrants(
    credentials: UserCredentials,
    options: { datasetId?: string; limit: number; before?: CreatedPosition },
  ) {
    const claims =
      (await this.options.authorizer.grantClaims(credentials)) ??
      (
        await this.options.userInfo.getUserInfo(credentials)
      ).ownershipEntityRefs.map(ref => ref.toLocaleLowerCase('en-US'));
    return this.options.store.listGrants({
      ...options,
      grantees: claims,
      status: 'active',
      now: new Date(),
    });
  }

  private async findRequest(id: string): Promise<AccessRequestRecord> {
    const request = await this.options.store.getRequest(id);
    if (!request) {
      throw requestNotFound(id);
    }
    return request;
  }

  private async mayManage(
    credentials: UserCredentials,
    ref: DatasetRef,
  ): Promise<boolean> {
    const dataset = await this.options.datasetStore.getDataset(ref);
    if (!dataset) {
      return false;
    }
    const [read, manage] = await this.options.authorizer.authorize(
      credentials,
      dataset,
      [datasetReadPermission, accessGrantManagePermission],
    );
    return read && manage;
  }

  /**
   * The dataset of a grant being revoked, provided the caller may manage
   * its access. Someone who may not even see the dataset learns nothing about
   * the grant (404).
   */
  private async requireManage(
    credentials: UserCredentials,
    ref: DatasetRef,
    id: string,
  ): Promise<DatasetRecord> {
    const dataset = await this.options.datasetStore.getDataset(ref);
    const [read, manage] = dataset
      ? await this.options.authorizer.authorize(credentials, dataset, [
          datasetReadPermission,
          accessGrantManagePermission,
        ])
      : [false, false];
    if (!dataset || !read) {
      throw grantNotFound(id);
    }
    if (!manage) {
      throw new NotAllowedError(
        `Only the owners of dataset '${dataset.namespace}/${dataset.name}' (${dataset.owner}) or an admin may revoke its grants`,
      );
    }
    return dataset;
  }

  private async requireManageByRef(
    credentials: UserCredentials,
    ref: DatasetRef,
  ): Promise<DatasetRecord> {
    const dataset = await this.options.datasets.require(
      credentials,
      ref,
      'read',
    );
    const [manage] = await this.options.authorizer.authorize(
      credentials,
      dataset,
      [accessGrantManagePermission],
    );
    if (!manage) {
      throw new NotAllowedError(
        `Only the owners of dataset '${dataset.namespace}/${dataset.name}' (${dataset.owner}) or an admin may manage access to it`,
      );
    }
    return dataset;
  }

  /**
   * The fields a request must answer: from the Dataset entity's
   * `dataflex.io/access-request-fields`, asked as the plugin because the
   * requester may see the dataset but the entity's owners set the rule.
   * Datasets created through the API have none.
   */
  private async requestFields(dataset: DatasetRecord): Promise<string[]> {
    if (dataset.source !== 'catalog') {
      return [];
    }
    const entity = await this.options.catalog.getEntityByRef(
      datasetResourceRef(dataset),
      { credentials: await this.options.auth.getOwnServiceCredentials() },
    );
    const value =
      entity?.metadata.annotations?.[DATAFLEX_ANNOTATIONS.accessRequestFields];
    if (value === undefined) {
      return [];
    }
    try {
      return parseAccessRequestFields(value);
    } catch (error) {
      throw new Error(
        `Dataset '${dataset.namespace}/${dataset.name}' has an invalid ${
          DATAFLEX_ANNOTATIONS.accessRequestFields
        } annotation, which ${
          (error as Error).message
        }; its owners must fix it`,
      );
    }
  }

  private async checkFields(
    dataset: DatasetRecord,
    answers: Record<string, string>,
  ): Promise<Record<string, string>> {
    const required = await this.requestFields(dataset);
    const name = `${dataset.namespace}/${dataset.name}`;
    for (const key of Object.keys(answers)) {
      if (!required.includes(key)) {
        throw new InputError(
          required.length
            ? `fields.${key}: dataset '${name}' asks for no such field; it asks for ${required.join(
                ', ',
              )}`
            : `fields.${key}: dataset '${name}' asks for no fields besides the justification`,
        );
      }
    }
    const missing = required.filter(key => !(key in answers));
    if (missing.length > 0) {
      throw new InputError(
        missing
          .map(key => `fields.${key}: required by dataset '${name}'`)
          .join('; '),
      );
    }
    return Object.fromEntries(required.map(key => [key, answers[key]]));
  }

  private requestedVersion(
    dataset: DatasetRecord,
    input: { scope: 'version' | 'version-and-later'; version?: number },
  ): number {
    const name = `${dataset.namespace}/${dataset.name}`;
    const latest = dataset.latestVersion;
    if (latest === undefined) {
      if (input.scope === 'version-and-later' && (input.version ?? 1) === 1) {
        return 1;
      }
      throw new InputError(
        `Dataset '${name}' has no versions yet; ask for version 1 and later`,
      );
    }
    const requested = input.version ?? latest;
    if (requested > latest) {
      throw new InputError(
        `version: dataset '${name}' has no version ${requested}; its latest is ${latest}`,
      );
    }
    return requested;
  }

  private retryAfter(rejection: AccessRequestRecord): Date | undefined {
    return rejection.decidedAt
      ? new Date(new Date(rejection.decidedAt).getTime() + this.cooldownMs)
      : undefined;
  }

  private toAccessRequest(
    record: AccessRequestRecord,
    includeOwner: boolean,
  ): AccessRequest {
    const retryAfter =
      record.status === 'rejected' ? this.retryAfter(record) : undefined;
    return {
      id: record.id,
      dataset: `dataset:${record.dataset.namespace}/${record.dataset.name}`,
      namespace: record.dataset.namespace,
      name: record.dataset.name,
      owner: includeOwner ? record.dataset.owner : undefined,
      requester: record.requester,
      justification: record.justification,
      fields: record.fields,
      scope: record.scope,
      version: record.version,
      endsAt: record.endsAt,
      status: record.status,
      decidedBy: record.decidedBy,
      decidedAt: record.decidedAt,
      decisionReason: record.decisionReason,
      grantId: record.grantId,
      retryAfter: retryAfter?.toISOString(),
      createdAt: record.createdAt,
    };
  }
}

function toAccessGrant(record: AccessGrantRecord, now: Date): AccessGrant {
  let status: AccessGrant['status'] = 'active';
  if (record.revokedAt) {
    status = 'revoked';
  } else if (record.endsAt && new Date(record.endsAt) <= now) {
    status = 'expired';
  }
  return {
    id: record.id,
    dataset: `dataset:${record.dataset.namespace}/${record.dataset.name}`,
    namespace: record.dataset.namespace,
    name: record.dataset.name,
    grantee: record.grantee,
    fromVersion: record.fromVersion,
    toVersion: record.toVersion,
    endsAt: record.endsAt,
    status,
    requestId: record.requestId,
    createdBy: record.createdBy,
    createdAt: record.createdAt,
    revokedBy: record.revokedBy,
    revokedAt: record.revokedAt,
    revokeReason: record.revokeReason,
    expiredAt: record.expiredAt,
  };
}

function toAuditEntry(record: AccessAuditRecord) {
  return {
    id: record.id,
    at: record.createdAt,
    action: record.action,
    actor: record.actor,
    subject: record.subject,
    version: record.version,
    fromVersion: record.fromVersion,
    toVersion: record.toVersion,
    requestId: record.requestId,
    grantId: record.grantId,
    reason: record.reason,
  };
}

function nextCursor(page: {
  items: Array<{ createdAt: string; id: string }>;
  hasMore: boolean;
}): string | undefined {
  const last = page.items[page.items.length - 1];
  return page.hasMore && last
    ? encodeCursor({ createdAt: last.createdAt, id: last.id })
    : undefined;
}

function isCreatedPosition(value: unknown): value is CreatedPosition {
  const position = value as CreatedPosition;
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof position.createdAt === 'string' &&
    !Number.isNaN(new Date(position.createdAt).getTime()) &&
    typeof position.id === 'string'
  );
}

function isAuditPosition(value: unknown): value is string {
  return typeof value === 'string' && /^[1-9][0-9]{0,17}$/.test(value);
}

function parseDatasetParam(value: string): DatasetRef {
  try {
    const ref = parseEntityRef(value, {
      defaultKind: 'dataset',
      defaultNamespace: DEFAULT_NAMESPACE,
    });
    if (ref.kind.toLocaleLowerCase('en-US') !== 'dataset') {
      throw new InputError(
        `dataset: '${value}' is a ${ref.kind}, not a dataset`,
      );
    }
    return normalizeRef(ref);
  } catch (error) {
    if (error instanceof InputError) {
      throw error;
    }
    throw new InputError(
      `dataset: '${value}' is not a dataset ref like dataset:default/customers`,
    );
  }
}

function requestNotFound(id: string): NotFoundError {
  return new NotFoundError(`No access request ${id}`);
}

function grantNotFound(id: string): NotFoundError {
  return new NotFoundError(`No grant ${id}`);
}

function parse<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  const result = schema.safeParse(body);
  if (!result.success) {
    throw new InputError(
      result.error.issues
        .map(issue =>
          issue.path.length
            ? `${issue.path.join('.')}: ${issue.message}`
            : issue.message,
        )
        .join('; '),
    );
  }
  return result.data;
}
