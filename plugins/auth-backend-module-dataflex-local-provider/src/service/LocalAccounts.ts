import { ConflictError, InputError } from '@backstage/errors';
import { LocalAuthStore } from '../database/LocalAuthStore';
import { ScryptPasswordHasher } from '../password/ScryptPasswordHasher';
import { LoginThrottle, SignInAttempt } from './LoginThrottle';
import { isValidUsername, normalizeUsername } from './usernames';

const MAX_USERNAME_INPUT = 255;
// scrypt takes any length, but there is no reason to hash megabytes.
const MAX_PASSWORD_LENGTH = 1024;
const NOT_AVAILABLE =
  'This username is not available; choose another or ask an administrator for an account';

/** The outcome of checking a user name and password, for the audit log. */
export type CredentialsCheck =
  | { outcome: 'success'; username: string }
  | { outcome: 'unknown-account' | 'wrong-password'; username: string }
  | { outcome: 'locked-out'; username: string; retryAfterSeconds: number };

export interface CheckCredentialsOptions {
  username: string;
  password: string;
  /** The client address, see clientAddress(). */
  ip: string;
}

export interface RegisterOptions {
  username: string;
  password: string;
}

/**
 * Local accounts: checking passwords under the login throttle, registration
 * and the demo accounts of local development.
 */
export class LocalAccounts {
  static create(options: {
    store: LocalAuthStore;
    hasher: ScryptPasswordHasher;
    throttle: LoginThrottle;
    minPasswordLength: number;
    isCatalogUser: (username: string) => Promise<boolean>;
  }): LocalAccounts {
    return new LocalAccounts(
      options.store,
      options.hasher,
      options.throttle,
      options.minPasswordLength,
      options.isCatalogUser,
    );
  }

  private constructor(
    private readonly store: LocalAuthStore,
    private readonly hasher: ScryptPasswordHasher,
    private readonly throttle: LoginThrottle,
    private readonly minPasswordLength: number,
    private readonly isCatalogUser: (username: string) => Promise<boolean>,
  ) {}

  /**
   * Checks a user name and password. Unknown user names cost the same hash
   * computation and count towards lockout like real ones, so neither the
   * answer nor its timing tells whether the account exists.
   */
  async checkCredentials(
    options: CheckCredentialsOptions,
    now: Date = new Date(),
  ): Promise<CredentialsCheck> {
    if (
      options.username.length > MAX_USERNAME_INPUT ||
      options.password.length > MAX_PASSWORD_LENGTH
    ) {
      throw new InputError(
        `The username and password may be at most ${MAX_USERNAME_INPUT} and ${MAX_PASSWORD_LENGTH} characters long`,
      );
    }
    const username = normalizeUsername(options.username);
    const attempt: SignInAttempt = { username, ip: options.ip };

    const lockedUntil = await this.throttle.lockedUntil(attempt, now);
    if (lockedUntil) {
      return {
        outcome: 'locked-out',
        username,
        retryAfterSeconds: Math.max(
          1,
          Math.ceil((lockedUntil.getTime() - now.getTime()) / 1000),
        ),
      };
    }

    const storedHash = isValidUsername(username)
      ? await this.store.getPasswordHash(username)
      : undefined;
    if (await this.hasher.verify(options.password, storedHash)) {
      await this.throttle.recordSuccess(attempt);
      return { outcome: 'success', username };
    }
    await this.throttle.recordFailure(attempt, now);
    return {
      outcome: storedHash ? 'wrong-password' : 'unknown-account',
      username,
    };
  }

  /**
   * Creates an account for a new user name. Names of existing catalog users
   * are refused: otherwise anyone could claim the identity of a catalog user
   * who has no local account yet. The account signs in once a User entity of
   * that name is added to the catalog.
   */
  async register(options: RegisterOptions): Promise<string> {
    const username = normalizeUsername(options.username);
    if (!isValidUsername(username)) {
      throw new InputError(
        'A username is 1 to 63 letters, digits and single -, _ or . between them, e.g. jane.doe',
      );
    }
    if (options.password.length < this.minPasswordLength) {
      throw new InputError(
        `The password must be at least ${this.minPasswordLength} characters long`,
      );
    }
    if (options.password.length > MAX_PASSWORD_LENGTH) {
      throw new InputError(
        `The password may be at most ${MAX_PASSWORD_LENGTH} characters long`,
      );
    }
    if (await this.isCatalogUser(username)) {
      throw new ConflictError(NOT_AVAILABLE);
    }
    const created = await this.store.createAccount({
      username,
      passwordHash: await this.hasher.hash(options.password),
      origin: 'registration',
    });
    if (!created) {
      throw new ConflictError(NOT_AVAILABLE);
    }
    return username;
  }

  /** Creates the missing demo accounts; returns the names created. */
  async seedDemoAccounts(options: {
    users: string[];
    password: string;
  }): Promise<string[]> {
    const existing = new Set(
      await this.store.listExistingUsernames(options.users),
    );
    const created: string[] = [];
    for (const username of options.users) {
      if (existing.has(username)) {
        continue;
      }
      const inserted = await this.store.createAccount({
        username,
        passwordHash: await this.hasher.hash(options.password),
        origin: 'demo-seed',
      });
      if (inserted) {
        created.push(username);
      }
    }
    return created;
  }
}
