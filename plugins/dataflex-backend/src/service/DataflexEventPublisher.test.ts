import { mockServices } from '@backstage/backend-test-utils';
import { DatasetRecord } from '../database/DatasetStore';
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

describe('DataflexEventPublisher', () => {
  it('logs a failed publish instead of failing the committed change', async () => {
    const logger = mockServices.logger.mock();
    const events = mockServices.events.mock({
      publish: jest.fn().mockRejectedValue(new Error('events backend down')),
    });
    const publisher = DataflexEventPublisher.create({ events, logger });

    await expect(
      publisher.datasetDeleted('user:default/olivia', dataset),
    ).resolves.toBeUndefined();

    expect(events.publish).toHaveBeenCalledTimes(1);
    expect(logger.error).toHaveBeenCalledWith(
      expect.stringMatching(
        /^Could not publish dataflex\.dataset\.deleted event [0-9a-f-]{36} for dataset:default\/orders$/,
      ),
      new Error('events backend down'),
    );
  });

  it('publishes nothing when an update changed nothing', async () => {
    const events = mockServices.events.mock();
    const publisher = DataflexEventPublisher.create({
      events,
      logger: mockServices.logger.mock(),
    });

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

    expect(events.publish).toHaveBeenCalledTimes(1);
    expect(events.publish).toHaveBeenCalledWith({
      topic: 'dataflex.dataset.updated',
      eventPayload: expect.objectContaining({
        data: {
          dataset: expect.objectContaining({
            owner: 'group:default/marketing',
          }),
          changed: ['owner', 'tags'],
        },
      }),
    });
  });
});
