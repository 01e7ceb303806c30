import { Knex } from 'knex';
import { toIsoString } from '../database/toIsoString';
import { WriteOptions } from '../database/WriteOptions';
import { DemoRunRecord, DemoRunStats, DemoRunStore } from './DemoRunStore';

/** Demo runs in the plugin's database; the schema comes from `migrations/`. */
export class DatabaseDemoRunStore implements DemoRunStore {
  static create(options: { knex: Knex }): DatabaseDemoRunStore {
    return new DatabaseDemoRunStore(options.knex);
  }

  private constructor(private readonly db: Knex) {}

  async recordRun(run: DemoRunRecord, write?: WriteOptions): Promise<void> {
    await this.db.transaction(async tx => {
      await tx('demo_runs').insert({
        id: run.id,
        service_ref: run.serviceRef,
        user_ref: run.userRef,
        runner: run.runner,
        input_dataset_ref: run.inputDatasetRef ?? null,
        input_version: run.inputVersion ?? null,
        started_at: run.startedAt,
        duration_ms: run.durationMs,
        rows_in: run.rowsIn,
        rows_out: run.rowsOut,
        outcome: run.outcome,
        error: run.error ?? null,
      });
      await write?.beforeCommit?.(tx);
    });
  }

  async getStats(serviceRef: string): Promise<DemoRunStats> {
    const rows: Array<{
      outcome: string;
      count: number | string;
      last?: Date | string;
    }> = await this.db('demo_runs')
      .where({ service_ref: serviceRef })
      .select('outcome')
      .count({ count: '*' })
      .max({ last: 'started_at' })
      .groupBy('outcome');
    const count = (outcome: string) =>
      Number(rows.find(r => r.outcome === outcome)?.count ?? 0);
    const last = rows
      .map(r => r.last)
      .filter(Boolean)
      .map(value => toIsoString(value as Date | string))
      .sort()
      .pop();
    return {
      runs: count('succeeded') + count('failed'),
      succeeded: count('succeeded'),
      failed: count('failed'),
      lastRunAt: last,
    };
  }
}
