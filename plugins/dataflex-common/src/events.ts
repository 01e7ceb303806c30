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

/** @public */
export function isDataflexEventTopic(
  topic: string,
): topic is DataflexEventTopic {
  return (Object.values(DATAFLEX_EVENT_TOPICS) as string[]).includes(topic);
}
