import http from 'node:http';
import { AddressInfo } from 'node:net';
import { DiscoveryService, LoggerService } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { HttpCatalogLatestVersionsReader } from '../versions/HttpCatalogLatestVersionsReader';
import { LatestVersionDirectory } from '../versions/LatestVersionDirectory';
import { DatasetLatestVersionProcessor } from './DatasetLatestVersionProcessor';

const location = { type: 'url', target: 'https://example.com/catalog.yaml' };

const LATEST = 'dataflex.io/latest-version';
const LATEST_AT = 'dataflex.io/latest-version-at';

const dataset = (
  name: string,
  annotations?: Record<string, string>,
): Entity => ({
  apiVersion: 'dataflex.io/v1alpha1',
  kind: 'Dataset',
  metadata: { name, namespace: 'default', annotations },
  spec: { owner: 'data-platform', lifecycle: 'production' },
});

// A stand-in for the DataFlex backend's GET /catalog/latest-versions, over
// real HTTP, that records what it was asked.
class LatestVersionsServer {
  versions: Record<string, { version: number; createdAt: string }> = {};
  status = 200;
  requests: Array<{ refs: string[]; authorization?: string }> = [];
  private server = http.createServer((req, res) => {
    const refs = new URL(req.url ?? '', 'http://x').searchParams.getAll('ref');
    this.requests.push({ refs, authorization: req.headers.authorization });
    res.writeHead(this.status, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify(
        this.status === 200
          ? {
              items: refs
                .filter(ref => this.versions[ref])
                .map(ref => ({ entityRef: ref, ...this.versions[ref] })),
            }
          : { error: { name: 'Error', message: 'down' } },
      ),
    );
  });

  async start() {
    await new Promise<void>(resolve =>
      this.server.listen(0, '127.0.0.1', resolve),
    );
    return (this.server.address() as AddressInfo).port;
  }

  async stop() {
    await new Promise(resolve => this.server.close(resolve));
  }
}

function recordingLogger(warnings: string[]): LoggerService {
  const logger: LoggerService = {
    child: () => logger,
    debug: () => {},
    info: () => {},
    warn: message => {
      warnings.push(message);
    },
    error: message => {
      warnings.push(message);
    },
  };
  return logger;
}

