import { AuditorService } from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError, toError } from '@backstage/errors';
import express from 'express';
import Router from 'express-promise-router';
import { z } from 'zod';
import { LocalAccounts } from './LocalAccounts';
import { LocalAuthProvider } from './LocalAuthProvider';
import { LocalSessions } from './LocalSessions';
import { requireScriptRequest } from './requestHelpers';

export interface RouterOptions {
  provider: LocalAuthProvider;
  accounts: LocalAccounts;
  sessions: LocalSessions;
  auditor: AuditorService;
  registrationEnabled: boolean;
}

const credentialsSchema = z.object({
  username: z.string().min(1),
  password: z.string().min(1),
});

/**
 * The routes the auth backend does not serve for a provider, mounted in the
 * auth plugin's router ahead of the auth backend's own: POST
 * /local/login and POST /local/register. (It serves /local/start,
 * /local/handler/frame, /local/refresh and /local/logout.)
 */
export function createRouter(options: RouterOptions): express.Router {
  const { provider, accounts, sessions, auditor, registrationEnabled } =
    options;
  const router = Router();
  const json = express.json({ limit: '16kb' });

  router.post('/local/login', json, async (req, res) => {
    requireScriptRequest(req);
    const credentials = parseCredentials(req.body);
    const { username, response } = await provider.signInWithPassword(
      req,
      res,
      credentials,
      'form',
    );
    await sessions.start(username, req, res);
    res.json(response);
  });

  router.post('/local/register', json, async (req, res) => {
    if (!registrationEnabled) {
      throw new NotAllowedError(
        'Self-registration is turned off on this portal (auth.providers.local.registration.enabled); ask an administrator for an account',
      );
    }
    const credentials = parseCredentials(req.body);
    const event = await auditor.createEvent({
      eventId: 'local-register',
      severityLevel: 'medium',
      request: req,
      meta: { username: credentials.username },
    });
    try {
      const username = await accounts.register(credentials);
      await event.success();
      const userEntityRef = `user:default/${username}`;
      res.status(201).json({
        username,
        userEntityRef,
        message: `Account '${username}' created. It can sign in once the catalog has a User entity ${userEntityRef}.`,
      });
    } catch (error) {
      await event.fail({ error: toError(error) });
      throw error;
    }
  });

  return router;
}

function parseCredentials(body: unknown): {
  username: string;
  password: string;
} {
  const parsed = credentialsSchema.safeParse(body);
  if (!parsed.success) {
    throw new InputError(
      'Send a JSON body with a username and a password, e.g. {"username":"anil","password":"…"}',
    );
  }
  return parsed.data;
}
