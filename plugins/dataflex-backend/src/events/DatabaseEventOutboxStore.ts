import { DataflexEventTopic } from '@dataflex/backstage-plugin-dataflex-common';
import { DataflexEventMessage } from '@dataflex/backstage-plugin-dataflex-node';
import { Knex } from 'knex';
import {
  ClaimOutboxEventsOptions,
  EventOutboxStore,
  OutboxDeliveryFailure,
  OutboxEventRecord,
} from './EventOutboxStore';

const TABLE = 'event_outbox';

/**
 * How many pending rows a claim looks at per event it may claim. Rows behind
 * a subject that waits for a retry are skipped, so a long outage of one
 * subject's delivery only slows the others down once its backlog is larger
 * than this window.
 */
const SCAN_FACTOR = 10;

interface OutboxRow {
  sequence: number | string;
  event_id: string;
  topic: string;
  subject: string;
  payload: string;
  created_at: Date | number | string;
  attempts: number;
  next_attempt_at: Date | number | string | null;
  claimed_by: string | null;
  claimed_until: Date | number | string | null;
  delivered_to: string | null;
  last_error: string | null;
  sent_at: Date | number | string | null;
}

/**
 * The outbox in the plugin's database (`event_outbox`, see migrations/).
 *
 * Claims run in a short transaction. On PostgreSQL a transaction-scoped
 * advisory lock serialises them across backend instances, so two relays never
 * both take the next event of a subject; SQLite serialises writers by itself.
 * A claim is a lease: a relay that dies leaves its events to others once the
 * lease lapses.
 */
export class DatabaseEventOutboxStore implements EventOutboxStore {
  static create(options: { knex: Knex }): DatabaseEventOutboxStore {
    return new DatabaseEventOutboxStore(options.knex);
  }

  private constructor(private readonly db: Knex) {}

  async add(
    messages: DataflexEventMessage[],
    options?: { transaction?: Knex.Transaction },
  ): Promise<void> {
    if (messages.length === 0) {
      return;
    }
    const db = options?.transaction ?? this.db;
    const now = new Date();
    await db<OutboxRow>(TABLE).insert(
      messages.map(message => ({
        event_id: message.payload.eventId,
        topic: message.topic,
        subject: message.key,
        payload: JSON.stringify(message.payload),
        created_at: now,
        attempts: 0,
      })),
    );
  }

  async claim(options: ClaimOutboxEventsOptions): Promise<OutboxEventRecord[]> {
    const { owner, limit, leaseMs, now } = options;
    return this.db.transaction(async tx => {
      if (tx.client.dialect === 'postgresql') {
        await tx.raw('select pg_advisory_xact_lock(hashtextextended(?, 0))', [
          'dataflex-event-outbox-claim',
        ]);
      }
      const pending: OutboxRow[] = await tx<OutboxRow>(TABLE)
        .whereNull('sent_at')
        .orderBy('sequence', 'asc')
        .limit(limit * SCAN_FACTOR);

      const blocked = new Set<string>();
      const claimed: OutboxRow[] = [];
      for (const row of pending) {
        if (claimed.length >= limit) {
          break;
        }
        const waiting =
          isAfter(row.claimed_until, now) || isAfter(row.next_attempt_at, now);
        if (waiting || blocked.has(row.subject)) {
          blocked.add(row.subject);
          continue;
        }
        claimed.push(row);
      }
      // Stay well below the bind-parameter limits of every database.
      for (let i = 0; i < claimed.length; i += 500) {
        await tx<OutboxRow>(TABLE)
          .whereIn(
            'sequence',
            claimed.slice(i, i + 500).map(row => row.sequence),
          )
          .update({
            claimed_by: owner,
            claimed_until: new Date(now.getTime() + leaseMs),
          });
      }
      return claimed.map(toRecord);
    });
  }

  async markSent(sequences: number[], now: Date): Promise<void> {
    for (let i = 0; i < sequences.length; i += 500) {
      await this.db<OutboxRow>(TABLE)
        .whereIn('sequence', sequences.slice(i, i + 500))
        .whereNull('sent_at')
        .update({
          sent_at: now,
          claimed_by: null,
          claimed_until: null,
          last_error: null,
        });
    }
  }

  async markFailed(
    owner: string,
    failures: OutboxDeliveryFailure[],
  ): Promise<void> {
    if (failures.length === 0) {
      return;
    }
    await this.db.transaction(async tx => {
      for (const failure of failures) {
        // Another relay may have taken over after the lease lapsed; its
        // claim and outcome win.
        await tx<OutboxRow>(TABLE)
          .where({ sequence: failure.sequence, claimed_by: owner })
          .whereNull('sent_at')
          .update({
            attempts: failure.attempts,
            next_attempt_at: failure.nextAttemptAt,
            delivered_to: JSON.stringify(failure.deliveredTo),
            last_error: failure.error.slice(0, 2000),
            claimed_by: null,
            claimed_until: null,
          });
      }
    });
  }

  async release(
    owner: string,
    events: Array<{ sequence: number; deliveredTo: string[] }>,
  ): Promise<void> {
    if (events.length === 0) {
      return;
    }
    await this.db.transaction(async tx => {
      for (const event of events) {
        await tx<OutboxRow>(TABLE)
          .where({ sequence: event.sequence, claimed_by: owner })
          .whereNull('sent_at')
          .update({
            delivered_to: JSON.stringify(event.deliveredTo),
            claimed_by: null,
            claimed_until: null,
          });
      }
    });
  }

  async prune(sentBefore: Date): Promise<number> {
    return this.db<OutboxRow>(TABLE)
      .whereNotNull('sent_at')
      .andWhere('sent_at', '<', sentBefore)
      .delete();
  }

  async countPending(): Promise<number> {
    const result = await this.db<OutboxRow>(TABLE)
      .whereNull('sent_at')
      .count({ count: '*' })
      .first();
    return Number(result?.count ?? 0);
  }
}

/** SQLite hands timestamps back as epoch milliseconds, PostgreSQL as Date. */
function isAfter(value: OutboxRow['claimed_until'], now: Date): boolean {
  return (
    value !== null &&
    value !== undefined &&
    new Date(value).getTime() > now.getTime()
  );
}

function toRecord(row: OutboxRow): OutboxEventRecord {
  return {
    sequence: Number(row.sequence),
    topic: row.topic as DataflexEventTopic,
    key: row.subject,
    payload: JSON.parse(row.payload),
    attempts: Number(row.attempts),
    deliveredTo: row.delivered_to ? JSON.parse(row.delivered_to) : [],
  };
}
