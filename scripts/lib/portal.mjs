// Helpers for tests that start the portal exactly as README's start command
// does (scripts/start.sh), on a free port with a fresh data directory: the
// smoke test and the browser test.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../..',
);
export const resultsDir = path.join(root, 'test-results');

// The demo accounts of app-config.yaml; see README's "Signing in".
export const DEMO_PASSWORD = 'dataflex-demo';

export const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

export async function freePort() {
  return new Promise(resolve => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts the portal with scripts/start.sh on `port` with its data in
 * `dataDir`, in a process group of its own (so that `stop()` ends the
 * backend that start.sh starts too), its output appended to `logFile`.
 * `env` adds to the environment: the app config reads `APP_CONFIG_*`
 * variables as JSON where they parse, over app-config.yaml.
 */
export function startPortal(
  port,
  dataDir,
  {
    logFile = path.join(resultsDir, `portal-${port}.log`),
    env = {},
    readyTimeoutMs = 240_000,
  } = {},
) {
  const baseUrl = `http://localhost:${port}`;
  fs.mkdirSync(path.dirname(logFile), { recursive: true });
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
      ...env,
    },
  });
  const isAlive = () => {
    try {
      process.kill(-child.pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  return {
    baseUrl,
    port,
    logFile,
    async waitUntilReady() {
      await poll('readiness', readyTimeoutMs, async () => {
        if (!isAlive()) {
          throw new Error(
            `the portal exited; see ${path.relative(root, logFile)}`,
          );
        }
        const res = await fetch(`${baseUrl}/.backstage/health/v1/readiness`);
        return res.ok ? true : undefined;
      });
    },
    async stop() {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        return;
      }
      for (let i = 0; i < 50 && isAlive(); i++) {
        await sleep(200);
      }
      if (isAlive()) process.kill(-child.pid, 'SIGKILL');
    },
  };
}

export async function poll(what, timeoutMs, probe, intervalMs = 1000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await sleep(intervalMs);
  }
  throw new Error(
    `${what} not reached within ${timeoutMs / 1000} s${
      last ? `: ${last.message}` : ''
    }`,
  );
}

export function expect(condition, message) {
  if (!condition) throw new Error(message);
}

/** Named checks that keep going after a failure and report at the end. */
export function createChecks() {
  const results = [];
  return {
    results,
    async check(name, fn) {
      const started = Date.now();
      try {
        await fn();
        results.push({ name, ok: true });
        console.log(`  ✓ ${name} (${Date.now() - started} ms)`);
      } catch (error) {
        results.push({ name, ok: false, error: error.message });
        console.log(`  ✕ ${name}: ${error.message}`);
      }
    },
    /** Writes {passed, failed, results} and returns the number failed. */
    writeReport(file) {
      const failed = results.filter(r => !r.ok).length;
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(
        file,
        JSON.stringify(
          { passed: results.length - failed, failed, results },
          null,
          2,
        ),
      );
      return failed;
    },
  };
}

export function basicAuth(username, password) {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

/**
 * Signs in with HTTP Basic on the local provider, as a script would, and
 * returns the refresh response. Right after start the catalog may not have
 * read examples/org.yaml yet, and the sign-in answers 403 until the User
 * exists, so this waits for that (and only that: retrying other failures
 * would run into the lockout) for up to `timeoutMs`.
 */
export async function signInWithBasic(
  baseUrl,
  username,
  { password = DEMO_PASSWORD, timeoutMs = 180_000 } = {},
) {
  const { status, body } = await poll(
    `sign-in as ${username}`,
    timeoutMs,
    async () => {
      const res = await fetch(`${baseUrl}/api/auth/local/refresh`, {
        headers: { Authorization: basicAuth(username, password) },
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
