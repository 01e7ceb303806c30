import { createHash } from 'node:crypto';
import http from 'node:http';
import {
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { AuditorServiceCreateEventOptions } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import authPlugin from '@backstage/plugin-auth-backend';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { Knex } from 'knex';
import request from 'supertest';
import { DatabaseLocalAuthStore } from './database/DatabaseLocalAuthStore';
import { authModuleDataflexLocalProvider } from './module';
import { ScryptPasswordHasher } from './password/ScryptPasswordHasher';

jest.setTimeout(60_000);

const PASSWORDS: Record<string, string> = {
  anil: 'anil-secret-1',
  priya: 'priya-secret-1',
  // Has an account but no User entity in the catalog.
  ghost: 'ghost-secret-1',
};

function user(name: string, displayName: string, groups: string[]): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name, namespace: 'default' },
    spec: {
      profile: { displayName, email: `${name}@dataflex.example.com` },
      memberOf: groups,
    },
    relations: groups.map(group => ({
      type: 'memberOf',
      targetRef: `group:default/${group}`,
    })),
  };
}

const entities: Entity[] = [
  user('anil', 'Anil Kumar', ['data-platform']),
  user('priya', 'Priya Shah', ['data-platform', 'portal-admins']),
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name: 'data-platform', namespace: 'default' },
    spec: { type: 'team', children: [] },
  },
];

