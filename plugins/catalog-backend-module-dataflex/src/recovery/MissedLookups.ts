import { LifecycleService, LoggerService } from '@backstage/backend-plugin-api';

export interface MissedLookupsOptions {
  lifecycle: LifecycleService;
  logger: LoggerService;
  /** How soon to try again after DataFlex did not answer. */
  retryMs: number;
  /**
   * Asks DataFlex again about the missed datasets (entity refs). Whatever it
   * does must end in `answered` or `failed`.
   */
  retry(refs: string[]): void | Promise<void>;
  /** What the recovered datasets are, for the log: `shared datasets`. */
  recoveredDatasets: string;
}

/**
 * The datasets looked up while DataFlex did not answer. The catalog
 * processed them without what DataFlex would have said, and would only look
 * again on its next pass over them, minutes later. So DataFlex is asked again
 * shortly, and the datasets for which its answer matters are handed to
 * `onRecovered` to be processed again.
 */
export class MissedLookups {
  static create(options: MissedLookupsOptions): MissedLookups {
    return new MissedLookups(options);
  }

  private readonly missed = new Set<string>();
  private retryTimer?: NodeJS.Timeout;
  private stopped = false;
  private listener?: (entityRefs: string[]) => void;

  private constructor(private readonly options: MissedLookupsOptions) {
    options.lifecycle.addShutdownHook(() => {
      this.stopped = true;
      clearTimeout(this.retryTimer);
    });
  }

  /** Called with the datasets to process again once DataFlex answers. */
  onRecovered(listener: (entityRefs: string[]) => void): void {
    this.listener = listener;
  }

  /** Remembers datasets whose lookup DataFlex did not answer. */
  add(refs: Iterable<string>): void {
    for (const ref of refs) {
      this.missed.add(ref);
    }
  }

  /** DataFlex did not answer: asks again after a while, unless already due. */
  failed(): void {
    if (this.retryTimer || this.stopped) {
      return;
    }
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (this.missed.size > 0) {
        void this.options.retry([...this.missed]);
      }
    }, this.options.retryMs);
    this.retryTimer.unref?.();
  }

  /**
   * DataFlex answered about `refs` (by default every missed dataset): they
   * are no longer missed, and those `matters` picks are processed again.
   */
  answered(
    matters: (ref: string) => boolean,
    refs: string[] = [...this.missed],
  ): void {
    for (const ref of refs) {
      this.missed.delete(ref);
    }
    const recovered = refs.filter(matters);
    if (recovered.length > 0) {
      this.options.logger.info(
        `DataFlex answers again; processing ${recovered.length} ${this.options.recoveredDatasets} again`,
      );
      this.listener?.(recovered);
    }
  }
}
