import {
  LifecycleService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { EventsService } from '@backstage/plugin-events-node';
import { durationToMilliseconds } from '@backstage/types';
import {
  DataflexEventMessage,
  DataflexEventSink,
} from '@dataflex/backstage-plugin-dataflex-node';
import { Knex } from 'knex';
import { EventOutboxConfig } from './EventOutboxConfig';
import { EventOutboxRelay } from './EventOutboxRelay';
import { EventOutboxStore } from './EventOutboxStore';
import { EventsServiceSink } from './EventsServiceSink';

export interface AddEventsOptions {
  /**
   * The transaction that writes the change the events report: they commit
   * or roll back with it. Without one they are written on their own.
   */
  transaction?: Knex.Transaction;
}

/**
 * DataFlex's transactional outbox: events are written to the database with
 * the change they report and relayed from there to Backstage's events service
 * and every added sink (Kafka, for instance), so none is lost when the
 * process dies between the commit and the delivery.
 *
 * A relay pass starts right after each commit for low latency; a scheduled
 * task on one backend instance at a time picks up what passes left behind
 * and another prunes sent events after the retention.
 */
export class EventOutbox {
  static create(options: {
    store: EventOutboxStore;
    config: EventOutboxConfig;
    events: EventsService;
    sinks: DataflexEventSink[];
    scheduler: SchedulerService;
    logger: LoggerService;
    lifecycle: LifecycleService;
  }): EventOutbox {
    const sinks = [
      EventsServiceSink.create({ events: options.events }),
      ...options.sinks,
    ];
    const ids = sinks.map(sink => sink.id);
    const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
    if (duplicate) {
      throw new Error(
        `Two DataFlex event sinks have the id '${duplicate}'; each needs its own, since the outbox records deliveries by id`,
      );
    }
    const relay = EventOutboxRelay.create({
      store: options.store,
      sinks,
      logger: options.logger,
      batchSize: options.config.batchSize,
      leaseMs: options.config.leaseMs,
      maxBackoffMs: options.config.maxBackoffMs,
    });
    // Events a previous process committed but did not deliver, once every
    // plugin has subscribed to the events service.
    options.lifecycle.addStartupHook(() => relay.kick());
    options.lifecycle.addShutdownHook(() => relay.stop());
    return new EventOutbox(
      options.store,
      relay,
      options.config,
      options.scheduler,
      options.logger,
    );
  }

  private constructor(
    private readonly store: EventOutboxStore,
    private readonly relay: EventOutboxRelay,
    private readonly config: EventOutboxConfig,
    private readonly scheduler: SchedulerService,
    private readonly logger: LoggerService,
  ) {}

  async start(): Promise<void> {
    await this.scheduler.scheduleTask({
      id: 'dataflex-event-outbox-relay',
      scope: 'global',
      frequency: this.config.frequency,
      timeout: { minutes: 10 },
      initialDelay: this.config.frequency,
      fn: () => this.relay.drain(),
    });
    await this.scheduler.scheduleTask({
      id: 'dataflex-event-outbox-pruner',
      scope: 'global',
      frequency: { hours: 1 },
      timeout: { minutes: 10 },
      initialDelay: { minutes: 1 },
      fn: async () => {
        await this.prune();
      },
    });
  }

  /** Writes events; they are relayed once their transaction commits. */
  async add(
    messages: DataflexEventMessage[],
    options: AddEventsOptions = {},
  ): Promise<void> {
    await this.store.add(messages, options);
    const { transaction } = options;
    if (transaction) {
      transaction.executionPromise.then(
        () => this.relay.kick(),
        // Rolled back: there is nothing to relay.
        () => undefined,
      );
    } else {
      this.relay.kick();
    }
  }

  /** Relays until nothing more can be delivered right now. */
  async drain(): Promise<void> {
    await this.relay.drain();
  }

  /** Deletes events sent longer ago than the retention. */
  async prune(now: Date = new Date()): Promise<number> {
    const sentBefore = new Date(
      now.getTime() - durationToMilliseconds(this.config.retention),
    );
    const pruned = await this.store.prune(sentBefore);
    if (pruned > 0) {
      this.logger.info(
        `Pruned ${pruned} event(s) sent before ${sentBefore.toISOString()} from the outbox`,
      );
    }
    return pruned;
  }
}
