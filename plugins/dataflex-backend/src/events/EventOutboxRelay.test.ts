import { mockServices } from '@backstage/backend-test-utils';
import { DataflexEventMessage } from '@dataflex/backstage-plugin-dataflex-node';
import { createTestDatabases } from '../database/__testUtils__/testDatabases';
import { DatabaseEventOutboxStore } from './DatabaseEventOutboxStore';
import { EventOutboxRelay } from './EventOutboxRelay';
import {
  initOutboxDatabase,
  RecordingSink,
  testMessage,
} from './__testUtils__/outboxTestUtils';

jest.setTimeout(60_000);

const databases = createTestDatabases();

const A = 'dataset:default/a';
const B = 'dataset:default/b';

/** Each event's first arrival, in arrival order; redeliveries dropped. */
function firstArrivals(messages: DataflexEventMessage[]) {
  const seen = new Set<string>();
  return messages.filter(m => {
    if (seen.has(m.payload.eventId)) {
      return false;
    }
    seen.add(m.payload.eventId);
    return true;
  });
}

describe.each(databases.eachSupportedId())(
  'EventOutboxRelay (%s)',
  databaseId => {
    async function setUp(options?: {
      batchSize?: number;
      maxBackoffMs?: number;
    }) {
      const knex = await initOutboxDatabase(databases, databaseId);
      const store = DatabaseEventOutboxStore.create({ knex });
      const events = new RecordingSink('backstage-events');
      const kafka = new RecordingSink('kafka');
      const createRelay = () =>
        EventOutboxRelay.create({
          store,
          sinks: [events, kafka],
          logger: mockServices.logger.mock(),
          batchSize: options?.batchSize ?? 100,
          leaseMs: 60_000,
          maxBackoffMs: options?.maxBackoffMs ?? 60_000,
        });
      const relay = createRelay();
      return { knex, store, events, kafka, relay, createRelay };
    }

    it('hands every event to every sink in commit order and then marks it sent', async () => {
      const { knex, store, events, kafka, relay } = await setUp({
        batchSize: 3,
      });
      const messages = [1, 2, 3, 4, 5].flatMap(n => [
        testMessage(A, n),
        testMessage(B, n),
      ]);
      await store.add(messages);

      await relay.drain();

      expect(events.received).toEqual(messages);
      expect(kafka.received).toEqual(messages);
      expect(await store.countPending()).toBe(0);
      const rows = await knex('event_outbox').select(
        'sent_at',
        'claimed_by',
        'attempts',
      );
      expect(rows).toHaveLength(10);
      for (const row of rows) {
        expect(row.sent_at).not.toBeNull();
        expect(row.claimed_by).toBeNull();
        expect(row.attempts).toBe(0);
      }
    });

    it("holds back only the failing subject's events, keeps their order and retries with backoff", async () => {
      const { knex, store, events, kafka, relay } = await setUp();
      await store.add([
        testMessage(A, 1),
        testMessage(B, 1),
        testMessage(A, 2),
        testMessage(B, 2),
      ]);
      kafka.failing = m => m.key === A;

      const started = Date.now();
      await relay.relayOnce();

      expect(kafka.numbers(A)).toEqual([]);
      expect(kafka.numbers(B)).toEqual([1, 2]);
      expect(events.numbers(A)).toEqual([1, 2]);
      expect(await store.countPending()).toBe(2);
      const [first, second] = await knex('event_outbox')
        .where({ subject: A })
        .orderBy('sequence');
      expect(first.attempts).toBe(1);
      expect(first.last_error).toMatch(/^kafka: Error: kafka refused /);
      expect(JSON.parse(first.delivered_to)).toEqual(['backstage-events']);
      const retryIn = new Date(first.next_attempt_at).getTime() - started;
      expect(retryIn).toBeGreaterThanOrEqual(800);
      expect(retryIn).toBeLessThanOrEqual(1_200 + (Date.now() - started));
      // Not attempted, so not counted; it waits behind A#1.
      expect(second.attempts).toBe(0);
      expect(JSON.parse(second.delivered_to)).toEqual(['backstage-events']);

      // Not due yet: nothing happens.
      await relay.relayOnce();
      expect(kafka.calls).toBe(4);

      kafka.failing = () => false;
      const due = new Date(Date.now() + 1_300);
      await relay.relayOnce(due);

      expect(kafka.numbers(A)).toEqual([1, 2]);
      // The events service had them already and does not get them again.
      expect(events.numbers(A)).toEqual([1, 2]);
      expect(await store.countPending()).toBe(0);
    });

    it('backs off exponentially up to the configured maximum', async () => {
      const { knex, store, kafka, relay } = await setUp({
        maxBackoffMs: 5_000,
      });
      await store.add([testMessage(A, 1)]);
      kafka.failing = () => true;

      const delays: number[] = [];
      let now = new Date();
      for (let attempt = 1; attempt <= 5; attempt++) {
        await relay.relayOnce(now);
        const row = await knex('event_outbox').first();
        expect(row.attempts).toBe(attempt);
        const next = new Date(row.next_attempt_at);
        delays.push(next.getTime() - now.getTime());
        now = new Date(next.getTime() + 1);
      }

      const expected = [1_000, 2_000, 4_000, 5_000, 5_000];
      delays.forEach((delay, i) => {
        expect(delay).toBeGreaterThanOrEqual(expected[i] * 0.8 - 1);
        expect(delay).toBeLessThanOrEqual(expected[i] * 1.2 + 1);
      });
      await relay.stop();
    });

    it('retries by itself once the backoff is over', async () => {
      const { store, kafka, relay } = await setUp({ maxBackoffMs: 100 });
      await store.add([testMessage(A, 1)]);
      kafka.failing = () => true;
      await relay.drain();
      expect(await store.countPending()).toBe(1);

      kafka.failing = () => false;
      const deadline = Date.now() + 10_000;
      while ((await store.countPending()) > 0 && Date.now() < deadline) {
        await new Promise(resolve => setTimeout(resolve, 50));
      }

      expect(kafka.numbers(A)).toEqual([1]);
      expect(await store.countPending()).toBe(0);
    });

    it('runs one pass at a time in a process, however often it is kicked', async () => {
      const { store, events, relay } = await setUp({ batchSize: 2 });
      let inFlight = 0;
      let maxInFlight = 0;
      const publish = events.publish.bind(events);
      events.publish = async messages => {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise(resolve => setTimeout(resolve, 5));
        await publish(messages);
        inFlight--;
      };

      for (let n = 1; n <= 10; n++) {
        await store.add([testMessage(A, n)]);
        relay.kick();
      }
      await relay.drain();

      expect(maxInFlight).toBe(1);
      expect(events.numbers(A)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    });

    it('delivers every event, each subject in order, when relays of several instances run at once', async () => {
      const { store, events, kafka, createRelay } = await setUp({
        batchSize: 7,
      });
      const subjects = Array.from(
        { length: 8 },
        (_, i) => `dataset:default/s${i}`,
      );
      const relays = [createRelay(), createRelay(), createRelay()];
      let flaky = 0;
      kafka.failing = () => ++flaky % 5 === 0;

      const writers = subjects.map(async subject => {
        for (let n = 1; n <= 10; n++) {
          await store.add([testMessage(subject, n)]);
          relays[n % relays.length].kick();
        }
      });
      await Promise.all(writers);
      kafka.failing = () => false;
      const deadline = Date.now() + 30_000;
      while ((await store.countPending()) > 0 && Date.now() < deadline) {
        await Promise.all(
          relays.map(r => r.relayOnce(new Date(Date.now() + 60_000))),
        );
      }
      await Promise.all(relays.map(r => r.stop()));

      expect(await store.countPending()).toBe(0);
      for (const sink of [events, kafka]) {
        const arrived = firstArrivals(sink.received);
        expect(arrived).toHaveLength(80);
        for (const subject of subjects) {
          expect(
            arrived
              .filter(m => m.key === subject)
              .map(m => (m.payload.data as { n: number }).n),
          ).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        }
      }
    });
  },
);
