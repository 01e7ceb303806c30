import { DataflexEventMessage } from '@dataflex/backstage-plugin-dataflex-node';
import { Knex } from 'knex';

/** A pending event as a relay claimed it. */
export interface OutboxEventRecord extends DataflexEventMessage {
  /** Commit order of the event. */
  sequence: number;
  /** Failed attempts before this one. */
  attempts: number;
  /** Ids of the sinks that already accepted the event. */
  deliveredTo: string[];
}

export interface ClaimOutboxEventsOptions {
  /** Identifies the relay; its claims are only released by itself or time. */
  owner: string;
  limit: number;
  /** How long the claim holds if the relay dies before finishing. */
  leaseMs: number;
  now: Date;
}

export interface OutboxDeliveryFailure {
  sequence: number;
  /** Failed attempts, this one included. */
  attempts: number;
  deliveredTo: string[];
  error: string;
  nextAttemptAt: Date;
}

export interface EventOutboxStore {
  /**
   * Writes events to the outbox; within `transaction` when given, so they
   * commit or roll back with the change they report.
   */
  add(
    messages: DataflexEventMessage[],
    options?: { transaction?: Knex.Transaction },
  ): Promise<void>;
  /**
   * Claims up to `limit` pending events, oldest first, that may be delivered
   * now: none whose subject has an earlier pending event that is waiting for
   * a retry or claimed by another relay, so a subject's events are delivered
   * in order. Claims serialise across backend instances.
   */
  claim(options: ClaimOutboxEventsOptions): Promise<OutboxEventRecord[]>;
  /** Every sink accepted these events. */
  markSent(sequences: number[], now: Date): Promise<void>;
  /** Counts a failed attempt and releases the claim until `nextAttemptAt`. */
  markFailed(owner: string, failures: OutboxDeliveryFailure[]): Promise<void>;
  /**
   * Releases claimed events that were not attempted (an earlier event of
   * their subject failed), remembering the sinks they reached.
   */
  release(
    owner: string,
    events: Array<{ sequence: number; deliveredTo: string[] }>,
  ): Promise<void>;
  /** Deletes events sent before `sentBefore`; returns how many. */
  prune(sentBefore: Date): Promise<number>;
  /** How many events are not yet sent to every sink. */
  countPending(): Promise<number>;
}
