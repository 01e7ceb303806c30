/*
 * The events benchmark (run by bench/events/run.sh, which starts PostgreSQL
 * and Kafka): DataFlex's transactional outbox on PostgreSQL relaying to a
 * real Kafka broker through the Kafka module's sink, as in production.
 *
 * - Throughput: writers commit BENCH_EVENTS_COUNT events, one per
 *   transaction, each kicking the relay as a request would; events/s from
 *   the first commit to the last event read back from Kafka.
 * - Latency: events committed at BENCH_EVENTS_RATE per second for
 *   BENCH_EVENTS_SECONDS; commit-to-Kafka time (commit returned → a
 *   consumer has the message) p50 and p99.
 *
 * The reference for both is the same sink publishing straight to Kafka,
 * without the outbox: batches of 100 for throughput, one event per send for
 * latency. Prints tables, then the JSON result line bench/run.mjs collects.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  LifecycleService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import { DefaultEventsService } from '@backstage/plugin-events-node';
import { DataflexEventMessage } from '@dataflex/backstage-plugin-dataflex-node';
import { Kafka, logLevel } from 'kafkajs';
import knexFactory, { Knex } from 'knex';
import { KafkaEventSink } from '../../plugins/dataflex-backend-module-kafka/src/KafkaEventSink';
import { DatabaseEventOutboxStore } from '../../plugins/dataflex-backend/src/events/DatabaseEventOutboxStore';
import { EventOutbox } from '../../plugins/dataflex-backend/src/events/EventOutbox';
import { readEventOutboxConfig } from '../../plugins/dataflex-backend/src/events/EventOutboxConfig';

const COUNT = Number(process.env.BENCH_EVENTS_COUNT ?? 20_000);
const WRITERS = Number(process.env.BENCH_EVENTS_WRITERS ?? 8);
const RATE = Number(process.env.BENCH_EVENTS_RATE ?? 200);
const SECONDS = Number(process.env.BENCH_EVENTS_SECONDS ?? 20);
const SUBJECTS = 500;

function required(name: string): string {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set; run bench/events/run.sh`);
  }
  return value;
}

const logger: LoggerService = {
  error: (message, meta) => console.error(message, meta ?? ''),
  warn: (message, meta) => console.error(message, meta ?? ''),
  info: () => {},
  debug: () => {},
  child: () => logger,
};
const lifecycle = {
  addStartupHook: () => {},
  addShutdownHook: () => {},
} as unknown as LifecycleService;
// The benchmark drives the relay through kicks alone, as requests do.
const scheduler = {
  scheduleTask: async () => {},
} as unknown as SchedulerService;

function message(n: number): DataflexEventMessage {
  const subject = `dataset:default/bench-${n % SUBJECTS}`;
  return {
    topic: 'dataflex.dataset.updated',
    key: subject,
    payload: {
      eventId: randomUUID(),
      version: 1,
      type: 'dataflex.dataset.updated',
      occurredAt: new Date().toISOString(),
      actor: 'user:default/bench',
      subject,
      data: {
        dataset: {
          namespace: 'default',
          name: `bench-${n % SUBJECTS}`,
          owner: 'group:default/data-platform',
          visibility: 'public',
          source: 'api',
        },
        changed: ['tags'],
      },
    },
  };
}

/** Reads a topic from the beginning and notes when each event arrived. */
async function startConsumer(brokers: string[], topic: string) {
  const kafka = new Kafka({
    clientId: 'dataflex-bench',
    brokers,
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [{ topic, numPartitions: 3 }],
    waitForLeaders: true,
  });
  await admin.disconnect();
  const consumer = kafka.consumer({ groupId: `bench-${randomUUID()}` });
  const arrived = new Map<string, number>();
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  const joined = new Promise<void>(resolve =>
    consumer.on(consumer.events.GROUP_JOIN, () => resolve()),
  );
  await consumer.run({
    eachBatch: async ({ batch }) => {
      const now = performance.now();
      for (const m of batch.messages) {
        const id = m.headers?.['dataflex-event-id']?.toString();
        if (id && !arrived.has(id)) {
          arrived.set(id, now);
        }
      }
    },
  });
  await joined;
  return {
    arrived,
    async waitFor(ids: string[], timeoutMs = 300_000) {
      const deadline = Date.now() + timeoutMs;
      while (ids.some(id => !arrived.has(id))) {
        if (Date.now() > deadline) {
          throw new Error(
            `${
              ids.filter(id => !arrived.has(id)).length
            } events never reached Kafka`,
          );
        }
        await new Promise(resolve => setTimeout(resolve, 20));
      }
      return Math.max(...ids.map(id => arrived.get(id)!));
    },
    stop: () => consumer.disconnect(),
  };
}

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
}

const round = (value: number, digits = 1) =>
  Math.round(value * 10 ** digits) / 10 ** digits;

/** Starts `send(i)` RATE times a second for SECONDS, open loop. */
async function atRate(send: (i: number) => Promise<void>) {
  const total = RATE * SECONDS;
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 0) {
      await new Promise(resolve => setTimeout(resolve, wait));
    }
    inFlight.push(send(i));
  }
  await Promise.all(inFlight);
}

