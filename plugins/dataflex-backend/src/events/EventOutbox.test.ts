import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { EventParams } from '@backstage/plugin-events-node';
import { createTestDatabases } from '../database/__testUtils__/testDatabases';
import { DatabaseEventOutboxStore } from './DatabaseEventOutboxStore';
import { EventOutbox } from './EventOutbox';
import { readEventOutboxConfig } from './EventOutboxConfig';
import {
  initOutboxDatabase,
  RecordingSink,
  testMessage,
} from './__testUtils__/outboxTestUtils';

jest.setTimeout(60_000);

const databases = createTestDatabases();

const A = 'dataset:default/a';

async function waitUntil(condition: () => boolean | Promise<boolean>) {
  const deadline = Date.now() + 10_000;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      throw new Error('Timed out waiting for the outbox');
    }
    await new Promise(resolve => setTimeout(resolve, 20));
  }
}

describe.each(databases.eachSupportedId())('EventOutbox (%s)', databaseId => {
  async function setUp(configData: object = {}) {
    const knex = await initOutboxDatabase(databases, databaseId);
    const store = DatabaseEventOutboxStore.create({ knex });
    const published: EventParams[] = [];
    const events = mockServices.events.mock({
      publish: jest.fn(async params => {
        published.push(params);
      }),
    });
    const kafka = new RecordingSink('kafka');
    const scheduler = mockServices.scheduler.mock();
    const outbox = EventOutbox.create({
      store,
      config: readEventOutboxConfig(
        new ConfigReader({ dataflex: { events: { outbox: configData } } }),
      ),
      events,
      sinks: [kafka],
      scheduler,
      logger: mockServices.logger.mock(),
      lifecycle: mockServices.lifecycle.mock(),
    });
    return { knex, store, outbox, published, kafka, scheduler };
  }

  it('relays an event right after its transaction commits, and never one that rolled back', async () => {
    const { knex, store, outbox, published, kafka } = await setUp();
    const committed = testMessage(A, 1, 'dataflex.dataset.created');
    const rolledBack = testMessage(A, 2);

    await expect(
      knex.transaction(async transaction => {
        await outbox.add([rolledBack], { transaction });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    await knex.transaction(async transaction => {
      await outbox.add([committed], { transaction });
      // Not before the commit: the relay cannot see the row yet.
      await new Promise(resolve => setTimeout(resolve, 50));
      expect(published).toEqual([]);
    });

    await waitUntil(async () => (await store.countPending()) === 0);
    expect(published).toEqual([
      { topic: 'dataflex.dataset.created', eventPayload: committed.payload },
    ]);
    expect(kafka.received).toEqual([committed]);
  });

  it('relays an event written without a transaction at once', async () => {
    const { outbox, published } = await setUp();
    const message = testMessage(A, 1);
    await outbox.add([message]);
    await waitUntil(() => published.length === 1);
    expect(published[0].eventPayload).toEqual(message.payload);
  });

  it('schedules the relay and the pruning on one instance at a time', async () => {
    const { outbox, scheduler } = await setUp({ frequency: '3s' });
    await outbox.start();
    expect(scheduler.scheduleTask).toHaveBeenCalledWith(
      expect.objectContaining({
        id: 'dataflex-event-outbox-relay',
        scope: 'global',
        frequency: { seconds: 3 },
      }),
    );
    expect(scheduler.scheduleTask).toHaveBeenCalledWith(
      expect.objectContaining({
        id: 'dataflex-event-outbox-pruner',
        scope: 'global',
      }),
    );
  });

  it('prunes sent events once they are older than the retention', async () => {
    const { knex, store, outbox } = await setUp({ retention: '2d' });
    await outbox.add([testMessage(A, 1), testMessage(A, 2)]);
    await waitUntil(async () => (await store.countPending()) === 0);
    await outbox.add([testMessage(A, 3)]);
    await outbox.drain();
    await knex('event_outbox')
      .whereIn('sequence', knex('event_outbox').min('sequence'))
      .update({ sent_at: new Date(Date.now() - 3 * 86_400_000) });

    expect(await outbox.prune()).toBe(1);
    expect(await outbox.prune(new Date(Date.now() + 3 * 86_400_000))).toBe(2);
    const [{ n }] = await knex('event_outbox').count({ n: '*' });
    expect(Number(n)).toBe(0);
  });
});

describe('EventOutbox configuration', () => {
  it('refuses two sinks with the same id', async () => {
    const knex = await initOutboxDatabase(databases, 'SQLITE_3');
    expect(() =>
      EventOutbox.create({
        store: DatabaseEventOutboxStore.create({ knex }),
        config: readEventOutboxConfig(new ConfigReader({})),
        events: mockServices.events.mock(),
        sinks: [new RecordingSink('kafka'), new RecordingSink('kafka')],
        scheduler: mockServices.scheduler.mock(),
        logger: mockServices.logger.mock(),
        lifecycle: mockServices.lifecycle.mock(),
      }),
    ).toThrow(/Two DataFlex event sinks have the id 'kafka'/);
  });

  it('reads defaults and explains invalid values', () => {
    expect(readEventOutboxConfig(new ConfigReader({}))).toEqual({
      frequency: { seconds: 10 },
      retention: { days: 7 },
      batchSize: 100,
      leaseMs: 60_000,
      maxBackoffMs: 300_000,
    });
    const read = (outbox: object) => () =>
      readEventOutboxConfig(
        new ConfigReader({ dataflex: { events: { outbox } } }),
      );
    expect(read({ retention: '0s' })).toThrow(
      /dataflex\.events\.outbox\.retention: it must be a duration longer than zero/,
    );
    expect(read({ batchSize: 0 })).toThrow(
      /dataflex\.events\.outbox\.batchSize: it must be a whole number from 1 to 1000, not 0/,
    );
    expect(read({ retention: 'a week' })).toThrow();
    expect(read({ retention: { days: 30 }, lease: '30s' })()).toMatchObject({
      retention: { days: 30 },
      leaseMs: 30_000,
    });
  });
});
