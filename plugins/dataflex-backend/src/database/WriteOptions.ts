import { Knex } from 'knex';

/** Lets the caller of a store write add its own writes to the transaction. */
export interface WriteOptions<TResult = void> {
  /**
   * Runs inside the transaction that makes the write, after it and before
   * the commit, with what was written; if it throws, nothing is committed.
   * DataFlex writes the change's events to the outbox here.
   */
  beforeCommit?: (
    transaction: Knex.Transaction,
    result: TResult,
  ) => Promise<void>;
}
