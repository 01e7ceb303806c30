/** Where an account came from. */
export type AccountOrigin = 'demo-seed' | 'registration';

/** What failed sign-ins are counted against. */
export type ThrottleScope = 'account' | 'ip';

export interface ThrottleSubject {
  scope: ThrottleScope;
  subject: string;
}

export interface CreateAccountOptions {
  username: string;
  passwordHash: string;
  origin: AccountOrigin;
}

export interface CreateSessionOptions {
  /** SHA-256 of the session cookie. */
  id: string;
  username: string;
  expiresAt: Date;
}

/** Persistence of the local sign-in provider. */
export interface LocalAuthStore {
  getPasswordHash(username: string): Promise<string | undefined>;
  /** Which of the given user names have an account. */
  listExistingUsernames(usernames: string[]): Promise<string[]>;
  /** Creates the account unless one exists; returns whether it did. */
  createAccount(options: CreateAccountOptions): Promise<boolean>;

  createSession(options: CreateSessionOptions): Promise<void>;
  /** The user name of an unexpired session. */
  getSessionUsername(id: string, now: Date): Promise<string | undefined>;
  /** Ends a session; returns the user name it belonged to, if it existed. */
  deleteSession(id: string): Promise<string | undefined>;

  recordFailure(subject: ThrottleSubject, at: Date): Promise<void>;
  countFailuresSince(subject: ThrottleSubject, since: Date): Promise<number>;
  clearFailures(subject: ThrottleSubject): Promise<void>;
  lockOut(subject: ThrottleSubject, until: Date): Promise<void>;
  /** When the lockout of a subject ends, if it is locked out at `now`. */
  getLockedUntil(
    subject: ThrottleSubject,
    now: Date,
  ): Promise<Date | undefined>;

  /** Removes expired sessions and lockouts, and failures older than `failuresBefore`. */
  deleteExpired(now: Date, failuresBefore: Date): Promise<void>;
}
