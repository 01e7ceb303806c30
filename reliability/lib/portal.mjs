// Starts the whole portal as README's start command does (scripts/start.sh:
// every plugin, the built app, real sign-in with the demo accounts), but on
// the test command's PostgreSQL, MinIO and Kafka, through APP_CONFIG_*
// overrides of app-config.yaml: the production parts with local sign-in.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  freePort,
  signInWithBasic,
  startPortal as startScriptPortal,
} from '../../scripts/lib/portal.mjs';
import { requireServices, resultsDir } from './common.mjs';

export async function startPortal({ run, label }) {
  requireServices();
  const port = await freePort();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dataflex-rel-'));
  const env = process.env;
  const startedAt = Date.now();
  const started = startScriptPortal(port, dataDir, {
    logFile: path.join(resultsDir, `${label}.log`),
    env: {
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
    readyTimeoutMs: 600_000,
  });
  const portal = {
    baseUrl: started.baseUrl,
    logFile: started.logFile,
    startMs: undefined,
    async stop() {
      await started.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
  try {
    await started.waitUntilReady();
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
