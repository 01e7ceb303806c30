import { randomUUID } from 'node:crypto';
import { LoggerService } from '@backstage/backend-plugin-api';
import {
  DATAFLEX_EVENT_PAYLOAD_VERSION,
  DATAFLEX_EVENT_TOPICS,
  DataflexEventPayload,
  DataflexEventTopic,
  DatasetEventData,
  DatasetEventDataset,
  DatasetUpdatedEventData,
  DatasetVersionPublishedEventData,
  DatasetVisibilityChangedEventData,
  DemoRunEventData,
} from '@dataflex/backstage-plugin-dataflex-common';
import { DatasetRecord } from '../database/DatasetStore';
import { DatasetVersionRecord } from '../database/DatasetVersionStore';
import { AddEventsOptions, EventOutbox } from '../events/EventOutbox';
import type {
  AccessApprovedEventData,
  AccessEventGrant,
  AccessEventRequest,
  AccessGrantEndedEventData,
  AccessRequestEventData,
} from '@dataflex/backstage-plugin-dataflex-common';
import type {
  AccessDataset,
  AccessGrantRecord,
  AccessRequestRecord,
} from '../access/AccessStore';

/**
 * How an event joins the change it reports: pass the transaction that writes
 * the change, and the event commits (or rolls back) with it.
 */
export type DataflexEventOptions = AddEventsOptions;

const UPDATABLE_FIELDS = ['title', 'description', 'owner', 'tags'] as const;

/**
 * Tells the rest of the portal, and other systems, what changed: builds each
 * event's payload and writes it to the transactional outbox, which relays it
 * to Backstage's events service and to Kafka once the change is committed.
 *
 * Every method takes the transaction that writes the change
 * (`{ transaction }`); the event is then committed with it, or not at all.
 * Without a transaction the event is written after the fact, and a failure to
 * write it is logged rather than failing a change that is already committed.
 */
export class DataflexEventPublisher {
  static create(options: {
    outbox: EventOutbox;
    logger: LoggerService;
  }): DataflexEventPublisher {
    return new DataflexEventPublisher(options.outbox, options.logger);
  }

  private constructor(
    private readonly outbox: EventOutbox,
    private readonly logger: LoggerService,
  ) {}

  async datasetCreated(
    actor: string,
    dataset: DatasetRecord,
    options?: DataflexEventOptions,
  ): Promise<void> {
    await this.publish<DatasetEventData>(
      DATAFLEX_EVENT_TOPICS.datasetCreated,
      actor,
      dataset,
      { dataset: describe(dataset) },
      options,
    );
  }

  /**
   * Publishes `visibility-changed` when the visibility changed and
   * `updated` when any other field did; nothing for a no-op change.
   */
  async datasetUpdated(
    actor: string,
    before: DatasetRecord,
    after: DatasetRecord,
    options?: DataflexEventOptions,
  ): Promise<void> {
    if (before.visibility !== after.visibility) {
      await this.publish<DatasetVisibilityChangedEventData>(
        DATAFLEX_EVENT_TOPICS.datasetVisibilityChanged,
        actor,
        after,
        {
          dataset: describe(after),
          from: before.visibility,
          to: after.visibility,
        },
        options,
      );
    }
    const changed = UPDATABLE_FIELDS.filter(
      field => JSON.stringify(before[field]) !== JSON.stringify(after[field]),
    );
    if (changed.length > 0) {
      await this.publish<DatasetUpdatedEventData>(
        DATAFLEX_EVENT_TOPICS.datasetUpdated,
        actor,
        after,
        { dataset: describe(after), changed },
        options,
      );
    }
  }

  async datasetDeleted(
    actor: string,
    dataset: DatasetRecord,
    options?: DataflexEventOptions,
  ): Promise<void> {
    await this.publish<DatasetEventData>(
      DATAFLEX_EVENT_TOPICS.datasetDeleted,
      actor,
      dataset,
      { dataset: describe(dataset) },
      options,
    );
  }

  async versionPublished(
    actor: string,
    dataset: DatasetRecord,
    version: DatasetVersionRecord,
    options?: DataflexEventOptions,
  ): Promise<void> {
    await this.publish<DatasetVersionPublishedEventData>(
      DATAFLEX_EVENT_TOPICS.versionPublished,
      actor,
      dataset,
      {
        dataset: describe(dataset),
        version: {
          version: version.version,
          format: version.format,
          size: version.size,
          rowCount: version.rowCount,
          columns: version.columns.map(c => ({ name: c.name, type: c.type })),
        },
      },
      options,
    );
  }

  /** A demo ran; the subject is the service, the data has no rows. */
  async demoRun(
    actor: string,
    data: DemoRunEventData,
    options?: DataflexEventOptions,
  ): Promise<void> {
    await this.emit(
      DATAFLEX_EVENT_TOPICS.demoRun,
      actor,
      data.service,
      data,
      options,
    );
  }

