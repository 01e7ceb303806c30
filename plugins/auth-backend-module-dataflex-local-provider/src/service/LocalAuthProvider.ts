import { AuditorService } from '@backstage/backend-plugin-api';
import {
  DEFAULT_NAMESPACE,
  Entity,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  AuthenticationError,
  NotAllowedError,
  NotImplementedError,
  ServiceUnavailableError,
  toError,
} from '@backstage/errors';
import {
  AuthProviderFactory,
  AuthResolverContext,
  BackstageIdentityResponse,
  prepareBackstageIdentityResponse,
  ProfileInfo,
} from '@backstage/plugin-auth-node';
import { Request, Response } from 'express';
import { SIGN_IN_FAILED_MESSAGE, SignInLockedError } from './errors';
import { LocalAccounts } from './LocalAccounts';
import { LocalSessions } from './LocalSessions';
import {
  clientAddress,
  hasBasicAuthorization,
  readBasicCredentials,
  requireScriptRequest,
} from './requestHelpers';

/** The body of every successful sign-in and refresh, as Backstage's proxy providers answer. */
export interface LocalSignInResponse {
  profile: ProfileInfo;
  providerInfo: {};
  backstageIdentity: BackstageIdentityResponse;
}

/** How a user name and password reached the provider, for the audit log. */
export type PasswordMethod = 'form' | 'basic';

/**
 * The `local` auth provider. The auth backend serves its refresh and logout
 * routes under /api/auth/local; the module's router adds login and register.
 */
export class LocalAuthProvider {
  static create(options: {
    accounts: LocalAccounts;
    sessions: LocalSessions;
    auditor: AuditorService;
  }): LocalAuthProvider {
    return new LocalAuthProvider(
      options.accounts,
      options.sessions,
      options.auditor,
    );
  }

  #resolverContext?: AuthResolverContext;

  private constructor(
    private readonly accounts: LocalAccounts,
    private readonly sessions: LocalSessions,
    private readonly auditor: AuditorService,
  ) {}

  /**
   * Registered with the auth backend, which calls it once while it starts,
   * before any request is served.
   */
  readonly factory: AuthProviderFactory = ({ resolverContext }) => {
    this.#resolverContext = resolverContext;
    const notHere = async () => {
      throw new NotImplementedError(
        'The local provider has no redirect flow: sign in with POST /api/auth/local/login, or send HTTP Basic credentials to /api/auth/local/refresh',
      );
    };
    return {
      start: notHere,
      frameHandler: notHere,
      refresh: (req, res) => this.refresh(req, res),
      logout: (req, res) => this.logout(req, res),
    };
  };

  /**
   * Checks a user name and password and issues a Backstage identity for the
   * catalog User of that name. Audited whatever the outcome.
   */
  async signInWithPassword(
    req: Request,
    res: Response,
    credentials: { username: string; password: string },
    method: PasswordMethod,
  ): Promise<{ username: string; response: LocalSignInResponse }> {
    const event = await this.auditor.createEvent({
      eventId: 'local-sign-in',
      severityLevel: 'medium',
      request: req,
      meta: { method, username: credentials.username },
    });
    let outcome = 'error';
    try {
      const check = await this.accounts.checkCredentials({
        ...credentials,
        ip: clientAddress(req),
      });
      outcome = check.outcome;
      if (check.outcome === 'locked-out') {
        res.setHeader('Retry-After', String(check.retryAfterSeconds));
        throw new SignInLockedError(check.retryAfterSeconds);
      }
      if (check.outcome !== 'success') {
        throw new AuthenticationError(SIGN_IN_FAILED_MESSAGE);
      }
      const response = await this.signIn(check.username);
      await event.success({
        meta: {
          outcome,
          userEntityRef: response.backstageIdentity.identity.userEntityRef,
        },
      });
      return { username: check.username, response };
    } catch (error) {
      await event.fail({ error: toError(error), meta: { outcome } });
      throw error;
    }
  }

  /**
   * GET or POST /api/auth/local/refresh: with HTTP Basic credentials, signs
   * in with them (for scripts); otherwise renews the identity of the
   * browser's session cookie.
   */
  private async refresh(req: Request, res: Response): Promise<void> {
    if (hasBasicAuthorization(req)) {
      const credentials = readBasicCredentials(req) ?? {
        username: '',
        password: '',
      };
      const { response } = await this.signInWithPassword(
        req,
        res,
        credentials,
        'basic',
      );
      res.json(response);
      return;
    }

    if (!this.sessions.hasCookie(req)) {
      throw new AuthenticationError('Not signed in');
    }
    requireScriptRequest(req);
    const event = await this.auditor.createEvent({
      eventId: 'local-session-refresh',
      request: req,
    });
    try {
      const username = await this.sessions.resolve(req);
      if (!username) {
        throw new AuthenticationError(
          'Your session has ended or was signed out; sign in again',
        );
      }
      const response = await this.signIn(username);
      await event.success({
        meta: {
          userEntityRef: response.backstageIdentity.identity.userEntityRef,
        },
      });
      res.json(response);
    } catch (error) {
      await event.fail({ error: toError(error) });
      throw error;
    }
  }

  /** POST /api/auth/local/logout: ends the session on the server too. */
  private async logout(req: Request, res: Response): Promise<void> {
    requireScriptRequest(req);
    const event = await this.auditor.createEvent({
      eventId: 'local-sign-out',
      request: req,
    });
    const username = await this.sessions.end(req, res);
    await event.success({
      meta: username ? { username } : { hadSession: false },
    });
    res.status(204).end();
  }

  /** Issues the identity of the catalog User named like the account. */
  async signIn(username: string): Promise<LocalSignInResponse> {
    const ctx = this.#resolverContext;
    if (!ctx) {
      throw new ServiceUnavailableError(
        'The local sign-in provider is not running; check auth.providers.local in the configuration',
      );
    }
    const entityRef = stringifyEntityRef({
      kind: 'User',
      namespace: DEFAULT_NAMESPACE,
      name: username,
    });
    let entity: Entity;
    try {
      ({ entity } = await ctx.findCatalogUser({ entityRef }));
    } catch (error) {
      if ((error as Error)?.name === 'NotFoundError') {
        throw new NotAllowedError(
          `The account '${username}' has no User entity ${entityRef} in the catalog, so it cannot sign in. Ask an administrator to add the user to the catalog.`,
        );
      }
      throw error;
    }
    const identity = await ctx.signInWithCatalogUser({
      entityRef: stringifyEntityRef(entity),
    });
    return {
      profile: profileOf(entity),
      providerInfo: {},
      backstageIdentity: prepareBackstageIdentityResponse(identity),
    };
  }
}

function profileOf(entity: Entity): ProfileInfo {
  const profile = (entity.spec?.profile ?? {}) as {
    displayName?: string;
    email?: string;
    picture?: string;
  };
  return {
    displayName: profile.displayName ?? entity.metadata.title,
    email: profile.email,
    picture: profile.picture,
  };
}
