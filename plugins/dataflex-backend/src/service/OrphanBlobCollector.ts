import { LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import { durationToMilliseconds, HumanDuration } from '@backstage/types';
import { BlobStore } from '@dataflex/backstage-plugin-dataflex-node';
import { DatasetVersionStore } from '../database/DatasetVersionStore';

const BATCH_SIZE = 500;

/**
 * Removes stored content that no dataset version references any more: that
 * of deleted datasets, and uploads that failed after their content was
 * stored (for example a version refused as identical to the latest, or a
 * process that died before committing). Content younger than the grace
 * period is left alone, so an upload about to commit is never raced; an
 * upload that reuses older content is protected by
 * {@link DatasetVersionStore.deleteIfUnreferenced}. Runs on one backend
 * instance at a time.
 */
export class OrphanBlobCollector {
  static create(options: {
    blobStore: BlobStore;
    versionStore: DatasetVersionStore;
    scheduler: SchedulerService;
    logger: LoggerService;
    frequency: HumanDuration;
    gracePeriod: HumanDuration;
  }): OrphanBlobCollector {
    return new OrphanBlobCollector(
      options.blobStore,
      options.versionStore,
      options.scheduler,
      options.logger,
      options.frequency,
      options.gracePeriod,
    );
  }

  private constructor(
    private readonly blobStore: BlobStore,
    private readonly versionStore: DatasetVersionStore,
    private readonly scheduler: SchedulerService,
    private readonly logger: LoggerService,
    private readonly frequency: HumanDuration,
    private readonly gracePeriod: HumanDuration,
  ) {}

  async start(): Promise<void> {
    await this.scheduler.scheduleTask({
      id: 'dataflex-orphan-blob-collector',
      scope: 'global',
      frequency: this.frequency,
      timeout: this.frequency,
      initialDelay: { minutes: 5 },
      fn: async () => {
        await this.collect();
      },
    });
  }

  /** Removes unreferenced content last modified before now minus the grace period. */
  async collect(now: Date = new Date()): Promise<{ removed: string[] }> {
    const cutoff = now.getTime() - durationToMilliseconds(this.gracePeriod);
    const removed: string[] = [];
    let batch: string[] = [];
    const flush = async () => {
      const referenced = await this.versionStore.findReferencedDigests(batch);
      for (const sha256 of batch.filter(d => !referenced.has(d))) {
        const deleted = await this.versionStore.deleteIfUnreferenced(
          sha256,
          () => this.blobStore.delete(sha256),
        );
        if (deleted) {
          removed.push(sha256);
        }
      }
      batch = [];
    };
    for await (const blob of this.blobStore.list()) {
      if (blob.lastModified.getTime() < cutoff) {
        batch.push(blob.sha256);
        if (batch.length >= BATCH_SIZE) {
          await flush();
        }
      }
    }
    await flush();
    if (removed.length > 0) {
      this.logger.info(
        `Removed ${removed.length} stored blob(s) that no dataset version references`,
      );
    }
    return { removed };
  }
}
