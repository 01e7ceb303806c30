import http from 'node:http';
import { AddressInfo } from 'node:net';
import { mockServices } from '@backstage/backend-test-utils';
import { EntityProviderConnection } from '@backstage/plugin-catalog-node';
import { CatalogDataset } from '@dataflex/backstage-plugin-dataflex-common';
import { DataflexDatasetProvider } from './DataflexDatasetProvider';

const externalBaseUrl = 'https://portal.example.com/api/dataflex';
const serviceToken =
  'mock-service-token:{"sub":"plugin:catalog","target":"dataflex"}';

function dataset(name: string): CatalogDataset {
  return {
    ref: `dataset:default/${name}`,
    namespace: 'default',
    name,
    owner: 'group:default/data-platform',
    visibility: 'private',
    tags: [],
    updatedAt: '2026-01-02T03:04:05.000Z',
  };
}

/**
 * A stand-in for the DataFlex backend's `GET /catalog/datasets`: pages of
 * `datasets` by name, for the catalog's service token only.
 */
class FakeDataflexBackend {
  datasets: CatalogDataset[] = [];
  requests: URL[] = [];
  failOnRequest?: number;
  delayMs = 0;
  inFlight = 0;
  maxInFlight = 0;
  private server?: http.Server;

  async start(): Promise<string> {
    this.server = http.createServer(async (req, res) => {
      const url = new URL(req.url!, 'http://localhost');
      this.requests.push(url);
      this.inFlight++;
      this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
      await new Promise(resolve => setTimeout(resolve, this.delayMs));
      this.inFlight--;
      res.setHeader('Content-Type', 'application/json');
      if (req.headers.authorization !== `Bearer ${serviceToken}`) {
        res.statusCode = 401;
        res.end(JSON.stringify({ error: { name: 'AuthenticationError' } }));
        return;
      }
      if (this.requests.length === this.failOnRequest) {
        res.statusCode = 500;
        res.end(
          JSON.stringify({
            error: { name: 'Error', message: 'database unavailable' },
          }),
        );
        return;
      }
      const limit = Number(url.searchParams.get('limit'));
      const after = url.searchParams.get('cursor') ?? '';
      const sorted = [...this.datasets].sort((a, b) =>
        a.name.localeCompare(b.name),
      );
      const rest = sorted.filter(d => d.name > after);
      const items = rest.slice(0, limit);
      res.end(
        JSON.stringify({
          items,
          nextCursor:
            rest.length > limit ? items[items.length - 1].name : undefined,
        }),
      );
    });
    await new Promise<void>(resolve =>
      this.server!.listen(0, '127.0.0.1', resolve),
    );
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}/api/dataflex`;
  }

  async stop() {
    await new Promise(resolve => this.server?.close(resolve));
  }
}

describe('DataflexDatasetProvider', () => {
  const backend = new FakeDataflexBackend();
  let baseUrl: string;

  beforeAll(async () => {
    baseUrl = await backend.start();
  });

  afterAll(async () => {
    await backend.stop();
  });

  beforeEach(() => {
    backend.datasets = [];
    backend.requests = [];
    backend.failOnRequest = undefined;
    backend.delayMs = 0;
    backend.maxInFlight = 0;
  });

  async function setUp(config: object = {}) {
    const scheduler = mockServices.scheduler();
    const events = mockServices.events();
    const logger = mockServices.logger.mock();
    const lifecycle = mockServices.lifecycle.mock();
    const connection = {
      applyMutation: jest.fn(async () => {}),
      refresh: jest.fn(async () => {}),
    } satisfies EntityProviderConnection;
    const provider = DataflexDatasetProvider.fromConfig(
      mockServices.rootConfig({ data: config }),
      {
        auth: mockServices.auth({ pluginId: 'catalog' }),
        discovery: {
          getBaseUrl: async () => baseUrl,
          getExternalBaseUrl: async () => externalBaseUrl,
        },
        logger,
        scheduler,
        events,
        lifecycle,
        eventDebounceMs: 50,
      },
    );
    await provider.connect(connection);
    const publishedNames = (call: number) =>
      (
        connection.applyMutation.mock.calls[call] as unknown as [
          { entities: Array<{ entity: { metadata: { name: string } } }> },
        ]
      )[0].entities.map(e => e.entity.metadata.name);
    return {
      provider,
      scheduler,
      events,
      logger,
      lifecycle,
      connection,
      publishedNames,
    };
  }

  const publish = (
    events: ReturnType<typeof mockServices.events>,
    eventId: string,
    topic = 'dataflex.dataset.created',
  ) =>
    events.publish({
      topic,
      eventPayload: { eventId, version: 1, type: topic, data: {} },
    });

  const settle = (ms = 200) => new Promise(resolve => setTimeout(resolve, ms));

  it('publishes every dataset, page by page, as one full mutation on schedule', async () => {
    backend.datasets = Array.from({ length: 450 }, (_, i) =>
      dataset(`ds-${String(i).padStart(3, '0')}`),
    );
    const { scheduler, connection, publishedNames } = await setUp();

    await scheduler.triggerTask('DataflexDatasetProvider:refresh');

    expect(backend.requests.map(r => r.searchParams.get('limit'))).toEqual([
      '200',
      '200',
      '200',
    ]);
    expect(backend.requests.map(r => r.searchParams.get('cursor'))).toEqual([
      null,
      'ds-199',
      'ds-399',
    ]);
    expect(connection.applyMutation).toHaveBeenCalledTimes(1);
    expect(connection.applyMutation).toHaveBeenCalledWith({
      type: 'full',
      entities: expect.arrayContaining([
        {
          locationKey: 'DataflexDatasetProvider',
          entity: expect.objectContaining({
            kind: 'Dataset',
            metadata: expect.objectContaining({
              name: 'ds-000',
              annotations: {
                'backstage.io/managed-by-location': `dataflex:${externalBaseUrl}/datasets/default/ds-000`,
                'backstage.io/managed-by-origin-location': `dataflex:${externalBaseUrl}/datasets/default/ds-000`,
              },
            }),
          }),
        },
      ]),
    });
    const names = publishedNames(0);
    expect(names).toHaveLength(450);
    expect(new Set(names).size).toBe(450);
  });

  it('drops deleted datasets on the next refresh and publishes an empty set', async () => {
    backend.datasets = [dataset('a'), dataset('b')];
    const { provider, connection, publishedNames } = await setUp();

    await provider.refresh();
    backend.datasets = [dataset('b')];
    await provider.refresh();
    backend.datasets = [];
    await provider.refresh();

    expect(publishedNames(0)).toEqual(['a', 'b']);
    expect(publishedNames(1)).toEqual(['b']);
    expect(connection.applyMutation).toHaveBeenLastCalledWith({
      type: 'full',
      entities: [],
    });
  });

  it('leaves the catalog alone when a page cannot be read', async () => {
    backend.datasets = Array.from({ length: 250 }, (_, i) =>
      dataset(`ds-${String(i).padStart(3, '0')}`),
    );
    backend.failOnRequest = 2;
    const { provider, scheduler, connection, logger } = await setUp();

    await expect(provider.refresh()).rejects.toThrow(
      'Request failed with 500 Internal Server Error',
    );
    expect(connection.applyMutation).not.toHaveBeenCalled();

    backend.requests = [];
    await scheduler.triggerTask('DataflexDatasetProvider:refresh');
    expect(connection.applyMutation).not.toHaveBeenCalled();
    expect(logger.child).toHaveBeenCalledWith({
      target: 'DataflexDatasetProvider',
    });
    expect(logger.child.mock.results[0].value.error).toHaveBeenCalledWith(
      'Could not refresh DataFlex datasets (schedule); the catalog keeps the previous ones',
      expect.objectContaining({ message: expect.stringContaining('500') }),
    );
  });

  it('refreshes shortly after a dataset event, once for a burst of events', async () => {
    backend.datasets = [dataset('orders')];
    const { events, connection, publishedNames } = await setUp();

    await publish(events, 'e1', 'dataflex.dataset.created');
    await publish(events, 'e2', 'dataflex.dataset.version-published');
    await publish(events, 'e3', 'dataflex.dataset.visibility-changed');
    expect(connection.applyMutation).not.toHaveBeenCalled();
    await settle();

    expect(connection.applyMutation).toHaveBeenCalledTimes(1);
    expect(publishedNames(0)).toEqual(['orders']);

    backend.datasets = [];
    await publish(events, 'e4', 'dataflex.dataset.deleted');
    await settle();
    expect(connection.applyMutation).toHaveBeenCalledTimes(2);
    expect(publishedNames(1)).toEqual([]);
  });

  it('ignores a redelivered event and topics it does not follow', async () => {
    const { events, connection } = await setUp();

    await publish(events, 'same-id');
    await settle();
    expect(connection.applyMutation).toHaveBeenCalledTimes(1);

    await publish(events, 'same-id');
    await publish(events, 'other-id', 'dataflex.access.requested');
    await settle();
    expect(connection.applyMutation).toHaveBeenCalledTimes(1);

    await publish(events, 'new-id', 'dataflex.dataset.updated');
    await settle();
    expect(connection.applyMutation).toHaveBeenCalledTimes(2);
  });

  it('never runs two refreshes at once', async () => {
    backend.datasets = [dataset('a')];
    backend.delayMs = 50;
    const { provider, connection } = await setUp();

    await Promise.all([
      provider.refresh(),
      provider.refresh(),
      provider.refresh(),
    ]);

    expect(backend.maxInFlight).toBe(1);
    expect(connection.applyMutation).toHaveBeenCalledTimes(3);
  });

  it('stops refreshing for events once the backend shuts down', async () => {
    const { events, connection, lifecycle } = await setUp();

    await publish(events, 'before-shutdown');
    const [[shutdown]] = lifecycle.addShutdownHook.mock.calls as unknown as [
      [() => void],
    ];
    shutdown();
    await settle();
    await publish(events, 'after-shutdown');
    await settle();

    expect(connection.applyMutation).not.toHaveBeenCalled();
  });

  it('runs on the configured schedule, or every 30 minutes after a 15 second delay', async () => {
    const scheduled = async (config: object) => {
      const scheduler = mockServices.scheduler.mock({
        createScheduledTaskRunner: jest.fn(() => ({ run: jest.fn() })),
      });
      DataflexDatasetProvider.fromConfig(
        mockServices.rootConfig({ data: config }),
        {
          auth: mockServices.auth(),
          discovery: mockServices.discovery(),
          logger: mockServices.logger.mock(),
          scheduler,
          events: mockServices.events(),
          lifecycle: mockServices.lifecycle.mock(),
        },
      );
      return scheduler.createScheduledTaskRunner.mock.calls[0][0];
    };

    expect(await scheduled({})).toEqual({
      frequency: { minutes: 30 },
      timeout: { minutes: 3 },
      initialDelay: { seconds: 15 },
    });
    expect(
      await scheduled({
        catalog: {
          providers: {
            dataflex: {
              schedule: { frequency: { minutes: 5 }, timeout: 'PT1M' },
            },
          },
        },
      }),
    ).toEqual({
      frequency: { minutes: 5 },
      timeout: expect.objectContaining({ minutes: 1 }),
    });
  });

  it('refuses to refresh before the catalog connects it', async () => {
    const provider = DataflexDatasetProvider.fromConfig(
      mockServices.rootConfig(),
      {
        auth: mockServices.auth(),
        discovery: mockServices.discovery(),
        logger: mockServices.logger.mock(),
        scheduler: mockServices.scheduler(),
        events: mockServices.events(),
        lifecycle: mockServices.lifecycle.mock(),
      },
    );

    await expect(provider.refresh()).rejects.toThrow(
      'DataflexDatasetProvider is not connected yet',
    );
  });
});
