import { createHash, randomBytes } from 'node:crypto';
import { CookieOptions, Request, Response } from 'express';
import { LocalAuthStore } from '../database/LocalAuthStore';
import { readCookie } from './requestHelpers';

export const SESSION_COOKIE = 'dataflex-local-session';

/**
 * Browser sessions of the sign-in form. The cookie holds 256 random bits; the
 * database holds only their SHA-256, so reading the table does not yield
 * usable cookies. Signing out deletes the row, so a copied cookie stops
 * working at once.
 */
export class LocalSessions {
  /**
   * @param options.authBaseUrl - external base URL of the auth plugin; the
   *   cookie is scoped to its `/local` path and is Secure when it is https.
   */
  static create(options: {
    store: LocalAuthStore;
    durationMs: number;
    authBaseUrl: string;
  }): LocalSessions {
    const url = new URL(options.authBaseUrl);
    return new LocalSessions(options.store, options.durationMs, {
      httpOnly: true,
      sameSite: 'lax',
      secure: url.protocol === 'https:',
      path: `${url.pathname.replace(/\/$/, '')}/local`,
    });
  }

  private constructor(
    private readonly store: LocalAuthStore,
    private readonly durationMs: number,
    private readonly cookieOptions: CookieOptions,
  ) {}

  /** Starts a session, ending the one the browser had, if any. */
  async start(username: string, req: Request, res: Response): Promise<void> {
    const previous = readCookie(req, SESSION_COOKIE);
    if (previous) {
      await this.store.deleteSession(digest(previous));
    }
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + this.durationMs);
    await this.store.createSession({ id: digest(token), username, expiresAt });
    res.cookie(SESSION_COOKIE, token, {
      ...this.cookieOptions,
      expires: expiresAt,
    });
  }

  /** The user name of the request's session, if it has a live one. */
  async resolve(req: Request): Promise<string | undefined> {
    const token = readCookie(req, SESSION_COOKIE);
    if (!token) {
      return undefined;
    }
    return this.store.getSessionUsername(digest(token), new Date());
  }

  hasCookie(req: Request): boolean {
    return readCookie(req, SESSION_COOKIE) !== undefined;
  }

  /** Ends the request's session; returns whose it was, if it existed. */
  async end(req: Request, res: Response): Promise<string | undefined> {
    const token = readCookie(req, SESSION_COOKIE);
    res.clearCookie(SESSION_COOKIE, this.cookieOptions);
    return token ? this.store.deleteSession(digest(token)) : undefined;
  }
}

function digest(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
