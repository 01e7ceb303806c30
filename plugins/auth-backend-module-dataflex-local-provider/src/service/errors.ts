import { CustomErrorBase } from '@backstage/errors';

/** The one answer to a wrong password and to an unknown user name. */
export const SIGN_IN_FAILED_MESSAGE = 'Incorrect username or password';

/**
 * Too many failed sign-ins for the user name or from the address. Answered
 * with 429 and Retry-After; it is given for unknown user names exactly as for
 * real ones, so it does not tell whether an account exists.
 */
export class SignInLockedError extends CustomErrorBase {
  name = 'SignInLockedError';
  readonly statusCode = 429;

  constructor(readonly retryAfterSeconds: number) {
    super(
      `Too many failed sign-in attempts. Try again in ${formatWait(
        retryAfterSeconds,
      )}.`,
    );
  }
}

function formatWait(seconds: number): string {
  if (seconds < 60) {
    return `${seconds} second${seconds === 1 ? '' : 's'}`;
  }
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}`;
}
