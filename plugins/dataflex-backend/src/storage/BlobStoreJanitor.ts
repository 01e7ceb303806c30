import { LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds, HumanDuration } from '@backstage/types';
import {
  BlobStore,
  BlobSweepResult,
} from '@dataflex/backstage-plugin-dataflex-node';

const DEFAULT_FREQUENCY: HumanDuration = { minutes: 15 };
const DEFAULT_GRACE_PERIOD: HumanDuration = { hours: 1 };

/**
 * Periodically removes what interrupted uploads left in the blob store:
 * temporary objects and unfinished multipart uploads idle for longer than the
 * grace period. Runs on one backend instance at a time (global scope).
 */
export class BlobStoreJanitor {
  static fromConfig(
    config: Config,
    options: {
      blobStore: BlobStore;
      scheduler: SchedulerService;
      logger: LoggerService;
    },
  ): BlobStoreJanitor {
    const read = (name: string, fallback: HumanDuration) => {
      const key = `dataflex.storage.janitor.${name}`;
      return config.has(key)
        ? readDurationFromConfig(config, { key })
        : fallback;
    };
    const frequency = read('frequency', DEFAULT_FREQUENCY);
    const gracePeriod = read('gracePeriod', DEFAULT_GRACE_PERIOD);
    if (durationToMilliseconds(gracePeriod) <= 0) {
      throw new Error(
        'Invalid config at dataflex.storage.janitor.gracePeriod: it must be longer than zero, or uploads in progress would be swept',
      );
    }
    return new BlobStoreJanitor(
      options.blobStore,
      options.scheduler,
      options.logger,
      frequency,
      gracePeriod,
    );
  }

  private constructor(
    private readonly blobStore: BlobStore,
    private readonly scheduler: SchedulerService,
    private readonly logger: LoggerService,
    private readonly frequency: HumanDuration,
    private readonly gracePeriod: HumanDuration,
  ) {}

  async start(): Promise<void> {
    await this.scheduler.scheduleTask({
      id: 'dataflex-blob-store-janitor',
      scope: 'global',
      frequency: this.frequency,
      // A run that hangs is released in time for the next one.
      timeout: this.frequency,
      initialDelay: { minutes: 1 },
      fn: async () => {
        await this.sweep();
      },
    });
  }

  /** Sweeps leftovers idle for longer than the grace period. */
  async sweep(now: Date = new Date()): Promise<BlobSweepResult> {
    const olderThan = new Date(
      now.getTime() - durationToMilliseconds(this.gracePeriod),
    );
    const result = await this.blobStore.sweep({ olderThan });
    if (result.abortedUploads > 0 || result.removedTempObjects > 0) {
      this.logger.info(
        `Blob store janitor aborted ${
          result.abortedUploads
        } unfinished upload(s) and removed ${
          result.removedTempObjects
        } temporary object(s) idle since before ${olderThan.toISOString()}`,
      );
    }
    return result;
  }
}
