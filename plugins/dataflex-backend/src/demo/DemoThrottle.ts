import { ServiceUnavailableError } from '@backstage/errors';
import { TooManyRequestsError } from '../service/errors';

/**
 * Per-user rate limit (a sliding one-minute window) and a cap on demo runs
 * in flight, so one user or one slow service cannot take the backend down.
 * In memory: each backend instance enforces its own share.
 */
export class DemoThrottle {
  private readonly recent = new Map<string, number[]>();
  private running = 0;

  static create(options: {
    perUserPerMinute: number;
    maxConcurrent: number;
    now?: () => number;
  }) {
    return new DemoThrottle(
      options.perUserPerMinute,
      options.maxConcurrent,
      options.now ?? Date.now,
    );
  }

  private constructor(
    private readonly perUserPerMinute: number,
    private readonly maxConcurrent: number,
    private readonly now: () => number,
  ) {}

  /** Runs `task` if the user and the backend have room, else throws. */
  async run<T>(userRef: string, task: () => Promise<T>): Promise<T> {
    const now = this.now();
    const windowStart = now - 60_000;
    const times = (this.recent.get(userRef) ?? []).filter(t => t > windowStart);
    if (times.length >= this.perUserPerMinute) {
      const retryInSeconds = Math.ceil((times[0] + 60_000 - now) / 1000);
      throw new TooManyRequestsError(
        `You ran ${times.length} demos in the last minute; try again in ${retryInSeconds} s`,
      );
    }
    if (this.running >= this.maxConcurrent) {
      throw new ServiceUnavailableError(
        'Too many demos are running right now; try again shortly',
      );
    }
    times.push(now);
    this.recent.set(userRef, times);
    this.running++;
    try {
      return await task();
    } finally {
      this.running--;
    }
  }
}
