import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  DataflexStandIn,
  recordingLogger,
  stoppableLifecycle,
} from '../__testUtils__/dataflexStandIn';
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

describe('DatasetLatestVersionProcessor', () => {
  // What the stand-in for GET /catalog/latest-versions knows.
  let versions: Record<string, { version: number; createdAt: string }> = {};
  let server: DataflexStandIn;
  const { lifecycle, shutDown } = stoppableLifecycle();
  const refsAsked = () =>
    server.requests.map(request => request.query.getAll('ref'));

  beforeAll(async () => {
    server = await DataflexStandIn.start(query => ({
      items: query
        .getAll('ref')
        .filter(ref => versions[ref])
        .map(ref => ({ entityRef: ref, ...versions[ref] })),
    }));
  });

  afterAll(async () => {
    await server.stop();
  });

  afterEach(() => {
    shutDown();
    server.reset();
    versions = {};
  });

  function create(options: { retryMs?: number } = {}) {
    const warnings: string[] = [];
    const latestVersions = LatestVersionDirectory.create({
      reader: HttpCatalogLatestVersionsReader.create({
        discovery: server.discovery,
      }),
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
    versions = {
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
    expect(refsAsked()).toEqual([
      ['dataset:default/orders', 'dataset:default/empty'],
    ]);
    expect(server.requests[0].authorization).toMatch(/^Bearer .*dataflex/);
  });

  it('takes the annotations from DataFlex only, never from the entity', async () => {
    versions = {
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
    versions = {
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
      refsAsked()
        .map(refs => refs.length)
        .sort((a, b) => a - b),
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
    versions = {
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
