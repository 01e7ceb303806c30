// Starts the portal as README's start command does (scripts/start.sh) on a
// free port with a fresh data directory and extra catalog locations, and
// signs in to it.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../..',
);

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

/**
 * Starts the portal. `locations` replace the configured catalog locations
 * (the app config reads `APP_CONFIG_*` variables as JSON where they parse).
 */
export function startPortal({ port, dataDir, locations, logFile }) {
  const baseUrl = `http://localhost:${port}`;
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
      APP_CONFIG_catalog_locations: JSON.stringify(locations),
      // Measure the catalog, not the loading of the examples' sample files.
      DATAFLEX_SEED_SAMPLES: '0',
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
    async waitUntilReady() {
      // The first start in a fresh checkout installs and builds first.
      await poll('readiness', 1_800_000, async () => {
        if (!isAlive()) throw new Error(`the portal exited; see ${logFile}`);
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

/**
 * Signs in as a demo account with HTTP Basic on the local provider (see
 * plugins/auth-backend-module-dataflex-local-provider) and returns the
 * Backstage identity. Until the catalog has read the User the provider
 * answers 403, so that is waited out.
 */
export async function signIn(baseUrl, username, password) {
  const basic = Buffer.from(`${username}:${password}`).toString('base64');
  const { status, body } = await poll(
    `sign-in as ${username}`,
    300_000,
    async () => {
      const res = await fetch(`${baseUrl}/api/auth/local/refresh`, {
        headers: { Authorization: `Basic ${basic}` },
      });
      // Anything but 403 is final: retrying a wrong password would lock
      // the account.
      return res.status === 403
        ? undefined
        : { status: res.status, body: await res.json() };
    },
  );
  if (status !== 200) {
    throw new Error(`sign-in answered ${status}: ${JSON.stringify(body)}`);
  }
  return body.backstageIdentity;
}