const basic = (username: string, password: string) =>
  `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

// Shared by every backend started here, so hashing the test passwords
// happens once.
let hashes: Record<string, string>;
beforeAll(async () => {
  const hasher = ScryptPasswordHasher.create();
  hashes = {};
  for (const [username, password] of Object.entries(PASSWORDS)) {
    hashes[username] = await hasher.hash(password);
  }
});

interface StartOptions {
  local?: object | null;
  auth?: object;
  accounts?: boolean;
}

async function startBackend(options: StartOptions = {}) {
  const knex = await databases.init('SQLITE_3');
  if (options.accounts !== false) {
    await seedAccounts(knex);
  }
  const audit: Array<{
    options: AuditorServiceCreateEventOptions;
    status: 'initiated' | 'succeeded' | 'failed';
    meta?: object;
    error?: Error;
  }> = [];
  const auditor = mockServices.auditor.mock({
    createEvent: async eventOptions => {
      audit.push({ options: eventOptions, status: 'initiated' });
      return {
        success: async params => {
          audit.push({
            options: eventOptions,
            status: 'succeeded',
            meta: params?.meta,
          });
        },
        fail: async params => {
          audit.push({
            options: eventOptions,
            status: 'failed',
            meta: params.meta,
            error: params.error,
          });
        },
      };
    },
  });

  const { server } = await startTestBackend({
    features: [
      authPlugin,
      authModuleDataflexLocalProvider,
      catalogServiceMock.factory({ entities }),
      mockServices.database.factory({ knex }),
      auditor.factory,
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://localhost:3000' },
          auth: {
            ...options.auth,
            providers: {
              local: options.local === undefined ? {} : options.local,
            },
          },
        },
      }),
    ],
  });
  return {
    server,
    knex,
    audit,
    /** Signs in with HTTP Basic from another loopback address. */
    basicFromOtherAddress: (username: string, password: string) =>
      getFrom('127.0.0.2', server.port(), '/api/auth/local/refresh', {
        Authorization: basic(username, password),
      }),
  };
}

async function seedAccounts(knex: Knex) {
  await DatabaseLocalAuthStore.runMigrations(knex);
  await knex('dataflex_local_accounts').insert(
    Object.entries(hashes).map(([username, passwordHash]) => ({
      username,
      password_hash: passwordHash,
      origin: 'registration',
      created_at: new Date(),
    })),
  );
}

/** A GET request whose connection starts from the given local address. */
function getFrom(
  localAddress: string,
  port: number,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path, headers, localAddress }, res => {
        let data = '';
        res.on('data', chunk => (data += chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(data) }),
        );
      })
      .on('error', reject);
  });
}

function sessionCookieOf(res: request.Response): string {
  const cookies = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  const cookie = cookies.find(c => c.startsWith('dataflex-local-session='));
  if (!cookie) {
    throw new Error(`no session cookie in ${JSON.stringify(cookies)}`);
  }
  return cookie;
}

describe('local sign-in provider', () => {
  describe('HTTP Basic on /api/auth/local/refresh', () => {
    it("returns the standard refresh response with a valid token and the user's groups", async () => {
      const { server } = await startBackend();

      const res = await request(server)
        .get('/api/auth/local/refresh')
        .set('Authorization', basic('anil', PASSWORDS.anil));

      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        profile: {
          displayName: 'Anil Kumar',
          email: 'anil@dataflex.example.com',
        },
        providerInfo: {},
        backstageIdentity: {
          token: expect.any(String),
          expiresInSeconds: expect.any(Number),
          identity: {
            type: 'user',
            userEntityRef: 'user:default/anil',
            ownershipEntityRefs: [
              'user:default/anil',
              'group:default/data-platform',
            ],
          },
        },
      });

      // The token is signed by the auth backend's own keys.
      const jwks = await request(server).get('/api/auth/.well-known/jwks.json');
      const { token } = res.body.backstageIdentity;
      const { payload } = await jwtVerify(token, createLocalJWKSet(jwks.body));
      expect(payload.sub).toBe('user:default/anil');
      expect(payload.aud).toBe('backstage');
      await expect(
        jwtVerify(`${token.slice(0, -4)}AAAA`, createLocalJWKSet(jwks.body)),
      ).rejects.toThrow();
    });

    it('answers POST too, and takes the user name in any case', async () => {
      const { server } = await startBackend();

      const res = await request(server)
        .post('/api/auth/local/refresh')
        .set('Authorization', basic(' Priya', PASSWORDS.priya));

      expect(res.status).toBe(200);
      expect(res.body.backstageIdentity.identity).toEqual({
        type: 'user',
        userEntityRef: 'user:default/priya',
        ownershipEntityRefs: [
          'user:default/priya',
          'group:default/data-platform',
          'group:default/portal-admins',
        ],
      });
    });

    it('answers a wrong password and an unknown user identically', async () => {
      const { server } = await startBackend();

      const wrongPassword = await request(server)
        .get('/api/auth/local/refresh')
        .set('Authorization', basic('anil', 'not-the-password'));
      const unknownUser = await request(server)
        .get('/api/auth/local/refresh')
        .set('Authorization', basic('nobody', 'not-the-password'));
      const malformed = await request(server)
        .get('/api/auth/local/refresh')
        .set('Authorization', 'Basic bm9jb2xvbg==');

      for (const res of [wrongPassword, unknownUser, malformed]) {
        expect(res.status).toBe(401);
        expect(res.body.error).toEqual({
          name: 'AuthenticationError',
          message: 'Incorrect username or password',
        });
        expect(res.headers['retry-after']).toBeUndefined();
      }
    });

    it('refuses an account whose user is not in the catalog, saying why', async () => {
      const { server } = await startBackend();

      const res = await request(server)
        .get('/api/auth/local/refresh')
        .set('Authorization', basic('ghost', PASSWORDS.ghost));

      expect(res.status).toBe(403);
      expect(res.body.error.message).toBe(
        "The account 'ghost' has no User entity user:default/ghost in the catalog, so it cannot sign in. Ask an administrator to add the user to the catalog.",
      );
    });

    it('refuses a request with neither credentials nor a session', async () => {
      const { server } = await startBackend();

      const res = await request(server).get('/api/auth/local/refresh');

      expect(res.status).toBe(401);
      expect(res.body.error.message).toBe('Not signed in');
    });

    it('leaves the redirect routes of the auth backend unimplemented', async () => {
      const { server } = await startBackend();

      const res = await request(server).get('/api/auth/local/start');

      expect(res.status).toBe(501);
      expect(res.body.error.message).toContain('POST /api/auth/local/login');
    });
  });

  describe('lockout', () => {
    it('locks a user name out after 5 failures, from every address, and says so for unknown names alike', async () => {
      const { server, basicFromOtherAddress } = await startBackend();
      const attempt = (username: string, password: string) =>
        request(server)
          .get('/api/auth/local/refresh')
          .set('Authorization', basic(username, password));

      for (let i = 0; i < 5; i++) {
        expect((await attempt('anil', `wrong-${i}`)).status).toBe(401);
        expect((await attempt('nobody', `wrong-${i}`)).status).toBe(401);
      }

      const locked = await attempt('anil', PASSWORDS.anil);
      const lockedUnknown = await attempt('nobody', 'whatever');
      for (const res of [locked, lockedUnknown]) {
        expect(res.status).toBe(429);
        expect(res.body.error.message).toBe(
          'Too many failed sign-in attempts. Try again in 15 minutes.',
        );
        expect(Number(res.headers['retry-after'])).toBeGreaterThan(890);
        expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(900);
      }

      const elsewhere = await basicFromOtherAddress('anil', PASSWORDS.anil);
      expect(elsewhere.status).toBe(429);

      // Other accounts are unaffected: 10 failures are below the address limit.
      expect((await attempt('priya', PASSWORDS.priya)).status).toBe(200);
    });

    it('locks an address out after failures across user names, on the form too', async () => {
      const { server, basicFromOtherAddress } = await startBackend({
        local: { lockout: { ip: { maxFailures: 3 } } },
      });

      for (const name of ['a', 'b', 'c']) {
        const res = await request(server)
          .get('/api/auth/local/refresh')
          .set('Authorization', basic(name, 'guess'));
        expect(res.status).toBe(401);
      }

      const basicRes = await request(server)
        .get('/api/auth/local/refresh')
        .set('Authorization', basic('anil', PASSWORDS.anil));
      const formRes = await request(server)
        .post('/api/auth/local/login')
        .set('X-Requested-With', 'XMLHttpRequest')
        .send({ username: 'priya', password: PASSWORDS.priya });
      expect(basicRes.status).toBe(429);
      expect(formRes.status).toBe(429);
      expect(formRes.headers['set-cookie']).toBeUndefined();

      const elsewhere = await basicFromOtherAddress('anil', PASSWORDS.anil);
      expect(elsewhere.status).toBe(200);
      expect(elsewhere.body.backstageIdentity.identity.userEntityRef).toBe(
        'user:default/anil',
      );
    });
  });

  describe('browser sessions', () => {
    async function signIn(server: Parameters<typeof request>[0]) {
      const res = await request(server)
        .post('/api/auth/local/login')
        .set('X-Requested-With', 'XMLHttpRequest')
        .send({ username: 'anil', password: PASSWORDS.anil });
      expect(res.status).toBe(200);
      return { res, cookie: sessionCookieOf(res).split(';')[0] };
    }

    it('signs in through the form with an http-only, SameSite=Lax cookie, stored only as a hash', async () => {
      const { server, knex } = await startBackend();

      const { res, cookie } = await signIn(server);

      expect(res.body.backstageIdentity.identity.userEntityRef).toBe(
        'user:default/anil',
      );
      const setCookie = sessionCookieOf(res);
      expect(setCookie).toMatch(
        /^dataflex-local-session=[A-Za-z0-9_-]{43}; Path=\/api\/auth\/local; Expires=.+; HttpOnly; SameSite=Lax$/,
      );
      expect(setCookie).not.toContain('Secure');

      const token = cookie.split('=')[1];
      const rows = await knex('dataflex_local_sessions').select();
      expect(rows).toEqual([
        expect.objectContaining({
          id: createHash('sha256').update(token).digest('hex'),
          username: 'anil',
        }),
      ]);
      expect(JSON.stringify(rows)).not.toContain(token);
    });

    it('refreshes from the cookie, and signing out revokes the session on the server', async () => {
      const { server } = await startBackend();
      const { cookie } = await signIn(server);

      const refreshed = await request(server)
        .get('/api/auth/local/refresh')
        .set('Cookie', cookie)
        .set('X-Requested-With', 'XMLHttpRequest');
      expect(refreshed.status).toBe(200);
      expect(refreshed.body.backstageIdentity.identity.userEntityRef).toBe(
        'user:default/anil',
      );

      const signedOut = await request(server)
        .post('/api/auth/local/logout')
        .set('Cookie', cookie)
        .set('X-Requested-With', 'XMLHttpRequest');
      expect(signedOut.status).toBe(204);
      expect(sessionCookieOf(signedOut)).toMatch(
        /^dataflex-local-session=; Path=\/api\/auth\/local; Expires=Thu, 01 Jan 1970/,
      );

      // A copy of the old cookie no longer works.
      const replayed = await request(server)
        .get('/api/auth/local/refresh')
        .set('Cookie', cookie)
        .set('X-Requested-With', 'XMLHttpRequest');
      expect(replayed.status).toBe(401);
      expect(replayed.body.error.message).toBe(
        'Your session has ended or was signed out; sign in again',
      );
    });

    it('ends a session when it expires', async () => {
      const { server, knex } = await startBackend();
      const { cookie } = await signIn(server);

      await knex('dataflex_local_sessions').update({
        expires_at: new Date(Date.now() - 1000),
      });

      const res = await request(server)
        .get('/api/auth/local/refresh')
        .set('Cookie', cookie)
        .set('X-Requested-With', 'XMLHttpRequest');
      expect(res.status).toBe(401);
    });

    it('ends the previous session when signing in again', async () => {
      const { server, knex } = await startBackend();
      const { cookie: first } = await signIn(server);

      const again = await request(server)
        .post('/api/auth/local/login')
        .set('Cookie', first)
        .set('X-Requested-With', 'XMLHttpRequest')
        .send({ username: 'anil', password: PASSWORDS.anil });

      expect(again.status).toBe(200);
      expect(await knex('dataflex_local_sessions').count({ n: '*' })).toEqual([
        { n: 1 },
      ]);
      const replayed = await request(server)
        .get('/api/auth/local/refresh')
        .set('Cookie', first)
        .set('X-Requested-With', 'XMLHttpRequest');
      expect(replayed.status).toBe(401);
    });

    it('only acts on the cookie for script requests', async () => {
      const { server } = await startBackend();
      const { cookie } = await signIn(server);

      const responses = [
        await request(server)
          .post('/api/auth/local/login')
          .send({ username: 'anil', password: PASSWORDS.anil }),
        await request(server)
          .get('/api/auth/local/refresh')
          .set('Cookie', cookie),
        await request(server)
          .post('/api/auth/local/logout')
          .set('Cookie', cookie),
      ];
      for (const res of responses) {
        expect(res.status).toBe(400);
        expect(res.body.error.message).toBe(
          'This request must carry the header X-Requested-With: XMLHttpRequest',
        );
        expect(res.headers['set-cookie']).toBeUndefined();
      }
      const stillValid = await request(server)
        .get('/api/auth/local/refresh')
        .set('Cookie', cookie)
        .set('X-Requested-With', 'XMLHttpRequest');
      expect(stillValid.status).toBe(200);
    });

    it('starts no session for bad input, a wrong password or a user missing from the catalog', async () => {
      const { server, knex } = await startBackend();
      const login = (body: object | string) =>
        request(server)
          .post('/api/auth/local/login')
          .set('X-Requested-With', 'XMLHttpRequest')
          .send(body);

      const missing = await login({ username: 'anil' });
      const form = await request(server)
        .post('/api/auth/local/login')
        .set('X-Requested-With', 'XMLHttpRequest')
        .type('form')
        .send({ username: 'anil', password: PASSWORDS.anil });
      const wrong = await login({ username: 'anil', password: 'nope' });
      const ghost = await login({
        username: 'ghost',
        password: PASSWORDS.ghost,
      });

      expect(missing.status).toBe(400);
      expect(missing.body.error.message).toContain(
        'Send a JSON body with a username and a password',
      );
      expect(form.status).toBe(400);
      expect(wrong.status).toBe(401);
      expect(ghost.status).toBe(403);
      for (const res of [missing, form, wrong, ghost]) {
        expect(res.headers['set-cookie']).toBeUndefined();
      }
      expect(await knex('dataflex_local_sessions').count({ n: '*' })).toEqual([
        { n: 0 },
      ]);
    });
  });

  describe('registration', () => {
    const register = (
      server: Parameters<typeof request>[0],
      body: { username: string; password: string },
    ) => request(server).post('/api/auth/local/register').send(body);

    it('is off unless configured', async () => {
      const { server, knex } = await startBackend();

      const res = await register(server, {
        username: 'newcomer',
        password: 'a-long-enough-password',
      });

      expect(res.status).toBe(403);
      expect(res.body.error.message).toBe(
        'Self-registration is turned off on this portal (auth.providers.local.registration.enabled); ask an administrator for an account',
      );
      expect(
        await knex('dataflex_local_accounts').where({ username: 'newcomer' }),
      ).toEqual([]);
    });

    it('creates accounts for new names, which sign in once the catalog has their User', async () => {
      const { server, knex } = await startBackend({
        local: { registration: { enabled: true } },
      });

      const created = await register(server, {
        username: 'Newcomer',
        password: 'a-long-enough-password',
      });
      expect(created.status).toBe(201);
      expect(created.body).toEqual({
        username: 'newcomer',
        userEntityRef: 'user:default/newcomer',
        message:
          "Account 'newcomer' created. It can sign in once the catalog has a User entity user:default/newcomer.",
      });
      const [row] = await knex('dataflex_local_accounts').where({
        username: 'newcomer',
      });
      expect(row).toMatchObject({ origin: 'registration' });
      expect(row.password_hash).toMatch(/^\$scrypt\$ln=15,r=8,p=1\$/);

      const signIn = await request(server)
        .get('/api/auth/local/refresh')
        .set('Authorization', basic('newcomer', 'a-long-enough-password'));
      expect(signIn.status).toBe(403);
      expect(signIn.body.error.message).toContain(
        'has no User entity user:default/newcomer in the catalog',
      );
    });

    it("refuses catalog users' names, taken names, bad names and short passwords", async () => {
      const { server } = await startBackend({
        local: { registration: { enabled: true } },
      });
      await register(server, {
        username: 'newcomer',
        password: 'a-long-enough-password',
      });

      const catalogUser = await register(server, {
        username: 'anil',
        password: 'a-long-enough-password',
      });
      const taken = await register(server, {
        username: 'newcomer',
        password: 'another-long-password',
      });
      const badName = await register(server, {
        username: 'not a name',
        password: 'a-long-enough-password',
      });
      const shortPassword = await register(server, {
        username: 'other',
        password: 'short',
      });

      // Claiming a catalog user's name would hand over their identity.
      expect(catalogUser.status).toBe(409);
      expect(taken.status).toBe(409);
      expect(taken.body.error.message).toBe(catalogUser.body.error.message);
      expect(badName.status).toBe(400);
      expect(shortPassword.status).toBe(400);
      expect(shortPassword.body.error.message).toBe(
        'The password must be at least 12 characters long',
      );

      const anil = await request(server)
        .get('/api/auth/local/refresh')
        .set('Authorization', basic('anil', PASSWORDS.anil));
      expect(anil.status).toBe(200);
    });
  });

  it('audits every attempt, without passwords', async () => {
    const { server, audit } = await startBackend();

    await request(server)
      .get('/api/auth/local/refresh')
      .set('Authorization', basic('anil', PASSWORDS.anil));
    await request(server)
      .get('/api/auth/local/refresh')
      .set('Authorization', basic('anil', 'wrong-password-1'));
    await request(server)
      .post('/api/auth/local/login')
      .set('X-Requested-With', 'XMLHttpRequest')
      .send({ username: 'nobody', password: 'wrong-password-2' });

    const outcomes = audit
      .filter(
        e => e.options.eventId === 'local-sign-in' && e.status !== 'initiated',
      )
      .map(e => ({
        status: e.status,
        method: e.options.meta?.method,
        username: e.options.meta?.username,
        meta: e.meta,
        error: e.error?.message,
      }));
    expect(outcomes).toEqual([
      {
        status: 'succeeded',
        method: 'basic',
        username: 'anil',
        meta: { outcome: 'success', userEntityRef: 'user:default/anil' },
        error: undefined,
      },
      {
        status: 'failed',
        method: 'basic',
        username: 'anil',
        meta: { outcome: 'wrong-password' },
        error: 'Incorrect username or password',
      },
      {
        status: 'failed',
        method: 'form',
        username: 'nobody',
        meta: { outcome: 'unknown-account' },
        error: 'Incorrect username or password',
      },
    ]);
    const logged = JSON.stringify(
      audit.map(({ options: { request: _, ...options }, ...rest }) => ({
        ...options,
        ...rest,
      })),
    );
    for (const secret of [
      PASSWORDS.anil,
      'wrong-password-1',
      'wrong-password-2',
    ]) {
      expect(logged).not.toContain(secret);
    }
  });

  describe('start guards', () => {
    const originalNodeEnv = process.env.NODE_ENV;
    afterEach(() => {
      process.env.NODE_ENV = originalNodeEnv;
    });

    it('refuses to start in production unless explicitly allowed', async () => {
      await expect(
        startBackend({ auth: { environment: 'production' } }),
      ).rejects.toThrow(/refuses to run in production/);

      const { server } = await startBackend({
        auth: { environment: 'production' },
        local: { dangerouslyAllowOutsideDevelopment: true },
      });
      const res = await request(server)
        .get('/api/auth/local/refresh')
        .set('Authorization', basic('anil', PASSWORDS.anil));
      expect(res.status).toBe(200);
    });

    it('refuses to start with demo accounts outside development', async () => {
      await expect(
        startBackend({
          local: {
            dangerouslyAllowOutsideDevelopment: true,
            demoAccounts: { password: 'dataflex-demo', users: ['anil'] },
          },
        }),
      ).rejects.toThrow(/demoAccounts .* only allowed in local development/);
    });

    it('seeds the demo accounts in development, once', async () => {
      process.env.NODE_ENV = 'development';
      const { server, knex } = await startBackend({
        accounts: false,
        local: {
          demoAccounts: { password: 'dataflex-demo', users: ['anil', 'priya'] },
        },
      });

      for (const username of ['anil', 'priya']) {
        const res = await request(server)
          .get('/api/auth/local/refresh')
          .set('Authorization', basic(username, 'dataflex-demo'));
        expect(res.status).toBe(200);
      }
      expect(
        await knex('dataflex_local_accounts')
          .orderBy('username')
          .select('username', 'origin'),
      ).toEqual([
        { username: 'anil', origin: 'demo-seed' },
        { username: 'priya', origin: 'demo-seed' },
      ]);
    });

    it('serves nothing under /local when the provider is not configured', async () => {
      const { server } = await startBackend({ local: null });

      const refresh = await request(server)
        .get('/api/auth/local/refresh')
        .set('Authorization', basic('anil', PASSWORDS.anil));
      const login = await request(server)
        .post('/api/auth/local/login')
        .set('X-Requested-With', 'XMLHttpRequest')
        .send({ username: 'anil', password: PASSWORDS.anil });

      expect(refresh.status).toBe(404);
      expect(login.status).toBe(404);
    });
  });
});