describe('DatasetLatestVersionProcessor', () => {
  const server = new LatestVersionsServer();
  let discovery: DiscoveryService;
  const shutdownHooks: Array<() => void> = [];
  const lifecycle = mockServices.lifecycle.mock({
    addShutdownHook: hook => {
      shutdownHooks.push(hook as () => void);
    },
  });

  beforeAll(async () => {
    const port = await server.start();
    discovery = {
      getBaseUrl: async () => `http://127.0.0.1:${port}/api/dataflex`,
      getExternalBaseUrl: async () => `http://127.0.0.1:${port}/api/dataflex`,
    };
  });

  afterAll(async () => {
    await server.stop();
  });

  afterEach(() => {
    for (const hook of shutdownHooks.splice(0)) {
      hook();
    }
    server.requests = [];
    server.status = 200;
    server.versions = {};
  });

  function create(options: { retryMs?: number } = {}) {
    const warnings: string[] = [];
    const latestVersions = LatestVersionDirectory.create({
      reader: HttpCatalogLatestVersionsReader.create({ discovery }),
      auth: mockServices.auth({ pluginId: 'catalog' }),
      logger: recordingLogger(warnings),
      lifecycle,
      retryMs: options.retryMs,
    });
    const processor = DatasetLatestVersionProcessor.create({ latestVersions });
    const processed = (entity: Entity) =>
      processor.postProcessEntity(entity, location, jest.fn());
    return { latestVersions, processed, warnings };
  }

  it('puts the newest version and its time on datasets, asking once for those processed together, with a service token', async () => {
    server.versions = {
      'dataset:default/orders': {
        version: 3,
        createdAt: '2026-11-22T20:15:00.123Z',
      },
    };
    const { processed } = create();

    const [orders, empty] = await Promise.all([
      processed(dataset('orders', { 'example.com/kept': 'yes' })),
      processed(dataset('empty')),
    ]);

    expect(orders.metadata.annotations).toEqual({
      'example.com/kept': 'yes',
      [LATEST]: '3',
      [LATEST_AT]: '2026-11-22T20:15:00.123Z',
    });
    expect(empty.metadata.annotations).toEqual({});
    expect(server.requests).toEqual([
      {
        refs: ['dataset:default/orders', 'dataset:default/empty'],
        authorization: expect.stringMatching(/^Bearer .*dataflex/),
      },
    ]);
  });

  it('takes the annotations from DataFlex only, never from the entity', async () => {
    server.versions = {
      'dataset:default/orders': {
        version: 1,
        createdAt: '2026-11-22T20:15:00.000Z',
      },
    };
    const { processed } = create();

    const forged = await processed(
      dataset('orders', {
        [LATEST]: '99',
        [LATEST_AT]: '2999-01-01T00:00:00Z',
      }),
    );
    const unversioned = await processed(
      dataset('empty', { [LATEST]: '99', [LATEST_AT]: '2999-01-01T00:00:00Z' }),
    );

    expect(forged.metadata.annotations).toEqual({
      [LATEST]: '1',
      [LATEST_AT]: '2026-11-22T20:15:00.000Z',
    });
    expect(unversioned.metadata.annotations).toEqual({});
  });

  it('leaves other kinds alone without asking DataFlex', async () => {
    const { processed } = create();
    const service: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'orders' },
      spec: {
        type: 'service',
        owner: 'data-platform',
        lifecycle: 'production',
      },
    };

    expect(await processed(service)).toBe(service);
    expect(server.requests).toEqual([]);
  });

  it('ignores answers that are no version, and asks in chunks of 100', async () => {
    server.versions = {
      'dataset:default/d0': { version: 0, createdAt: '2026-11-22T20:15:00Z' },
      'dataset:default/d1': { version: 2, createdAt: 'yesterday' },
      'dataset:default/d2': { version: 2, createdAt: '2026-11-22T20:15:00Z' },
    };
    const { processed, warnings } = create();

    const results = await Promise.all(
      Array.from({ length: 150 }, (_, i) => processed(dataset(`d${i}`))),
    );

    expect(results.slice(0, 3).map(e => e.metadata.annotations)).toEqual([
      {},
      {},
      { [LATEST]: '2', [LATEST_AT]: '2026-11-22T20:15:00.000Z' },
    ]);
    // Two requests, in flight together.
    expect(
      server.requests.map(r => r.refs.length).sort((a, b) => a - b),
    ).toEqual([50, 100]);
    expect(warnings).toEqual([
      expect.stringContaining('dataset:default/d0'),
      expect.stringContaining('dataset:default/d1'),
    ]);
  });

  it('leaves the annotations off while DataFlex does not answer, and hands over the datasets with versions once it does', async () => {
    server.status = 503;
    const { latestVersions, processed, warnings } = create({ retryMs: 100 });
    const recovered: string[][] = [];
    latestVersions.onRecovered(refs => recovered.push(refs));

    const [orders, empty] = await Promise.all([
      processed(dataset('orders')),
      processed(dataset('empty')),
    ]);

    expect(orders.metadata.annotations).toEqual({});
    expect(empty.metadata.annotations).toEqual({});
    expect(warnings).toEqual([
      expect.stringContaining('Could not read the latest versions'),
    ]);

    server.status = 200;
    server.versions = {
      'dataset:default/orders': {
        version: 1,
        createdAt: '2026-11-22T20:15:00.000Z',
      },
    };
    await new Promise(resolve => setTimeout(resolve, 300));
    expect(recovered).toEqual([['dataset:default/orders']]);
    // Asked once more after the failure, and not again.
    expect(server.requests).toHaveLength(2);
  });
});
