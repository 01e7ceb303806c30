/*
 * A DataFlex backend that kills its own process while the outbox relay
 * delivers the first event, i.e. after the change and its event committed
 * and before the event is marked sent. Run in a child process by
 * outboxCrash.test.ts (through Backstage's node transform), not by Jest.
 *
 * Environment: DATAFLEX_CRASH_DATABASE (knex config as JSON),
 * DATAFLEX_CRASH_BLOBS (blob directory), DATAFLEX_CRASH_KAFKA
 * (dataflex.events.kafka as JSON). Prints `LISTENING <port>` once it serves.
 */
import { AddressInfo } from 'node:net';
import { createBackendModule } from '@backstage/backend-plugin-api';
import dataflexModuleKafka from '@dataflex/backstage-plugin-dataflex-backend-module-kafka';
import { dataflexEventSinksExtensionPoint } from '@dataflex/backstage-plugin-dataflex-node';
import knexFactory from 'knex';
import { startDataflexTestBackend } from '../../__testUtils__/startDataflexTestBackend';

const crashOnDelivery = createBackendModule({
  pluginId: 'dataflex',
  moduleId: 'crash-on-delivery',
  register(reg) {
    reg.registerInit({
      deps: { sinks: dataflexEventSinksExtensionPoint },
      async init({ sinks }) {
        sinks.addEventSink({
          id: 'crash-on-delivery',
          async publish() {
            process.kill(process.pid, 'SIGKILL');
          },
        });
      },
    });
  },
});

async function main() {
  const env = (name: string) => {
    const value = process.env[name];
    if (!value) {
      throw new Error(`${name} is not set`);
    }
    return value;
  };
  const { server } = await startDataflexTestBackend({
    blobDirectory: env('DATAFLEX_CRASH_BLOBS'),
    knex: knexFactory(JSON.parse(env('DATAFLEX_CRASH_DATABASE'))),
    features: [dataflexModuleKafka, crashOnDelivery],
    dataflexConfig: {
      events: {
        // Short, so the restarted backend need not wait long for the claim
        // this process dies holding.
        outbox: { lease: '1s' },
        kafka: JSON.parse(env('DATAFLEX_CRASH_KAFKA')),
      },
    },
  });
  const { port } = server.address() as AddressInfo;
  process.stdout.write(`LISTENING ${port}\n`);
}

main().catch(error => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
