// Starts the whole portal as README's start command does (scripts/start.sh:
// every plugin, the built app, real sign-in with the demo accounts), but on
// the test command's PostgreSQL, MinIO and Kafka, through APP_CONFIG_*
// overrides of app-config.yaml: the production parts with local sign-in.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, poll, signInWithBasic } from '../../scripts/lib/portal.mjs';
import { requireServices, resultsDir, root, sleep } from './common.mjs';

export async function startPortal({ run, label }) {
  requireServices();
  const port = await freePort();
  const baseUrl = `http://localhost:${port}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dataflex-rel-'));
  fs.mkdirSync(resultsDir, { recursive: true });
  const logFile = path.join(resultsDir, `${label}.log`);
  const out = fs.openSync(logFile, 'a');
  const env = process.env;
  const startedAt = Date.now();
  const child = spawn('bash', [path.join(root, 'scripts/start.sh')], {
    cwd: root,
    detached: true,
    stdio: ['ignore', out, out],
    env: {
      ...env,
      DATAFLEX_DATA_DIR: dataDir,
      APP_CONFIG_backend_listen_port: String(port),
      APP_CONFIG_backend_baseUrl: baseUrl,
      APP_CONFIG_app_baseUrl: baseUrl,
      APP_CONFIG_backend_database_client: 'pg',
      APP_CONFIG_backend_database_connection:
        env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING,
      APP_CONFIG_backend_database_prefix: `${run}_`,
      APP_CONFIG_dataflex_storage_type: 's3',
      APP_CONFIG_dataflex_storage_s3: JSON.stringify({
        bucket: env.DATAFLEX_TEST_S3_BUCKET,
        endpoint: env.DATAFLEX_TEST_S3_ENDPOINT,
        forcePathStyle: true,
        accessKeyId: env.DATAFLEX_TEST_S3_ACCESS_KEY,
        secretAccessKey: env.DATAFLEX_TEST_S3_SECRET_KEY,
        prefix: `${run}/`,
      }),
      APP_CONFIG_dataflex_events_kafka: JSON.stringify({
        clientId: `dataflex-${run}`,
        brokers: env.DATAFLEX_TEST_KAFKA_BROKERS.split(','),
        topicPrefix: `${run}.`,
      }),
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
  const portal = {
    baseUrl,
    logFile,
    startMs: undefined,
    async stop() {
      try {
        process.kill(-child.pid, 'SIGTERM');
      } catch {
        return;
      }
      for (let i = 0; i < 50 && isAlive(); i++) {
        await sleep(200);
      }
      if (isAlive()) {
        process.kill(-child.pid, 'SIGKILL');
      }
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  try {
    await poll('portal readiness', 600_000, async () => {
      if (!isAlive()) {
        throw new Error(
          `the portal exited; see ${path.relative(root, logFile)}`,
        );
      }
      const res = await fetch(`${baseUrl}/.backstage/health/v1/readiness`);
      return res.ok ? true : undefined;
    });
  } catch (error) {
    await portal.stop();
    throw error;
  }
  portal.startMs = Date.now() - startedAt;
  return portal;
}

/** A demo account's Backstage token (HTTP Basic on the local provider). */
export async function tokenOf(baseUrl, username) {
  const body = await signInWithBasic(baseUrl, username);
  return body.backstageIdentity.token;
}
