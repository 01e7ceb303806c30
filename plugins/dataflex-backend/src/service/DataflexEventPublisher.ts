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
import { EventsService } from '@backstage/plugin-events-node';
import { DatasetRecord } from '../database/DatasetStore';
import { DatasetVersionRecord } from '../database/DatasetVersionStore';

const UPDATABLE_FIELDS = ['title', 'description', 'owner', 'tags'] as const;

/**
 * Tells the rest of the portal what changed, once the change is committed.
 *
 * Events go straight to the events service, so one can be lost if the
 * process dies between the commit and the publish, or the events backend is
 * unreachable; a transactional outbox will take this class's place. Until
 * then a failed publish is logged and never fails the request, whose change
 * is already committed.
 */
export class DataflexEventPublisher {
  static create(options: {
    events: EventsService;
    logger: LoggerService;
  }): DataflexEventPublisher {
    return new DataflexEventPublisher(options.events, options.logger);
  }

  private constructor(
    private readonly events: EventsService,
    private readonly logger: LoggerService,
  ) {}

  async datasetCreated(actor: string, dataset: DatasetRecord): Promise<void> {
    await this.publish<DatasetEventData>(
      DATAFLEX_EVENT_TOPICS.datasetCreated,
      actor,
      dataset,
      { dataset: describe(dataset) },
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
      );
    }
  }

  async datasetDeleted(actor: string, dataset: DatasetRecord): Promise<void> {
    await this.publish<DatasetEventData>(
      DATAFLEX_EVENT_TOPICS.datasetDeleted,
      actor,
      dataset,
      { dataset: describe(dataset) },
    );
  }

  async versionPublished(
    actor: string,
    dataset: DatasetRecord,
    version: DatasetVersionRecord,
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
    );
  }

  /** A demo ran; the subject is the service, the data has no rows. */
  async demoRun(actor: string, data: DemoRunEventData): Promise<void> {
    await this.emit(DATAFLEX_EVENT_TOPICS.demoRun, actor, data.service, data);
  }

  private async publish<TData extends DatasetEventData>(
    type: DataflexEventTopic,
    actor: string,
    dataset: DatasetRecord,
    data: TData,
  ): Promise<void> {
    await this.emit(
      type,
      actor,
      `dataset:${dataset.namespace}/${dataset.name}`,
      data,
    );
  }

  private async emit<TData>(
    type: DataflexEventTopic,
    actor: string,
    subject: string,
    data: TData,
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
    try {
      await this.events.publish({ topic: type, eventPayload: payload });
    } catch (error) {
      this.logger.error(
        `Could not publish ${type} event ${payload.eventId} for ${payload.subject}`,
        error as Error,
      );
    }
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
