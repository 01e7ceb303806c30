import { DiscoveryService } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { DatasetSharingKeys } from '@dataflex/backstage-plugin-dataflex-node';
import {
  DataflexStandIn,
  recordingLogger,
  stoppableLifecycle,
} from '../__testUtils__/dataflexStandIn';
import { GranteeDirectory } from '../sharing/GranteeDirectory';
import { HttpCatalogGranteesReader } from '../sharing/HttpCatalogGranteesReader';
import { DatasetSharingProcessor } from './DatasetSharingProcessor';

const location = { type: 'url', target: 'https://example.com/catalog.yaml' };

const dataset = (name: string, visibility?: string): Entity => ({
  apiVersion: 'dataflex.io/v1alpha1',
  kind: 'Dataset',
  metadata: { name, namespace: 'default' },
  spec: { owner: 'data-platform', lifecycle: 'production', visibility },
});

type Page = { items: unknown[]; nextCursor?: string };

const sharingKeys = DatasetSharingKeys.fromConfig(
  mockServices.rootConfig({
    data: {
      dataflex: {
        sharing: { secret: 'a-processor-test-secret-of-32-chars-or-more' },
      },
    },
  }),
);
const keyOf = (grantee: string) => sharingKeys.granteeKeyOf(grantee);

describe('DatasetSharingProcessor', () => {
  // What the stand-in for GET /catalog/grantees answers, by cursor.
  let pages: Record<string, Page> = { '': { items: [] } };
  let server: DataflexStandIn;
  const { lifecycle, shutDown } = stoppableLifecycle();

  beforeAll(async () => {
    server = await DataflexStandIn.start(
      query => pages[query.get('cursor') ?? ''],
    );
  });

  afterAll(async () => {
    await server.stop();
  });

  afterEach(() => {
    shutDown();
    server.reset();
    pages = { '': { items: [] } };
  });

  function create(
    options: {
      cacheTtlMs?: number;
      retryMs?: number;
      discovery?: DiscoveryService;
    } = {},
  ) {
    const warnings: string[] = [];
    const grantees = GranteeDirectory.create({
      reader: HttpCatalogGranteesReader.create({
        discovery: options.discovery ?? server.discovery,
      }),
      auth: mockServices.auth({ pluginId: 'catalog' }),
      logger: recordingLogger(warnings),
      lifecycle,
      cacheTtlMs: options.cacheTtlMs,
      retryMs: options.retryMs,
    });
    const processor = DatasetSharingProcessor.create({
      grantees,
      sharingKeys,
    });
    const relationsOf = async (entity: Entity) => {
      const emit = jest.fn();
      await processor.postProcessEntity(entity, location, emit);
      return emit.mock.calls.map(([result]) => result);
    };
    return { grantees, relationsOf, warnings };
  }

  it('relates a private dataset to the key of each grant holder, read page by page with a service token', async () => {
    pages = {
      '': {
        items: [
          {
            entityRef: 'dataset:default/salaries',
            grantees: ['user:default/student', 'group:default/auditors'],
          },
        ],
        nextCursor: 'page-2',
      },
      'page-2': {
        items: [
          { entityRef: 'dataset:default/other', grantees: ['user:default/x'] },
        ],
      },
    };
    const { relationsOf } = create();

    const self = { kind: 'Dataset', namespace: 'default', name: 'salaries' };
    expect(await relationsOf(dataset('salaries', 'private'))).toEqual([
      {
        type: 'relation',
        relation: {
          source: self,
          type: 'sharedWith',
          target: keyOf('user:default/student'),
        },
      },
      {
        type: 'relation',
        relation: {
          source: self,
          type: 'sharedWith',
          target: keyOf('group:default/auditors'),
        },
      },
    ]);
    // The relations name no grantee.
    expect(
      JSON.stringify(await relationsOf(dataset('salaries', 'private'))),
    ).not.toMatch(/student|auditors/);
    // No spec.visibility means private.
    expect(await relationsOf(dataset('other'))).toHaveLength(1);

    expect(server.requests).toHaveLength(2);
    expect(server.requests[0].url).toBe(
      '/api/dataflex/catalog/grantees?limit=200',
    );
    expect(server.requests[1].url).toBe(
      '/api/dataflex/catalog/grantees?limit=200&cursor=page-2',
    );
    const token = server.requests[0].authorization;
    expect(token).toMatch(/^Bearer /);
    expect(JSON.stringify(token)).toContain('dataflex');
  });

  it('relates nothing for public and open datasets, datasets without grants and other kinds', async () => {
    pages[''] = {
      items: ['public', 'open', 'private'].map(name => ({
        entityRef: `dataset:default/${name}`,
        grantees: ['user:default/student'],
      })),
    };
    const { relationsOf } = create();

    expect(await relationsOf(dataset('public', 'public'))).toEqual([]);
    expect(await relationsOf(dataset('open', 'open'))).toEqual([]);
    expect(await relationsOf(dataset('unshared', 'private'))).toEqual([]);
    expect(
      await relationsOf({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'private' },
        spec: { type: 'service', owner: 'x', lifecycle: 'y' },
      }),
    ).toEqual([]);
    expect(await relationsOf(dataset('private', 'private'))).toHaveLength(1);
  });

  it('reads the grants once per cache lifetime, and again at once after invalidate', async () => {
    pages[''] = {
      items: [
        { entityRef: 'dataset:default/a', grantees: ['user:default/student'] },
      ],
    };
    const { grantees, relationsOf } = create({ cacheTtlMs: 60_000 });

    await Promise.all(
      ['a', 'b', 'c', 'a'].map(name => relationsOf(dataset(name, 'private'))),
    );
    expect(server.requests).toHaveLength(1);

    pages[''] = { items: [] };
    expect(await relationsOf(dataset('a', 'private'))).toHaveLength(1);
    grantees.invalidate();
    expect(await relationsOf(dataset('a', 'private'))).toEqual([]);
    expect(server.requests).toHaveLength(2);
  });

  it('skips grantees that are not user or group refs, and says so', async () => {
    pages[''] = {
      items: [
        {
          entityRef: 'dataset:default/a',
          grantees: ['component:default/svc', 'not a ref:', 'group:default/g'],
        },
      ],
    };
    const { relationsOf, warnings } = create();

    const relations = await relationsOf(dataset('a', 'private'));
    expect(relations.map(r => r.relation.target)).toEqual([
      keyOf('group:default/g'),
    ]);
    expect(warnings).toEqual([
      expect.stringContaining(`Ignoring grantee 'component:default/svc'`),
      expect.stringContaining(`Ignoring grantee 'not a ref:'`),
    ]);
  });

  it('relates nothing when DataFlex refuses or is unreachable, and hands back the shared datasets once it answers again', async () => {
    server.status = 503;
    const { grantees, relationsOf, warnings } = create({
      cacheTtlMs: 0,
      retryMs: 50,
    });
    const recovered = new Promise<string[]>(resolve =>
      grantees.onRecovered(resolve),
    );

    expect(await relationsOf(dataset('a', 'private'))).toEqual([]);
    expect(await relationsOf(dataset('b', 'private'))).toEqual([]);
    expect(warnings[0]).toContain(
      'Could not read dataset grants from DataFlex; private datasets stay hidden from grant holders until it answers',
    );

    // Back, with a grant on one of the two datasets it could not answer for.
    server.status = 200;
    pages[''] = {
      items: [
        { entityRef: 'dataset:default/b', grantees: ['user:default/student'] },
      ],
    };
    await expect(recovered).resolves.toEqual(['dataset:default/b']);

    const unreachable = create({
      discovery: {
        // Nothing listens on port 9 (discard) on loopback here.
        getBaseUrl: async () => 'http://127.0.0.1:9/api/dataflex',
        getExternalBaseUrl: async () => 'http://127.0.0.1:9/api/dataflex',
      },
    });
    expect(await unreachable.relationsOf(dataset('b', 'private'))).toEqual([]);
    expect(unreachable.warnings).toHaveLength(1);
  });
});
