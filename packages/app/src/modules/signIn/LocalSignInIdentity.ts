import { ResponseError } from '@backstage/errors';
import {
  BackstageUserIdentity,
  DiscoveryApi,
  IdentityApi,
  ProfileInfo,
} from '@backstage/frontend-plugin-api';

/** What /api/auth/local/login and /api/auth/local/refresh answer. */
interface LocalSession {
  profile: ProfileInfo;
  backstageIdentity: {
    token: string;
    expiresInSeconds?: number;
    identity: BackstageUserIdentity;
  };
}

// Renew the Backstage token this long before it expires.
const RENEW_MARGIN_MS = 5 * 60_000;
const DEFAULT_LIFETIME_MS = 10 * 60_000;

/**
 * The identity of someone signed in with a DataFlex local account. The
 * session itself is an http-only cookie scoped to /api/auth/local; this class
 * only holds the short-lived Backstage token and renews it from the cookie.
 *
 * It talks to the auth backend with the browser's fetch rather than the
 * FetchApi: the FetchApi adds the identity's own token, which does not exist
 * before sign-in.
 */
export class LocalSignInIdentity implements IdentityApi {
  /** Signs in with a user name and password, starting a cookie session. */
  static async signIn(options: {
    discoveryApi: DiscoveryApi;
    username: string;
    password: string;
  }): Promise<LocalSignInIdentity> {
    const baseUrl = await options.discoveryApi.getBaseUrl('auth');
    const res = await fetch(`${baseUrl}/local/login`, {
      method: 'POST',
      credentials: 'include',
      headers: {
        'Content-Type': 'application/json',
        'X-Requested-With': 'XMLHttpRequest',
      },
      body: JSON.stringify({
        username: options.username,
        password: options.password,
      }),
    });
    if (!res.ok) {
      throw await ResponseError.fromResponse(res);
    }
    return new LocalSignInIdentity(baseUrl, await res.json());
  }

  /** The identity of the browser's existing session, if it has one. */
  static async restore(options: {
    discoveryApi: DiscoveryApi;
  }): Promise<LocalSignInIdentity | undefined> {
    const baseUrl = await options.discoveryApi.getBaseUrl('auth');
    const res = await refresh(baseUrl);
    if (res.status === 401) {
      return undefined;
    }
    if (!res.ok) {
      throw await ResponseError.fromResponse(res);
    }
    return new LocalSignInIdentity(baseUrl, await res.json());
  }

  #session: LocalSession;
  #renewAt: number;
  #renewing?: Promise<LocalSession>;

  private constructor(private readonly baseUrl: string, session: LocalSession) {
    this.#session = session;
    this.#renewAt = renewTime(session);
  }

  getUserId(): string {
    const ref = this.#session.backstageIdentity.identity.userEntityRef;
    return ref.slice(ref.lastIndexOf('/') + 1);
  }

  async getIdToken(): Promise<string | undefined> {
    return (await this.currentSession()).backstageIdentity.token;
  }

  getProfile(): ProfileInfo {
    return this.#session.profile;
  }

  async getProfileInfo(): Promise<ProfileInfo> {
    return (await this.currentSession()).profile;
  }

  async getBackstageIdentity(): Promise<BackstageUserIdentity> {
    return (await this.currentSession()).backstageIdentity.identity;
  }

  async getCredentials(): Promise<{ token?: string }> {
    return { token: (await this.currentSession()).backstageIdentity.token };
  }

  /** Ends the session on the server, so a copy of the cookie is useless. */
  async signOut(): Promise<void> {
    const res = await fetch(`${this.baseUrl}/local/logout`, {
      method: 'POST',
      credentials: 'include',
      headers: { 'X-Requested-With': 'XMLHttpRequest' },
    });
    if (!res.ok) {
      throw await ResponseError.fromResponse(res);
    }
  }

  private async currentSession(): Promise<LocalSession> {
    if (Date.now() < this.#renewAt) {
      return this.#session;
    }
    this.#renewing ??= refresh(this.baseUrl)
      .then(async res => {
        if (!res.ok) {
          throw await ResponseError.fromResponse(res);
        }
        const session: LocalSession = await res.json();
        this.#session = session;
        this.#renewAt = renewTime(session);
        return session;
      })
      .finally(() => {
        this.#renewing = undefined;
      });
    return this.#renewing;
  }
}

function refresh(baseUrl: string): Promise<Response> {
  return fetch(`${baseUrl}/local/refresh`, {
    credentials: 'include',
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
}

function renewTime(session: LocalSession): number {
  const lifetimeMs =
    (session.backstageIdentity.expiresInSeconds ?? 0) * 1000 ||
    DEFAULT_LIFETIME_MS;
  return Date.now() + Math.max(lifetimeMs - RENEW_MARGIN_MS, lifetimeMs / 2);
}
