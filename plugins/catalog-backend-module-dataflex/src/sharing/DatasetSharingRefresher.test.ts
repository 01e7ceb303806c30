import { mockServices } from '@backstage/backend-test-utils';
import { CatalogServiceRequestOptions } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { DefaultEventsService } from '@backstage/plugin-events-node';
import {
  recordingLogger,
  stoppableLifecycle,
} from '../__testUtils__/dataflexStandIn';
import { LatestVersionDirectory } from '../versions/LatestVersionDirectory';
import { DatasetSharingRefresher } from './DatasetSharingRefresher';
import { CatalogGranteesPage, GranteeDirectory } from './GranteeDirectory';

const CACHE_TTL_MS = 100;

const envelope = (
  topic: string,
  eventId: string,
  subject: string,
  data: object = {},
) => ({
  topic,
  eventPayload: {
    eventId,
    version: 1,
    type: topic,
    occurredAt: new Date().toISOString(),
    actor: 'user:default/anil',
    subject,
    data,
  },
});

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

describe('DatasetSharingRefresher', () => {
  const { lifecycle, shutDown } = stoppableLifecycle();
  afterEach(shutDown);

  async function setUp(options: { refreshFails?: boolean } = {}) {
    const warnings: string[] = [];
    const logger = recordingLogger(warnings);
    let page: CatalogGranteesPage = { items: [] };
    const reads: number[] = [];
    const grantees = GranteeDirectory.create({
      reader: {
        async listCatalogGrantees() {
          reads.push(Date.now());
          return page;
        },
      },
      auth: mockServices.auth({ pluginId: 'catalog' }),
      logger,
      lifecycle,
      cacheTtlMs: CACHE_TTL_MS,
    });
    let latestVersionsUp = true;
    const latestVersions = LatestVersionDirectory.create({
      reader: {
        async listCatalogLatestVersions(refs) {
          if (!latestVersionsUp) {
            throw new Error('DataFlex is down');
          }
          return {
            items: refs.map(entityRef => ({
              entityRef,
              version: 1,
              createdAt: new Date().toISOString(),
            })),
          };
        },
      },
      auth: mockServices.auth({ pluginId: 'catalog' }),
      logger,
      lifecycle,
      retryMs: 100,
    });
    const refreshed: Array<{ ref: string; at: number; principal: unknown }> =
      [];
    const catalog = catalogServiceMock.mock({
      refreshEntity: async (ref, requestOptions) => {
        const { credentials } = requestOptions as CatalogServiceRequestOptions;
        refreshed.push({
          ref,
          at: Date.now(),
          principal: credentials.principal,
        });
        if (options.refreshFails) {
          throw new Error('catalog says no');
        }
      },
    });
    const events = DefaultEventsService.create({ logger });
    await DatasetSharingRefresher.create({
      events,
      catalog,
      auth: mockServices.auth({ pluginId: 'catalog' }),
      logger,
      lifecycle,
      grantees,
      latestVersions,
    }).start();
    return {
      events,
      grantees,
      latestVersions,
      setLatestVersionsUp: (up: boolean) => {
        latestVersionsUp = up;
      },
      refreshed,
      reads,
      warnings,
      setPage: (p: CatalogGranteesPage) => {
        page = p;
      },
    };
  }

  it('forgets cached grants and refreshes the dataset at once and again once caches expired, with the catalog service credentials', async () => {
    const { events, grantees, refreshed, setPage } = await setUp();
    // Cached before the grant, with a long way to go.
    expect(await grantees.granteesOf('dataset:default/salaries')).toEqual([]);
    setPage({
      items: [
        {
          entityRef: 'dataset:default/salaries',
          grantees: ['user:default/student'],
        },
      ],
    });

    const publishedAt = Date.now();
    await events.publish(
      envelope('dataflex.access.approved', 'e1', 'dataset:default/salaries'),
    );
    expect(await grantees.granteesOf('dataset:default/salaries')).toEqual([
      'user:default/student',
    ]);

    await sleep(CACHE_TTL_MS + 1000 + 300);
    expect(refreshed.map(r => r.ref)).toEqual([
      'dataset:default/salaries',
      'dataset:default/salaries',
    ]);
    expect(refreshed[0].at - publishedAt).toBeLessThan(200);
    expect(refreshed[1].at - publishedAt).toBeGreaterThanOrEqual(
      CACHE_TTL_MS + 1000,
    );
    expect(refreshed[0].principal).toMatchObject({
      type: 'service',
      subject: 'plugin:catalog',
    });
  });

  it('handles revocations and expiries, and a redelivered event once', async () => {
    const { events, refreshed } = await setUp();

    await events.publish(
      envelope('dataflex.access.revoked', 'e2', 'dataset:sales/orders'),
    );
    await events.publish(
      envelope('dataflex.access.revoked', 'e2', 'dataset:sales/orders'),
    );
    await events.publish(
      envelope('dataflex.access.expired', 'e3', 'dataset:default/salaries'),
    );
    await sleep(50);
    expect(refreshed.map(r => r.ref)).toEqual([
      'dataset:sales/orders',
      'dataset:default/salaries',
    ]);
  });

  it('refreshes the dataset again when a grant with an end date ends', async () => {
    const { events, refreshed } = await setUp();
    const endsAt = Date.now() + 300;

    await events.publish(
      envelope('dataflex.access.approved', 'e7', 'dataset:default/salaries', {
        grant: { id: 'g1', endsAt: new Date(endsAt).toISOString() },
      }),
    );
    // Ends already, or cannot be read: nothing to wait for.
    await events.publish(
      envelope('dataflex.access.approved', 'e8', 'dataset:default/other', {
        grant: { id: 'g2', endsAt: new Date(Date.now() - 1000).toISOString() },
      }),
    );
    await events.publish(
      envelope('dataflex.access.approved', 'e9', 'dataset:default/other', {
        grant: { id: 'g3', endsAt: 'soon' },
      }),
    );
    await sleep(300 + 1000 + CACHE_TTL_MS + 1000 + 300);

    const salaries = refreshed.filter(
      r => r.ref === 'dataset:default/salaries',
    );
    // At once, once caches expired, at the end, and once caches expired again.
    expect(salaries).toHaveLength(4);
    const atEnd = salaries.filter(r => r.at >= endsAt + 1000);
    expect(atEnd).toHaveLength(2);
    expect(atEnd[0].at - endsAt).toBeLessThan(1000 + 200);
    expect(
      refreshed.filter(r => r.ref === 'dataset:default/other'),
    ).toHaveLength(4);
  });

  it('refreshes a dataset once when it gets a new version, without forgetting cached grants', async () => {
    const { events, grantees, refreshed, reads } = await setUp();
    await grantees.granteesOf('dataset:default/salaries');
    const publishedAt = Date.now();

    await events.publish(
      envelope(
        'dataflex.dataset.version-published',
        'v1',
        'dataset:default/salaries',
        { version: { version: 2 } },
      ),
    );
    await events.publish(
      envelope(
        'dataflex.dataset.version-published',
        'v1',
        'dataset:default/salaries',
      ),
    );
    await sleep(CACHE_TTL_MS + 1000 + 300);

    expect(refreshed.map(r => r.ref)).toEqual(['dataset:default/salaries']);
    expect(refreshed[0].at - publishedAt).toBeLessThan(200);
    expect(refreshed[0].principal).toMatchObject({
      type: 'service',
      subject: 'plugin:catalog',
    });
    expect(reads).toHaveLength(1);
  });

  it('refreshes the datasets whose latest version could not be read once DataFlex answers again', async () => {
    const { latestVersions, setLatestVersionsUp, refreshed } = await setUp();
    setLatestVersionsUp(false);
    expect(await latestVersions.latestOf('dataset:default/orders')).toBe(
      'unknown',
    );
    expect(refreshed).toEqual([]);

    setLatestVersionsUp(true);
    await sleep(300);
    expect(refreshed.map(r => r.ref)).toEqual(['dataset:default/orders']);
  });

  it('ignores other topics and subjects that are not datasets', async () => {
    const { events, refreshed, warnings } = await setUp();

    await events.publish(
      envelope('dataflex.access.requested', 'e4', 'dataset:default/salaries'),
    );
    await events.publish(
      envelope('dataflex.access.approved', 'e5', 'component:default/svc'),
    );
    await events.publish({
      topic: 'dataflex.access.approved',
      eventPayload: 'not an envelope',
    });
    await sleep(50);
    expect(refreshed).toEqual([]);
    expect(warnings).toEqual([
      'Ignoring a dataflex.access.approved event whose subject is not a dataset ref',
      'Ignoring a dataflex.access.approved event whose subject is not a dataset ref',
    ]);
  });

  it('logs, rather than throws, when the catalog cannot refresh', async () => {
    const { events, refreshed, warnings } = await setUp({
      refreshFails: true,
    });

    await expect(
      events.publish(
        envelope('dataflex.access.approved', 'e6', 'dataset:default/gone'),
      ),
    ).resolves.toBeUndefined();
    await sleep(50);
    expect(refreshed).toHaveLength(1);
    expect(warnings[0]).toContain(
      'Could not refresh dataset:default/gone after dataflex.access.approved',
    );
  });
});
