import { DatasetFormat, DatasetVisibility } from './types';

/**
 * Topics DataFlex publishes to the Backstage events service (and, in
 * production, to Kafka). One topic per kind of state change so consumers can
 * subscribe narrowly.
 *
 * @public
 */
export const DATAFLEX_EVENT_TOPICS = {
  datasetCreated: 'dataflex.dataset.created',
  datasetUpdated: 'dataflex.dataset.updated',
  datasetDeleted: 'dataflex.dataset.deleted',
  datasetVisibilityChanged: 'dataflex.dataset.visibility-changed',
  versionPublished: 'dataflex.dataset.version-published',
  accessRequested: 'dataflex.access.requested',
  accessApproved: 'dataflex.access.approved',
  accessRejected: 'dataflex.access.rejected',
  accessRevoked: 'dataflex.access.revoked',
  accessExpired: 'dataflex.access.expired',
  demoRun: 'dataflex.demo.run',
} as const;

/** @public */
export type DataflexEventTopic =
  (typeof DATAFLEX_EVENT_TOPICS)[keyof typeof DATAFLEX_EVENT_TOPICS];

/** @public */
export const DATAFLEX_EVENT_PAYLOAD_VERSION = 1;

/**
 * The envelope of every DataFlex event. `data` carries only what the subject's
 * owners could see anyway; content never travels in an event.
 *
 * @public
 */
export interface DataflexEventPayload<TData = Record<string, unknown>> {
  /** Stable across redeliveries: consumers deduplicate on it. */
  eventId: string;
  version: typeof DATAFLEX_EVENT_PAYLOAD_VERSION;
  type: DataflexEventTopic;
  occurredAt: string;
  /** Entity ref of the user or service that caused the change. */
  actor: string;
  /** Entity ref of the dataset or service the event is about. */
  subject: string;
  data: TData;
}

/**
 * The dataset a dataset event is about: what identifies it and decides who
 * may see it, never its title, description or content.
 *
 * @public
 */
export interface DatasetEventDataset {
  namespace: string;
  name: string;
  /** Entity ref of the owning group or user, lower case. */
  owner: string;
  visibility: DatasetVisibility;
  /** `api`: created through DataFlex; `catalog`: a Dataset entity from YAML. */
  source: 'api' | 'catalog';
}

/**
 * `data` of the `dataflex.dataset.created` and `dataflex.dataset.deleted`
 * events.
 *
 * @public
 */
export interface DatasetEventData {
  dataset: DatasetEventDataset;
}

/**
 * `data` of `dataflex.dataset.updated`: which metadata fields changed, not
 * their values.
 *
 * @public
 */
export interface DatasetUpdatedEventData extends DatasetEventData {
  changed: Array<'title' | 'description' | 'owner' | 'tags'>;
}

/** `data` of `dataflex.dataset.visibility-changed`. @public */
export interface DatasetVisibilityChangedEventData extends DatasetEventData {
  from: DatasetVisibility;
  to: DatasetVisibility;
}

/**
 * `data` of `dataflex.dataset.version-published`: the new version's facts
 * and column schema, never its content.
 *
 * @public
 */
export interface DatasetVersionPublishedEventData extends DatasetEventData {
  version: {
    version: number;
    format: DatasetFormat;
    size: number;
    rowCount?: number;
    columns: Array<{ name: string; type: string }>;
  };
}

/** @public */
export function isDataflexEventTopic(
  topic: string,
): topic is DataflexEventTopic {
  return (Object.values(DATAFLEX_EVENT_TOPICS) as string[]).includes(topic);
}

/**
 * `data` of `dataflex.demo.run`: who ran which demo on which sample and how
 * it went. Never any row of the sample or the output.
 *
 * @public
 */
export interface DemoRunEventData {
  service: string;
  runner: string;
  outcome: 'succeeded' | 'failed';
  durationMs: number;
  rowsIn: number;
  rowsOut: number;
  /** Entity ref of the input dataset and the version sampled, when read. */
  input?: { dataset: string; version: number };
}

/**
 * An access request as the `dataflex.access.*` events describe it: who asked
 * for what, never the justification or the answers to the dataset's fields
 * (the requester's own words, for the dataset's owners only).
 *
 * @public
 */
export interface AccessEventRequest {
  id: string;
  /** Entity ref of the requesting user. */
  requester: string;
  scope: 'version' | 'version-and-later';
  version: number;
  /** ISO 8601 time the requested access should end. */
  endsAt?: string;
  status: 'pending' | 'approved' | 'rejected' | 'withdrawn';
}

/**
 * A grant as the `dataflex.access.*` events describe it.
 *
 * @public
 */
export interface AccessEventGrant {
  id: string;
  /** Entity ref of the user or group holding it. */
  grantee: string;
  fromVersion: number;
  /** Last version covered; absent for every later version too. */
  toVersion?: number;
  /** ISO 8601 time it ends. */
  endsAt?: string;
  /** The request whose approval created it; absent for direct grants. */
  requestId?: string;
}

/**
 * `data` of `dataflex.access.requested` and `dataflex.access.rejected`
 * (`decidedBy` set). Reasons are not included.
 *
 * @public
 */
export interface AccessRequestEventData extends DatasetEventData {
  request: AccessEventRequest;
  /** Entity ref of the user who rejected it. */
  decidedBy?: string;
}

/**
 * `data` of `dataflex.access.approved`: an owner or admin gave access,
 * either by approving `request` or directly (no `request`).
 *
 * @public
 */
export interface AccessApprovedEventData extends DatasetEventData {
  grant: AccessEventGrant;
  request?: AccessEventRequest;
}

/**
 * `data` of `dataflex.access.revoked` (with `revokedBy`) and
 * `dataflex.access.expired`. The grant stopped working.
 *
 * @public
 */
export interface AccessGrantEndedEventData extends DatasetEventData {
  grant: AccessEventGrant;
  /** Entity ref of the user who revoked it. */
  revokedBy?: string;
}
