// Starts the portal exactly as README's start command does (scripts/start.sh),
// on a free port with a fresh data directory, and checks what a newcomer
// would: the health endpoint, the app's HTML, the examples in the catalog,
// and that the SQLite data survives a restart. Writes test-results/smoke.json.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const resultsFile = path.join(root, 'test-results', 'smoke.json');
const results = [];

async function freePort() {
  return new Promise(resolve => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function startPortal(port, dataDir) {
  const baseUrl = `http://localhost:${port}`;
  const logFile = path.join(root, 'test-results', `portal-${port}.log`);
  const out = fs.openSync(logFile, 'a');
  const child = spawn('bash', [path.join(root, 'scripts/start.sh')], {
    cwd: root,
    detached: true,
    stdio: ['ignore', out, out],
    env: {
      ...process.env,
      DATAFLEX_DATA_DIR: dataDir,
      APP_CONFIG_backend_listen_port: String(port),
      APP_CONFIG_backend_baseUrl: baseUrl,
      APP_CONFIG_app_baseUrl: baseUrl,
    },
  });
  return {
    baseUrl,
    logFile,
    async stop() {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        return;
      }
      for (let i = 0; i < 50 && isAlive(child.pid); i++) {
        await sleep(200);
      }
      if (isAlive(child.pid)) process.kill(-child.pid, 'SIGKILL');
    },
  };
}

function isAlive(pid) {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

async function poll(what, timeoutMs, probe) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await sleep(1000);
  }
  throw new Error(
    `${what} not reached within ${timeoutMs / 1000} s${
      last ? `: ${last.message}` : ''
    }`,
  );
}

async function check(name, fn) {
  const started = Date.now();
  try {
    await fn();
    results.push({ name, ok: true });
    console.log(`  ✓ ${name} (${Date.now() - started} ms)`);
  } catch (error) {
    results.push({ name, ok: false, error: error.message });
    console.log(`  ✕ ${name}: ${error.message}`);
  }
}

function expect(condition, message) {
  if (!condition) throw new Error(message);
}

// The demo accounts of app-config.yaml; see README's "Signing in".
const DEMO_PASSWORD = 'dataflex-demo';

