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

async function guestToken(baseUrl) {
  const res = await fetch(`${baseUrl}/api/auth/guest/refresh`, {
    method: 'POST',
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
  expect(res.ok, `guest sign-in answered ${res.status}`);
  const body = await res.json();
  return body.backstageIdentity.token;
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

    await check('a guest can sign in and gets a Backstage token', async () => {
      token = await guestToken(portal.baseUrl);
      expect(
        typeof token === 'string' && token.split('.').length === 3,
        'token is not a JWT',
      );
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
        const fresh = await guestToken(portal.baseUrl);
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
