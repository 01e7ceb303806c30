import { createApiRef } from '@backstage/core-plugin-api';
import {
  AccessDecision,
  AccessGrant,
  AccessGrantList,
  AccessGrantStatus,
  AccessRequest,
  AccessRequestList,
  AccessRequestStatus,
  AuditEntryList,
  DatasetAccessSummary,
  DatasetRefParts,
  NewAccessGrant,
  NewAccessRequest,
} from '@dataflex/backstage-plugin-dataflex-common';

/** One page of a cursor-paginated list. @public */
export interface PageOptions {
  limit?: number;
  /** The `nextCursor` of the previous page. */
  cursor?: string;
}

/** @public */
export interface ListAccessRequestsOptions extends PageOptions {
  /**
   * `requester` (the default): the caller's own requests; `approver`:
   * requests the caller may decide.
   */
  role?: 'requester' | 'approver';
  status?: AccessRequestStatus;
  /** Only requests for this dataset, `dataset:<namespace>/<name>`. */
  dataset?: string;
}

/** @public */
export interface ListDatasetGrantsOptions extends PageOptions {
  status?: AccessGrantStatus;
}

/**
 * Access requests, grants and the access audit log, served by the DataFlex
 * backend. Failed calls reject with a `ResponseError` carrying the backend's
 * message.
 *
 * @public
 */
export interface AccessRequestsApi {
  /** The caller's standing on a dataset and what a request form needs. */
  getDatasetAccess(ref: DatasetRefParts): Promise<DatasetAccessSummary>;
  /** Asks the dataset's owners for access. */
  createAccessRequest(
    ref: DatasetRefParts,
    request: NewAccessRequest,
  ): Promise<AccessRequest>;
  listAccessRequests(
    options?: ListAccessRequestsOptions,
  ): Promise<AccessRequestList>;
  getAccessRequest(id: string): Promise<AccessRequest>;
  decideAccessRequest(
    id: string,
    decision: AccessDecision,
  ): Promise<AccessRequest>;
  withdrawAccessRequest(id: string): Promise<AccessRequest>;
  /** A dataset's grants, for its owners and admins. */
  listDatasetGrants(
    ref: DatasetRefParts,
    options?: ListDatasetGrantsOptions,
  ): Promise<AccessGrantList>;
  /** Grants a user or group access directly. */
  createDatasetGrant(
    ref: DatasetRefParts,
    grant: NewAccessGrant,
  ): Promise<AccessGrant>;
  /** The active grants the caller holds, directly or through a group. */
  listOwnGrants(options?: PageOptions): Promise<AccessGrantList>;
  revokeGrant(id: string, options?: { reason?: string }): Promise<AccessGrant>;
  /** One page of a dataset's access log, newest first. */
  getDatasetAudit(
    ref: DatasetRefParts,
    options?: PageOptions,
  ): Promise<AuditEntryList>;
  /** The dataset's whole access log as CSV, fetched with the user's token. */
  getDatasetAuditCsv(ref: DatasetRefParts): Promise<Blob>;
}

/** @public */
export const accessRequestsApiRef = createApiRef<AccessRequestsApi>({
  id: 'plugin.dataflex.access-requests',
});