function basicAuth(username, password) {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

// Signs in with HTTP Basic on the local provider, as a script would. Right
// after start the catalog may not have read examples/org.yaml yet, and the
// sign-in answers 403 until the User exists, so this waits for that (and only
// that: retrying other failures would run into the lockout).
async function userToken(baseUrl, username) {
  const { status, body } = await poll(
    `sign-in as ${username}`,
    180_000,
    async () => {
      const res = await fetch(`${baseUrl}/api/auth/local/refresh`, {
        headers: { Authorization: basicAuth(username, DEMO_PASSWORD) },
      });
      return res.status === 403
        ? undefined
        : { status: res.status, body: await res.json() };
    },
  );
  expect(
    status === 200,
    `sign-in as ${username} answered ${status}: ${JSON.stringify(body)}`,
  );
  return body;
}

// The User entities of the example organisation, each with a demo account.
function exampleUsers() {
  const org = fs.readFileSync(path.join(root, 'examples/org.yaml'), 'utf8');
  return org
    .split(/^---$/m)
    .filter(doc => /^kind: User$/m.test(doc))
    .map(doc => /^ {2}name: (\S+)$/m.exec(doc)[1]);
}

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dataflex-smoke-'));
  const port = await freePort();
  let portal = startPortal(port, dataDir);
  let token;
  try {
    await check('backend becomes ready', async () => {
      await poll('readiness', 240_000, async () => {
        const res = await fetch(
          `${portal.baseUrl}/.backstage/health/v1/readiness`,
        );
        return res.ok ? true : undefined;
      });
    });

    await check(
      'a demo user signs in with HTTP Basic and gets a Backstage token with their groups',
      async () => {
        const body = await userToken(portal.baseUrl, 'anil');
        token = body.backstageIdentity.token;
        expect(
          typeof token === 'string' && token.split('.').length === 3,
          'token is not a JWT',
        );
        const { identity } = body.backstageIdentity;
        expect(
          identity.userEntityRef === 'user:default/anil',
          `signed in as ${identity.userEntityRef}`,
        );
        expect(
          identity.ownershipEntityRefs.includes('group:default/data-platform'),
          `groups: ${identity.ownershipEntityRefs}`,
        );
      },
    );

    await check(
      'every example user signs in with the documented demo password',
      async () => {
        const users = exampleUsers();
        expect(users.length >= 20, `only ${users.length} example users`);
        for (const username of users) {
          const body = await userToken(portal.baseUrl, username);
          expect(
            body.backstageIdentity.identity.userEntityRef ===
              `user:default/${username}`,
            `${username} signed in as ${body.backstageIdentity.identity.userEntityRef}`,
          );
        }
      },
    );

    await check('a wrong password is refused', async () => {
      const res = await fetch(`${portal.baseUrl}/api/auth/local/refresh`, {
        headers: { Authorization: basicAuth('anil', 'not-the-password') },
      });
      expect(res.status === 401, `status ${res.status}`);
    });

    await check(
      'GET /api/dataflex/health answers ok to a signed-in user',
      async () => {
        const res = await fetch(`${portal.baseUrl}/api/dataflex/health`, {
          headers: { Authorization: `Bearer ${token}` },
        });
        const body = await res.json();
        expect(
          res.status === 200,
          `status ${res.status}: ${JSON.stringify(body)}`,
        );
        expect(
          body.components.database.kind === 'better-sqlite3',
          'database is not SQLite',
        );
        expect(
          body.components.storage.kind === 'local',
          'storage is not local disk',
        );
      },
    );

    await check(
      'GET /api/dataflex/health refuses anonymous callers',
      async () => {
        const res = await fetch(`${portal.baseUrl}/api/dataflex/health`);
        expect(res.status === 401, `status ${res.status}`);
      },
    );

    await check("the app's HTML is served", async () => {
      const res = await fetch(`${portal.baseUrl}/`);
      const html = await res.text();
      expect(res.status === 200, `status ${res.status}`);
      expect(
        html.includes('<div id="root">'),
        'no app root element in the page',
      );
      expect(
        /<title>DataFlex<\/title>/.test(html),
        'page title is not DataFlex',
      );
    });

    await check('the catalog lists the example datasets', async () => {
      const items = await poll(
        'example datasets in the catalog',
        120_000,
        async () => {
          const res = await fetch(
            `${portal.baseUrl}/api/catalog/entities/by-query?filter=kind=dataset&limit=500`,
            { headers: { Authorization: `Bearer ${token}` } },
          );
          const body = await res.json();
          return body.items?.length >= 20 ? body.items : undefined;
        },
      );
      const names = items.map(e => e.metadata.name);
      expect(names.includes('customers'), 'customers dataset missing');
    });

    await check(
      'the database lives in files under the data directory',
      async () => {
        const files = fs.readdirSync(path.join(dataDir, 'sqlite'));
        expect(
          files.some(f => f.startsWith('dataflex')),
          `no dataflex database in ${files}`,
        );
        expect(
          files.some(f => f.startsWith('catalog')),
          `no catalog database in ${files}`,
        );
      },
    );

    await portal.stop();
    portal = startPortal(port, dataDir);

    await check(
      'after a restart the catalog still answers from the same files',
      async () => {
        await poll('readiness after restart', 240_000, async () => {
          const res = await fetch(
            `${portal.baseUrl}/.backstage/health/v1/readiness`,
          );
          return res.ok ? true : undefined;
        });
        const fresh = (await userToken(portal.baseUrl, 'anil'))
          .backstageIdentity.token;
        // Straight after start, before any new processing round, the entities
        // can only come from the persisted database.
        const res = await fetch(
          `${portal.baseUrl}/api/catalog/entities/by-name/dataset/default/customers`,
          { headers: { Authorization: `Bearer ${fresh}` } },
        );
        expect(res.status === 200, `customers answered ${res.status}`);
      },
    );
  } finally {
    await portal.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }

  const failed = results.filter(r => !r.ok).length;
  fs.writeFileSync(
    resultsFile,
    JSON.stringify(
      { passed: results.length - failed, failed, results },
      null,
      2,
    ),
  );
  if (failed) {
    console.log(`Portal log: ${portal.logFile}`);
    process.exit(1);
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
