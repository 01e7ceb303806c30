import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { mockCredentials } from '@backstage/backend-test-utils';
import dataflexModuleKafka from '@dataflex/backstage-plugin-dataflex-backend-module-kafka';
import knexFactory, { Knex } from 'knex';
import {
  DATA_PLATFORM,
  OWNER,
  startDataflexTestBackend,
} from '../__testUtils__/startDataflexTestBackend';
import { waitForPublishedEvents } from '../__testUtils__/waitForPublishedEvents';
import { createTestDatabases } from '../database/__testUtils__/testDatabases';
import {
  consumeMessages,
  findTestKafkaBroker,
  firstDeliveries,
  TestKafkaBroker,
} from '@dataflex/backstage-plugin-dataflex-backend-module-kafka/testUtils';

jest.setTimeout(180_000);

const databases = createTestDatabases();
const broker = findTestKafkaBroker();

/** How the child process and the restarted backend reach the database. */
async function createDatabase(
  databaseId: string,
  dir: string,
): Promise<Knex.Config> {
  if (databaseId === 'SQLITE_3') {
    return {
      client: 'better-sqlite3',
      connection: { filename: path.join(dir, 'dataflex.sqlite') },
      useNullAsDefault: true,
    };
  }
  // A fresh database on the test run's PostgreSQL server.
  const knex = await databases.init('POSTGRES_15');
  return { client: 'pg', connection: knex.client.config.connection };
}

/** Starts crashingBackend.ts in a child process and waits until it serves. */
async function startChild(env: Record<string, string>) {
  const child = spawn(
    process.execPath,
    [
      '--require',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
      path.join(__dirname, '__testUtils__', 'crashingBackend.ts'),
    ],
    {
      env: { ...process.env, ...env, NODE_ENV: 'test' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const exited = new Promise<NodeJS.Signals | number | null>(resolve =>
    child.on('exit', (code, signal) => resolve(signal ?? code)),
  );
  let stderr = '';
  child.stderr!.on('data', chunk => {
    stderr += chunk;
  });
  const port = await new Promise<number>((resolve, reject) => {
    let stdout = '';
    child.stdout!.on('data', chunk => {
      stdout += chunk;
      const match = stdout.match(/LISTENING (\d+)/);
      if (match) {
        resolve(Number(match[1]));
      }
    });
    exited.then(status =>
      reject(new Error(`The child backend exited (${status}): ${stderr}`)),
    );
  });
  return { child, port, exited };
}

// Delivery is checked in Backstage's events service and in Kafka.
(broker ? describe.each : describe.skip.each)([
  'SQLITE_3',
  ...(databases.supports('POSTGRES_15') ? ['POSTGRES_15'] : []),
])('the outbox when the backend dies before delivering (%s)', databaseId => {
  const server = broker as TestKafkaBroker;
  let dir: string;
  let child: ChildProcess | undefined;
  const knexes: Knex[] = [];

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dataflex-crash-'));
  });

  afterEach(async () => {
    child?.kill('SIGKILL');
    await Promise.all(knexes.splice(0).map(k => k.destroy()));
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('delivers the committed event after a restart, with the same id and content, exactly once in content', async () => {
    const database = await createDatabase(databaseId, dir);
    const blobs = path.join(dir, 'blobs');
    const topic = `test-${randomUUID()}.dataflex.events`;
    const kafka = {
      clientId: 'dataflex-crash-test',
      brokers: server.brokers,
      topic,
    };

    const started = await startChild({
      DATAFLEX_CRASH_DATABASE: JSON.stringify(database),
      DATAFLEX_CRASH_BLOBS: blobs,
      DATAFLEX_CRASH_KAFKA: JSON.stringify(kafka),
    });
    child = started.child;

    // The process dies while relaying this change's event; the answer may
    // or may not make it out first.
    await fetch(`http://127.0.0.1:${started.port}/api/dataflex/datasets`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: mockCredentials.user.header(OWNER),
      },
      body: JSON.stringify({ name: 'survivor', owner: DATA_PLATFORM }),
    }).catch(() => undefined);
    expect(await started.exited).toBe('SIGKILL');

    // The change and its event were committed; the event is not sent.
    const knex = knexFactory(database);
    knexes.push(knex);
    expect(
      await knex('datasets').where({ name: 'survivor' }).select('name'),
    ).toEqual([{ name: 'survivor' }]);
    const rows = await knex('event_outbox').select();
    expect(rows).toHaveLength(1);
    const [row] = rows;
    expect(row).toMatchObject({
      topic: 'dataflex.dataset.created',
      subject: 'dataset:default/survivor',
      sent_at: null,
    });
    const stored = JSON.parse(row.payload);
    expect(stored.eventId).toBe(row.event_id);

    // The dead process's claim lapses after its one-second lease.
    const claimedUntil = row.claimed_until
      ? new Date(row.claimed_until).getTime()
      : 0;
    await new Promise(resolve =>
      setTimeout(resolve, Math.max(0, claimedUntil - Date.now()) + 100),
    );

    const restarted = await startDataflexTestBackend({
      blobDirectory: blobs,
      knex,
      features: [dataflexModuleKafka],
      dataflexConfig: { events: { kafka } },
    });

    const [event] = await waitForPublishedEvents(restarted.publishedEvents, 1);
    expect(event).toEqual({
      topic: 'dataflex.dataset.created',
      eventPayload: stored,
    });
    const unsent = async () =>
      Number(
        (await knex('event_outbox').whereNull('sent_at').count({ n: '*' }))[0]
          .n,
      );
    const deadline = Date.now() + 10_000;
    while ((await unsent()) > 0 && Date.now() < deadline) {
      await new Promise(resolve => setTimeout(resolve, 50));
    }
    expect(
      await knex('event_outbox').where({ event_id: row.event_id }).first(),
    ).toMatchObject({ sent_at: expect.anything(), claimed_by: null });
    expect(restarted.publishedEvents).toHaveLength(1);

    const delivered = await consumeMessages(server.brokers, [topic], 1);
    // Maybe twice (the dead process may have reached Kafka), always the
    // same event.
    expect(delivered.length).toBeGreaterThanOrEqual(1);
    expect(delivered.length).toBeLessThanOrEqual(2);
    expect(firstDeliveries(delivered).map(m => m.value)).toEqual([stored]);
  });
});
