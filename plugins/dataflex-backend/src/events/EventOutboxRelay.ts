import { randomUUID } from 'node:crypto';
import { LoggerService } from '@backstage/backend-plugin-api';
import { DataflexEventSink } from '@dataflex/backstage-plugin-dataflex-node';
import {
  EventOutboxStore,
  OutboxDeliveryFailure,
  OutboxEventRecord,
} from './EventOutboxStore';

const FIRST_RETRY_MS = 1_000;

export interface EventOutboxRelayOptions {
  store: EventOutboxStore;
  /** Delivered to in this order; an event is sent once all accepted it. */
  sinks: DataflexEventSink[];
  logger: LoggerService;
  batchSize: number;
  leaseMs: number;
  maxBackoffMs: number;
}

/** What one pass of the relay did. */
export interface RelayPassResult {
  claimed: number;
  sent: number;
  failed: number;
}

/**
 * Moves committed events from the outbox to the sinks: claims a batch, hands
 * it to each sink in commit order and marks the events sent only once every
 * sink accepted them. A sink that fails for an event stops that subject's
 * later events in the batch, so each subject's events arrive in order; the
 * failed event is retried with exponential backoff. Delivery is at least
 * once: an event may arrive twice, always with the same eventId.
 *
 * Within a process one pass runs at a time; `kick` after a commit and the
 * scheduled task share it. Across processes the store's claims keep relays
 * apart.
 */
export class EventOutboxRelay {
  static create(options: EventOutboxRelayOptions): EventOutboxRelay {
    return new EventOutboxRelay(options);
  }

  private readonly owner = randomUUID();
  private running?: Promise<void>;
  private again = false;
  private retryTimer?: NodeJS.Timeout;
  private retryAt = Infinity;
  private stopped = false;

  private constructor(private readonly options: EventOutboxRelayOptions) {}

  /** Relays soon, without waiting; for right after a commit. */
  kick(): void {
    this.drain().catch(error =>
      this.options.logger.error(
        'The event outbox relay failed; the scheduled run will retry',
        error,
      ),
    );
  }

  /**
   * Relays until nothing more can be delivered right now. A call while a
   * pass is running makes it look again before it finishes, and waits for
   * that.
   */
  drain(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    const run = (async () => {
      try {
        do {
          this.again = false;
          let result: RelayPassResult;
          do {
            result = await this.relayOnce();
          } while (
            !this.stopped &&
            result.claimed === this.options.batchSize &&
            result.sent + result.failed > 0
          );
        } while (this.again && !this.stopped);
      } finally {
        this.running = undefined;
      }
    })();
    this.running = run;
    return run;
  }

  /** Stops retry timers and waits for a running pass. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    await this.running?.catch(() => undefined);
  }

  /** One claim-deliver-mark pass over at most a batch. */
  async relayOnce(now: Date = new Date()): Promise<RelayPassResult> {
    const { store, sinks, batchSize, leaseMs } = this.options;
    const events = await store.claim({
      owner: this.owner,
      limit: batchSize,
      leaseMs,
      now,
    });
    if (events.length === 0) {
      return { claimed: 0, sent: 0, failed: 0 };
    }

    const blockedSubjects = new Set<string>();
    const errors = new Map<number, string>();
    for (const sink of sinks) {
      const due = () =>
        events.filter(
          e => !blockedSubjects.has(e.key) && !e.deliveredTo.includes(sink.id),
        );
      const batch = due();
      if (batch.length === 0) {
        continue;
      }
      try {
        await sink.publish(batch.map(toMessage));
        for (const event of batch) {
          event.deliveredTo.push(sink.id);
        }
      } catch {
        // Find which events fail, one at a time and in order, so one bad
        // event holds back only its own subject.
        for (const event of due()) {
          if (blockedSubjects.has(event.key)) {
            continue;
          }
          try {
            await sink.publish([toMessage(event)]);
            event.deliveredTo.push(sink.id);
          } catch (error) {
            blockedSubjects.add(event.key);
            errors.set(event.sequence, `${sink.id}: ${String(error)}`);
          }
        }
      }
    }

    const sent = events.filter(e =>
      sinks.every(sink => e.deliveredTo.includes(sink.id)),
    );
    const failures: OutboxDeliveryFailure[] = [];
    const held: OutboxEventRecord[] = [];
    for (const event of events) {
      const error = errors.get(event.sequence);
      if (error !== undefined) {
        const attempts = event.attempts + 1;
        failures.push({
          sequence: event.sequence,
          attempts,
          deliveredTo: event.deliveredTo,
          error,
          nextAttemptAt: new Date(now.getTime() + this.backoffMs(attempts)),
        });
        this.options.logger.warn(
          `Could not deliver ${event.topic} event ${event.payload.eventId} for ${event.key} (attempt ${attempts}); retrying later: ${error}`,
        );
      } else if (!sent.includes(event)) {
        held.push(event);
      }
    }

    await store.markSent(
      sent.map(e => e.sequence),
      new Date(),
    );
    await store.markFailed(this.owner, failures);
    await store.release(this.owner, held);
    if (failures.length > 0) {
      this.retryAfter(
        Math.min(...failures.map(f => f.nextAttemptAt.getTime())) -
          now.getTime(),
      );
    }
    return {
      claimed: events.length,
      sent: sent.length,
      failed: failures.length,
    };
  }

  private backoffMs(attempts: number): number {
    const exponential = FIRST_RETRY_MS * 2 ** Math.min(attempts - 1, 30);
    const capped = Math.min(exponential, this.options.maxBackoffMs);
    // Spread retries of many instances and events a little.
    return Math.round(capped * (0.8 + Math.random() * 0.4));
  }

  /** Looks again once the earliest retry is due, not only on schedule. */
  private retryAfter(delayMs: number) {
    const at = Date.now() + Math.max(delayMs, 0);
    if (this.stopped || at >= this.retryAt) {
      return;
    }
    clearTimeout(this.retryTimer);
    this.retryAt = at;
    this.retryTimer = setTimeout(() => {
      this.retryAt = Infinity;
      this.retryTimer = undefined;
      this.kick();
    }, Math.max(delayMs, 0) + 10);
    this.retryTimer.unref?.();
  }
}

function toMessage(event: OutboxEventRecord) {
  return { topic: event.topic, key: event.key, payload: event.payload };
}
