import { PermissionCriteria } from '@backstage/plugin-permission-common';
import {
  AccessRequestStatus,
  AccessScope,
} from '@dataflex/backstage-plugin-dataflex-common';
import {
  DatasetPermissionGrant,
  DatasetPermissionQuery,
} from '@dataflex/backstage-plugin-dataflex-node';
import { DatasetRecord, DatasetRef } from '../database/DatasetStore';
import { WriteOptions } from '../database/WriteOptions';

/** The dataset a request or grant is about, as listed with it. */
export type AccessDataset = Pick<
  DatasetRecord,
  'id' | 'namespace' | 'name' | 'owner' | 'visibility' | 'source'
>;

export interface AccessRequestRecord {
  id: string;
  dataset: AccessDataset;
  requester: string;
  justification: string;
  fields: Record<string, string>;
  scope: AccessScope;
  version: number;
  endsAt?: string;
  status: AccessRequestStatus;
  decidedBy?: string;
  decidedAt?: string;
  decisionReason?: string;
  /** The grant an approval created. */
  grantId?: string;
  createdAt: string;
}

export interface AccessGrantRecord {
  id: string;
  dataset: AccessDataset;
  grantee: string;
  fromVersion: number;
  toVersion?: number;
  endsAt?: string;
  requestId?: string;
  createdBy: string;
  createdAt: string;
  revokedBy?: string;
  revokedAt?: string;
  revokeReason?: string;
  expiredAt?: string;
}

export type AccessAuditAction =
  | 'requested'
  | 'approved'
  | 'rejected'
  | 'withdrawn'
  | 'granted'
  | 'revoked'
  | 'expired'
  | 'downloaded';

export interface AccessAuditRecord {
  id: string;
  action: AccessAuditAction;
  actor: string;
  subject?: string;
  version?: number;
  fromVersion?: number;
  toVersion?: number;
  requestId?: string;
  grantId?: string;
  reason?: string;
  createdAt: string;
}

export interface AccessDecisionResult {
  request: AccessRequestRecord;
  /** The grant an approval created. */
  grant?: AccessGrantRecord;
}

/** A position in a newest-first list: the last item of the previous page. */
export interface CreatedPosition {
  createdAt: string;
  id: string;
}

export interface Page<T> {
  items: T[];
  hasMore: boolean;
}

export interface CreateAccessRequestOptions {
  datasetId: string;
  requester: string;
  justification: string;
  fields: Record<string, string>;
  scope: AccessScope;
  version: number;
  endsAt?: Date;
}

export interface ListAccessRequestsOptions {
  /** Only this user's requests. */
  requester?: string;
  /** Leave out this user's requests. */
  notRequester?: string;
  /**
   * Only requests on datasets matching these permission conditions; applied
   * in the query, so pages are full.
   */
  datasetFilter?: PermissionCriteria<DatasetPermissionQuery>;
  datasetId?: string;
  status?: AccessRequestStatus;
  limit: number;
  before?: CreatedPosition;
}

export interface DecideAccessRequestOptions {
  id: string;
  decision: 'approved' | 'rejected';
  decidedBy: string;
  reason?: string;
  now: Date;
}

export interface CreateAccessGrantOptions {
  datasetId: string;
  grantee: string;
  fromVersion: number;
  toVersion?: number;
  endsAt?: Date;
  createdBy: string;
}

export interface ListAccessGrantsOptions {
  datasetId?: string;
  /** Only grants held by one of these users or groups. */
  grantees?: string[];
  status?: 'active' | 'revoked' | 'expired';
  now: Date;
  limit: number;
  before?: CreatedPosition;
}

/**
 * Access requests, grants and the per-dataset access log. Every state change
 * writes its log entry in the same transaction, and runs the caller's
 * `beforeCommit` (its events) in it too.
 */
export interface AccessStore {
  /**
   * Throws ConflictError when the requester already has a pending request
   * for the dataset.
   */
  createRequest(
    options: CreateAccessRequestOptions,
    write?: WriteOptions<AccessRequestRecord>,
  ): Promise<AccessRequestRecord>;
  getRequest(id: string): Promise<AccessRequestRecord | undefined>;
  listRequests(
    options: ListAccessRequestsOptions,
  ): Promise<Page<AccessRequestRecord>>;
  /** The requester's newest rejected request for the dataset. */
  getLastRejection(
    datasetId: string,
    requester: string,
  ): Promise<AccessRequestRecord | undefined>;
  getPendingRequest(
    datasetId: string,
    requester: string,
  ): Promise<AccessRequestRecord | undefined>;
  /**
   * Decides a pending request, and for an approval creates its grant, in one
   * transaction. Returns undefined when the request is not pending (any
   * more), so of two concurrent decisions exactly one succeeds.
   */
  decideRequest(
    options: DecideAccessRequestOptions,
    write?: WriteOptions<AccessDecisionResult>,
  ): Promise<AccessDecisionResult | undefined>;
  /** Undefined when the request is not the requester's pending request. */
  withdrawRequest(
    id: string,
    requester: string,
    now: Date,
    write?: WriteOptions<AccessRequestRecord>,
  ): Promise<AccessRequestRecord | undefined>;

  createGrant(
    options: CreateAccessGrantOptions,
    write?: WriteOptions<AccessGrantRecord>,
  ): Promise<AccessGrantRecord>;
  getGrant(id: string): Promise<AccessGrantRecord | undefined>;
  listGrants(
    options: ListAccessGrantsOptions,
  ): Promise<Page<AccessGrantRecord>>;
  /** Undefined when the grant was already revoked or has ended. */
  revokeGrant(
    options: {
      id: string;
      revokedBy: string;
      reason?: string;
      now: Date;
    },
    write?: WriteOptions<AccessGrantRecord>,
  ): Promise<AccessGrantRecord | undefined>;
  /**
   * Records, once per grant, that grants have passed their end; returns the
   * grants recorded by this call.
   */
  markExpiredGrants(
    options: {
      now: Date;
      actor: string;
      limit: number;
    },
    write?: WriteOptions<AccessGrantRecord[]>,
  ): Promise<AccessGrantRecord[]>;
  /** The active grants of each dataset, by dataset id. */
  getActiveGrants(
    datasetIds: string[],
    now: Date,
  ): Promise<Map<string, DatasetPermissionGrant[]>>;
  /**
   * Datasets with active grants, by namespace and name, with the sorted
   * grantees of each.
   */
  listGrantees(options: {
    now: Date;
    limit: number;
    after?: DatasetRef;
  }): Promise<Page<{ dataset: DatasetRef; grantees: string[] }>>;

  recordDownload(options: {
    datasetId: string;
    actor: string;
    version: number;
  }): Promise<void>;
  /** The dataset's access log, newest first. */
  listAuditEntries(
    datasetId: string,
    options: { limit: number; before?: string },
  ): Promise<Page<AccessAuditRecord>>;
}
