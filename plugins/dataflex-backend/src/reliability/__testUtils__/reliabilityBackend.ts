/*
 * A DataFlex backend for the reliability suite (reliability/ in the
 * repository), started as a child process so that the suite can kill -9 it:
 * `node --require @backstage/cli-node/config/nodeTransform.cjs <this file>`
 * with an IPC channel.
 *
 * It runs the real plugin, the real permission backend with DataFlex's own
 * policy and the Kafka event sink against the PostgreSQL, MinIO and Kafka of
 * the test command (DATAFLEX_TEST_* and BACKSTAGE_TEST_DATABASE_POSTGRES15_*
 * variables). Only sign-in is simulated: the mock auth service's tokens name
 * the users of the access tests' organisation. DATAFLEX_RELIABILITY_RUN
 * names the run; it prefixes the databases, the bucket's keys and the Kafka
 * topics, so two processes with the same name share everything, as two
 * instances of one deployment do.
 *
 * DATAFLEX_RELIABILITY_NOTIFICATIONS=1 adds the notifications backend.
 *
 * Scheduled tasks run only when the parent asks (`{ type: 'run-task', id }`
 * over IPC, answered with `task-done`), so a janitor pass happens exactly
 * when the test wants one. Once listening, the process sends
 * `{ type: 'ready', port }`.
 */
import module from 'node:module';
import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { databaseServiceFactory } from '@backstage/backend-defaults/database';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import kafkaModule from '@dataflex/backstage-plugin-dataflex-backend-module-kafka';
import {
  accessTestOrganisation,
  PORTAL_ADMINS,
} from '../../access/__testUtils__/accessTestOrganisation';
import { dataflexPortalFeatures } from '../../__testUtils__/startDataflexTestBackend';
import { createManualScheduler } from '../../__testUtils__/manualScheduler';

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`The reliability backend needs ${name}`);
  }
  return value;
}

async function main() {
  const run = required('DATAFLEX_RELIABILITY_RUN');
  const scheduler = createManualScheduler();
  const backend = await startTestBackend({
    features: [
      scheduler.factory,
      databaseServiceFactory,
      ...dataflexPortalFeatures({
        organisation: accessTestOrganisation,
        policy: 'rbac',
        // Only the checks of access requests need it; it slows every start.
        notifications: Boolean(process.env.DATAFLEX_RELIABILITY_NOTIFICATIONS),
      }),
      kafkaModule,
      // Warnings and errors reach the suite's log of this process.
      mockServices.rootLogger.factory({ level: 'warn' }),
      // Auditing is covered by the plugin's own tests; here it would only
      // slow the uploads down.
      createServiceFactory({
        service: coreServices.auditor,
        deps: {},
        factory: () => ({
          async createEvent() {
            return { async success() {}, async fail() {} };
          },
        }),
      }),
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://localhost:3000' },
          backend: {
            database: {
              client: 'pg',
              connection: required(
                'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING',
              ),
              prefix: `${run}_`,
            },
          },
          permission: { enabled: true },
          dataflex: {
            rbac: { admins: [PORTAL_ADMINS] },
            storage: {
              type: 's3',
              s3: {
                bucket: required('DATAFLEX_TEST_S3_BUCKET'),
                endpoint: required('DATAFLEX_TEST_S3_ENDPOINT'),
                forcePathStyle: true,
                accessKeyId: required('DATAFLEX_TEST_S3_ACCESS_KEY'),
                secretAccessKey: required('DATAFLEX_TEST_S3_SECRET_KEY'),
                prefix: `${run}/`,
                // S3's smallest part, so that a few MiB make a multipart upload.
                partSizeBytes: 5 * 1024 * 1024,
              },
              // Anything the killed process left is old enough by the time
              // the test asks for a pass.
              janitor: {
                frequency: { minutes: 15 },
                gracePeriod: { seconds: 1 },
              },
            },
            datasets: {
              orphanBlobs: {
                frequency: { minutes: 15 },
                gracePeriod: { seconds: 1 },
              },
            },
            events: {
              // Leases of a killed relay expire quickly.
              outbox: { lease: { seconds: 2 }, frequency: { seconds: 1 } },
              kafka: {
                clientId: `dataflex-${run}`,
                brokers: required('DATAFLEX_TEST_KAFKA_BROKERS'),
                topicPrefix: `${run}.`,
              },
            },
          },
        },
      }),
    ],
  });

  process.on('message', async (message: { type?: string; id?: string }) => {
    if (message?.type !== 'run-task' || !message.id) {
      return;
    }
    try {
      await scheduler.runTask(message.id);
      process.send?.({ type: 'task-done', id: message.id });
    } catch (error) {
      process.send?.({
        type: 'task-done',
        id: message.id,
        error: String(error),
      });
    }
  });
  process.on('disconnect', () => {
    backend.stop().finally(() => process.exit(0));
  });
  // The suite kills this process, which would lose the compile cache
  // (NODE_COMPILE_CACHE) Node writes at exit; the next start needs it.
  (module as { flushCompileCache?: () => void }).flushCompileCache?.();
  process.send?.({ type: 'ready', port: backend.server.port() });
}

/**
 * With DATAFLEX_RELIABILITY_STANDBY, the process loads its code, says
 * `loaded` and waits for `{ type: 'start' }` before starting the backend:
 * the suite keeps the next process ready while it crashes the current one,
 * so a restart costs the backend's start, not Node loading Backstage.
 */
function started(): Promise<void> {
  if (!process.env.DATAFLEX_RELIABILITY_STANDBY) {
    return Promise.resolve();
  }
  return new Promise(resolve => {
    process.on('message', (message: { type?: string }) => {
      if (message?.type === 'start') {
        resolve();
      }
    });
    process.send?.({ type: 'loaded' });
  });
}

started()
  .then(main)
  .catch(error => {
    process.stderr.write(`The reliability backend did not start: ${error}\n`);
    process.exit(1);
  });
