import { LockoutPolicy } from '../config/readLocalProviderConfig';
import {
  LocalAuthStore,
  ThrottleScope,
  ThrottleSubject,
} from '../database/LocalAuthStore';

/** Who is trying to sign in: the user name tried and the client address. */
export interface SignInAttempt {
  username: string;
  ip: string;
}

/**
 * Counts failed sign-ins per user name and per client address in the
 * database, so that every backend instance sees the same counts, and locks a
 * subject out once it reaches its policy's limit.
 *
 * User names are counted whether or not an account exists, so a lockout
 * happens after the same number of attempts for both and tells nothing about
 * which names are real.
 */
export class LoginThrottle {
  static create(options: {
    store: LocalAuthStore;
    policies: Record<ThrottleScope, LockoutPolicy>;
  }): LoginThrottle {
    return new LoginThrottle(options.store, options.policies);
  }

  private constructor(
    private readonly store: LocalAuthStore,
    private readonly policies: Record<ThrottleScope, LockoutPolicy>,
  ) {}

  /** When the attempt may be retried, if either subject is locked out. */
  async lockedUntil(
    attempt: SignInAttempt,
    now: Date,
  ): Promise<Date | undefined> {
    let latest: Date | undefined;
    for (const subject of subjectsOf(attempt)) {
      const until = await this.store.getLockedUntil(subject, now);
      if (until && (!latest || until > latest)) {
        latest = until;
      }
    }
    return latest;
  }

  async recordFailure(attempt: SignInAttempt, now: Date): Promise<void> {
    for (const subject of subjectsOf(attempt)) {
      const policy = this.policies[subject.scope];
      await this.store.recordFailure(subject, now);
      const failures = await this.store.countFailuresSince(
        subject,
        new Date(now.getTime() - policy.windowMs),
      );
      if (failures >= policy.maxFailures) {
        await this.store.lockOut(
          subject,
          new Date(now.getTime() + policy.durationMs),
        );
        // Counting starts afresh once the lockout ends.
        await this.store.clearFailures(subject);
      }
    }
  }

  /**
   * Forgets the account's failures. The address keeps its count: otherwise
   * someone with one valid account could reset it between guesses at others.
   */
  async recordSuccess(attempt: SignInAttempt): Promise<void> {
    await this.store.clearFailures({
      scope: 'account',
      subject: attempt.username,
    });
  }

  /** How long failures need to be kept to apply the policies. */
  get longestWindowMs(): number {
    return Math.max(this.policies.account.windowMs, this.policies.ip.windowMs);
  }
}

function subjectsOf(attempt: SignInAttempt): ThrottleSubject[] {
  return [
    { scope: 'account', subject: attempt.username },
    { scope: 'ip', subject: attempt.ip },
  ];
}
