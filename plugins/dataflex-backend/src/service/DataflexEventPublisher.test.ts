import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { EventParams } from '@backstage/plugin-events-node';
import { Knex } from 'knex';
import { DatasetRecord } from '../database/DatasetStore';
import { DatabaseEventOutboxStore } from '../events/DatabaseEventOutboxStore';
import { EventOutbox } from '../events/EventOutbox';
import { readEventOutboxConfig } from '../events/EventOutboxConfig';
import { initOutboxDatabase } from '../events/__testUtils__/outboxTestUtils';
import { DataflexEventPublisher } from './DataflexEventPublisher';

const dataset: DatasetRecord = {
  id: '6f1c1f0e-2b4b-4f57-9a38-0d0e4f1b2a11',
  namespace: 'default',
  name: 'orders',
  title: 'Orders',
  owner: 'group:default/data-platform',
  visibility: 'private',
  tags: [],
  source: 'api',
  createdBy: 'user:default/olivia',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

function createPublisher(knex: Knex) {
  const published: EventParams[] = [];
  const logger = mockServices.logger.mock();
  const outbox = EventOutbox.create({
    store: DatabaseEventOutboxStore.create({ knex }),
    config: readEventOutboxConfig(new ConfigReader({})),
    events: mockServices.events.mock({
      publish: jest.fn(async params => {
        published.push(params);
      }),
    }),
    sinks: [],
    scheduler: mockServices.scheduler.mock(),
    logger,
    lifecycle: mockServices.lifecycle.mock(),
  });
  const publisher = DataflexEventPublisher.create({ outbox, logger });
  return { publisher, outbox, published, logger };
}

describe('DataflexEventPublisher', () => {
  it('writes the event in the transaction of the change, so both commit or neither', async () => {
    const knex = await initOutboxDatabase(databases, 'SQLITE_3');
    const { publisher, outbox, published } = createPublisher(knex);

    await expect(
      knex.transaction(async transaction => {
        await publisher.datasetDeleted('user:default/olivia', dataset, {
          transaction,
        });
        throw new Error('the delete failed');
      }),
    ).rejects.toThrow('the delete failed');
    await knex.transaction(async transaction => {
      await publisher.datasetCreated('user:default/olivia', dataset, {
        transaction,
      });
    });
    await outbox.drain();

    expect(published).toEqual([
      {
        topic: 'dataflex.dataset.created',
        eventPayload: expect.objectContaining({
          type: 'dataflex.dataset.created',
          subject: 'dataset:default/orders',
        }),
      },
    ]);
  });

  it('fails the transaction when the event cannot be written', async () => {
    // No migrations: the outbox table is missing.
    const knex = await databases.init('SQLITE_3');
    const { publisher } = createPublisher(knex);
    await knex.schema.createTable('things', table => table.string('name'));

    // better-sqlite3's errors may belong to another test file's realm, so
    // match the message rather than the class.
    await expect(
      knex.transaction(async transaction => {
        await transaction('things').insert({ name: 'change' });
        await publisher.datasetCreated('user:default/olivia', dataset, {
          transaction,
        });
      }),
    ).rejects.toMatchObject({ message: expect.stringMatching(/event_outbox/) });
    expect(await knex('things')).toEqual([]);
  });

  it('logs an event it cannot write after the fact instead of failing the committed change', async () => {
    const knex = await databases.init('SQLITE_3');
    const { publisher, logger } = createPublisher(knex);

    await expect(
      publisher.datasetDeleted('user:default/olivia', dataset),
    ).resolves.toBeUndefined();

    expect(logger.error).toHaveBeenCalledWith(
      expect.stringMatching(
        /^Could not write dataflex\.dataset\.deleted event [0-9a-f-]{36} for dataset:default\/orders to the outbox; it is lost$/,
      ),
      expect.objectContaining({
        message: expect.stringMatching(/event_outbox/),
      }),
    );
  });

  it('publishes nothing when an update changed nothing', async () => {
    const knex = await initOutboxDatabase(databases, 'SQLITE_3');
    const { publisher, outbox, published } = createPublisher(knex);

    await publisher.datasetUpdated('user:default/olivia', dataset, {
      ...dataset,
      tags: [],
      updatedAt: '2026-01-02T00:00:00.000Z',
    });
    await publisher.datasetUpdated('user:default/olivia', dataset, {
      ...dataset,
      tags: ['sales'],
      owner: 'group:default/marketing',
    });
    await outbox.drain();

    expect(published).toEqual([
      {
        topic: 'dataflex.dataset.updated',
        eventPayload: expect.objectContaining({
          data: {
            dataset: expect.objectContaining({
              owner: 'group:default/marketing',
            }),
            changed: ['owner', 'tags'],
          },
        }),
      },
    ]);
  });
});