async function createDatabase(): Promise<Knex> {
  const server = required(
    'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING',
  );
  const name = `dataflex_bench_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const admin = knexFactory({ client: 'pg', connection: server });
  await admin.raw(`create database ${name}`);
  await admin.destroy();
  const knex = knexFactory({
    client: 'pg',
    connection: `${server}/${name}`,
    pool: { min: 1, max: WRITERS + 4 },
  });
  await knex.migrate.latest({
    directory: path.resolve(
      __dirname,
      '../../plugins/dataflex-backend/migrations',
    ),
  });
  return knex;
}

async function main() {
  const brokers = required('DATAFLEX_TEST_KAFKA_BROKERS').split(',');
  const knex = await createDatabase();
  const run = randomUUID().slice(0, 8);
  const kafkaConfig = (topic: string) =>
    new ConfigReader({
      dataflex: {
        events: { kafka: { clientId: 'dataflex-bench', brokers, topic } },
      },
    });

  // Reference: the sink straight to Kafka.
  const directTopic = `bench-${run}.direct`;
  const direct = KafkaEventSink.fromConfig(kafkaConfig(directTopic), {
    logger,
  })!;
  const directConsumer = await startConsumer(brokers, directTopic);
  const directEvents = Array.from({ length: COUNT }, (_, i) => message(i));
  let started = performance.now();
  for (let i = 0; i < directEvents.length; i += 100) {
    await direct.publish(directEvents.slice(i, i + 100));
  }
  const directDone = await directConsumer.waitFor(
    directEvents.map(m => m.payload.eventId),
  );
  const directRate = COUNT / ((directDone - started) / 1000);
  const directLatency: number[] = [];
  await atRate(async i => {
    const event = message(i);
    const sent = performance.now();
    await direct.publish([event]);
    directLatency.push(
      (await directConsumer.waitFor([event.payload.eventId])) - sent,
    );
  });
  await directConsumer.stop();
  await direct.stop();

  // DataFlex: the outbox on PostgreSQL, relayed to Backstage events and Kafka.
  const outboxTopic = `bench-${run}.outbox`;
  const sink = KafkaEventSink.fromConfig(kafkaConfig(outboxTopic), { logger })!;
  const outbox = EventOutbox.create({
    store: DatabaseEventOutboxStore.create({ knex }),
    config: readEventOutboxConfig(new ConfigReader({})),
    events: DefaultEventsService.create({ logger }).forPlugin('dataflex'),
    sinks: [sink],
    scheduler,
    logger,
    lifecycle,
  });
  const consumer = await startConsumer(brokers, outboxTopic);
  const commit = (event: DataflexEventMessage) =>
    knex.transaction(async transaction => {
      await outbox.add([event], { transaction });
    });

  const events = Array.from({ length: COUNT }, (_, i) => message(i));
  let next = 0;
  started = performance.now();
  await Promise.all(
    Array.from({ length: WRITERS }, async () => {
      while (next < events.length) {
        await commit(events[next++]);
      }
    }),
  );
  const committed = performance.now();
  const outboxDone = await consumer.waitFor(events.map(m => m.payload.eventId));
  const outboxRate = COUNT / ((outboxDone - started) / 1000);
  const commitRate = COUNT / ((committed - started) / 1000);

  const latency: number[] = [];
  await atRate(async i => {
    const event = message(i);
    await commit(event);
    const at = performance.now();
    latency.push((await consumer.waitFor([event.payload.eventId])) - at);
  });
  await outbox.drain();
  const pending = await DatabaseEventOutboxStore.create({
    knex,
  }).countPending();
  await consumer.stop();
  await sink.stop();
  await knex.destroy();

  const rows = [
    [
      `Events/s, outbox → Kafka (${COUNT} events, ${WRITERS} writers)`,
      round(outboxRate),
      round(directRate),
    ],
    [`Commits/s into the outbox (same run)`, round(commitRate), ''],
    [
      `Commit-to-Kafka latency p50 at ${RATE}/s`,
      round(percentile(latency, 0.5)),
      round(percentile(directLatency, 0.5)),
    ],
    [
      `Commit-to-Kafka latency p99 at ${RATE}/s`,
      round(percentile(latency, 0.99)),
      round(percentile(directLatency, 0.99)),
    ],
  ];
  console.log('\nEvents: transactional outbox (PostgreSQL) → Kafka');
  console.log(['', 'DataFlex', 'direct to Kafka'].join(' | '));
  for (const row of rows) {
    console.log(row.join(' | '));
  }
  console.log(`Events left unsent at the end: ${pending}\n`);

  const figure = (
    label: string,
    value: number,
    unit: string,
    reference: number,
    referenceLabel: string,
  ) => ({
    label,
    value,
    unit,
    reference: { label: referenceLabel, value: reference },
    ratio: reference ? round(value / reference, 2) : undefined,
  });
  console.log(
    JSON.stringify({
      name: 'events',
      figures: [
        figure(
          rows[0][0] as string,
          round(outboxRate),
          'events/s',
          round(directRate),
          'the Kafka sink without the outbox, batches of 100',
        ),
        figure(
          rows[2][0] as string,
          round(percentile(latency, 0.5)),
          'ms',
          round(percentile(directLatency, 0.5)),
          'send-to-consumer, one event per send, no outbox',
        ),
        figure(
          rows[3][0] as string,
          round(percentile(latency, 0.99)),
          'ms',
          round(percentile(directLatency, 0.99)),
          'send-to-consumer, one event per send, no outbox',
        ),
      ],
    }),
  );
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