  private async publish<TData extends DatasetEventData>(
    type: DataflexEventTopic,
    actor: string,
    dataset: DatasetRecord,
    data: TData,
    options?: DataflexEventOptions,
  ): Promise<void> {
    await this.emit(
      type,
      actor,
      `dataset:${dataset.namespace}/${dataset.name}`,
      data,
      options,
    );
  }

  private async emit<TData>(
    type: DataflexEventTopic,
    actor: string,
    subject: string,
    data: TData,
    options: DataflexEventOptions = {},
  ): Promise<void> {
    const payload: DataflexEventPayload<TData> = {
      eventId: randomUUID(),
      version: DATAFLEX_EVENT_PAYLOAD_VERSION,
      type,
      occurredAt: new Date().toISOString(),
      actor,
      subject,
      data,
    };
    const message = { topic: type, key: subject, payload };
    if (options.transaction) {
      // Failing here rolls the change back with its event.
      await this.outbox.add([message], options);
      return;
    }
    try {
      await this.outbox.add([message]);
    } catch (error) {
      this.logger.error(
        `Could not write ${type} event ${payload.eventId} for ${payload.subject} to the outbox; it is lost`,
        error as Error,
      );
    }
  }

  /** Someone asked for access to a dataset's content. */
  async accessRequested(
    request: AccessRequestRecord,
    options?: DataflexEventOptions,
  ): Promise<void> {
    await this.emit<AccessRequestEventData>(
      DATAFLEX_EVENT_TOPICS.accessRequested,
      request.requester,
      accessSubject(request.dataset),
      {
        dataset: describeAccessDataset(request.dataset),
        request: describeRequest(request),
      },
      options,
    );
  }

  async accessRejected(
    request: AccessRequestRecord,
    options?: DataflexEventOptions,
  ): Promise<void> {
    await this.emit<AccessRequestEventData>(
      DATAFLEX_EVENT_TOPICS.accessRejected,
      request.decidedBy ?? request.requester,
      accessSubject(request.dataset),
      {
        dataset: describeAccessDataset(request.dataset),
        request: describeRequest(request),
        decidedBy: request.decidedBy,
      },
      options,
    );
  }

  /** Access was given: by approving `request`, or directly without one. */
  async accessApproved(
    actor: string,
    grant: AccessGrantRecord,
    request: AccessRequestRecord | undefined,
    options?: DataflexEventOptions,
  ): Promise<void> {
    await this.emit<AccessApprovedEventData>(
      DATAFLEX_EVENT_TOPICS.accessApproved,
      actor,
      accessSubject(grant.dataset),
      {
        dataset: describeAccessDataset(grant.dataset),
        grant: describeGrant(grant),
        ...(request && { request: describeRequest(request) }),
      },
      options,
    );
  }

  async accessRevoked(
    grant: AccessGrantRecord,
    options?: DataflexEventOptions,
  ): Promise<void> {
    await this.emit<AccessGrantEndedEventData>(
      DATAFLEX_EVENT_TOPICS.accessRevoked,
      grant.revokedBy ?? grant.createdBy,
      accessSubject(grant.dataset),
      {
        dataset: describeAccessDataset(grant.dataset),
        grant: describeGrant(grant),
        revokedBy: grant.revokedBy,
      },
      options,
    );
  }

  /** A grant reached its end date; `actor` is the expiry task. */
  async accessExpired(
    actor: string,
    grant: AccessGrantRecord,
    options?: DataflexEventOptions,
  ): Promise<void> {
    await this.emit<AccessGrantEndedEventData>(
      DATAFLEX_EVENT_TOPICS.accessExpired,
      actor,
      accessSubject(grant.dataset),
      {
        dataset: describeAccessDataset(grant.dataset),
        grant: describeGrant(grant),
      },
      options,
    );
  }
}

function describe(dataset: DatasetRecord): DatasetEventDataset {
  return {
    namespace: dataset.namespace,
    name: dataset.name,
    owner: dataset.owner,
    visibility: dataset.visibility,
    source: dataset.source,
  };
}

function accessSubject(dataset: AccessDataset): string {
  return `dataset:${dataset.namespace}/${dataset.name}`;
}

function describeAccessDataset(dataset: AccessDataset): DatasetEventDataset {
  return {
    namespace: dataset.namespace,
    name: dataset.name,
    owner: dataset.owner,
    visibility: dataset.visibility,
    source: dataset.source,
  };
}

/** Never the justification or the answers to the dataset's fields. */
function describeRequest(request: AccessRequestRecord): AccessEventRequest {
  return {
    id: request.id,
    requester: request.requester,
    scope: request.scope,
    version: request.version,
    ...(request.endsAt && { endsAt: request.endsAt }),
    status: request.status,
  };
}

function describeGrant(grant: AccessGrantRecord): AccessEventGrant {
  return {
    id: grant.id,
    grantee: grant.grantee,
    fromVersion: grant.fromVersion,
    ...(grant.toVersion !== undefined && { toVersion: grant.toVersion }),
    ...(grant.endsAt && { endsAt: grant.endsAt }),
    ...(grant.requestId && { requestId: grant.requestId }),
  };
}
