import { WriteOptions } from '../database/WriteOptions';

/** A finished demo run, as recorded. */
export interface DemoRunRecord {
  id: string;
  serviceRef: string;
  userRef: string;
  runner: string;
  inputDatasetRef?: string;
  inputVersion?: number;
  startedAt: Date;
  durationMs: number;
  rowsIn: number;
  rowsOut: number;
  outcome: 'succeeded' | 'failed';
  error?: string;
}

/** Run counts of one service, for its owners' page. */
export interface DemoRunStats {
  runs: number;
  succeeded: number;
  failed: number;
  lastRunAt?: string;
}

export interface DemoRunStore {
  recordRun(run: DemoRunRecord, write?: WriteOptions): Promise<void>;
  getStats(serviceRef: string): Promise<DemoRunStats>;
}
