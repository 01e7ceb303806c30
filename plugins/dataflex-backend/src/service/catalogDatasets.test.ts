import { mockCredentials } from '@backstage/backend-test-utils';
import { DataflexEventPayload } from '@dataflex/backstage-plugin-dataflex-common';
import request from 'supertest';
import {
  ADMIN,
  asCatalogService,
  asUser,
  DATA_PLATFORM,
  MARKETING,
  OWNER,
  VIEWER,
} from '../__testUtils__/startDataflexTestBackend';
import { useCatalogServiceTestBackend } from '../__testUtils__/useCatalogServiceTestBackend';
import { waitForPublishedEvents } from '../__testUtils__/waitForPublishedEvents';

jest.setTimeout(60_000);

const ordersCsv = [
  'order_id,customer_email,amount',
  '1,ada@example.com,12.50',
  '2,grace@example.com,7',
  '',
].join('\n');

describe('datasets for the catalog and dataset events', () => {
  const start = useCatalogServiceTestBackend();

  describe('GET /catalog/datasets', () => {
    it('lists every dataset created through DataFlex, private ones included, with its latest schema', async () => {
      const { server, createDataset, uploadVersion } = await start();
      await createDataset(OWNER, {
        name: 'orders',
        title: 'Orders',
        description: 'One row per order',
        owner: DATA_PLATFORM,
        tags: ['sales'],
        visibility: 'private',
      });
      await createDataset(VIEWER, { name: 'campaigns', owner: MARKETING });
      await uploadVersion(OWNER, 'orders', 'id\n1\n');
      await uploadVersion(OWNER, 'orders', ordersCsv);
      // Uploading to the registered Dataset imports it; the catalog already
      // has it from YAML, so it must not be offered again.
      await uploadVersion(OWNER, 'customers', 'id\n1\n');

      const res = await request(server)
        .get('/api/dataflex/catalog/datasets')
        .set('Authorization', asCatalogService());

      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        items: [
          {
            ref: 'dataset:default/campaigns',
            namespace: 'default',
            name: 'campaigns',
            owner: MARKETING,
            visibility: 'private',
            tags: [],
            updatedAt: expect.any(String),
          },
          {
            ref: 'dataset:default/orders',
            namespace: 'default',
            name: 'orders',
            title: 'Orders',
            description: 'One row per order',
            owner: DATA_PLATFORM,
            visibility: 'private',
            tags: ['sales'],
            updatedAt: expect.any(String),
            latestVersion: 2,
            format: 'csv',
            columns: [
              { name: 'order_id', type: 'integer', nullable: false },
              { name: 'customer_email', type: 'string', nullable: false },
              { name: 'amount', type: 'number', nullable: false },
            ],
          },
        ],
      });
      const orders = res.body.items[1];
      const version = await request(server)
        .get('/api/dataflex/datasets/default/orders/versions/latest')
        .set('Authorization', asUser(OWNER));
      expect(orders.updatedAt).toBe(version.body.createdAt);
    });

    it('pages by namespace and name with a cursor', async () => {
      const { server, createDataset } = await start();
      for (const name of ['c', 'a', 'b']) {
        await createDataset(OWNER, { name, owner: DATA_PLATFORM });
      }

      const names: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const res = await request(server)
          .get('/api/dataflex/catalog/datasets')
          .query({ limit: 2, ...(cursor ? { cursor } : {}) })
          .set('Authorization', asCatalogService());
        expect(res.status).toBe(200);
        names.push(...res.body.items.map((i: { name: string }) => i.name));
        cursor = res.body.nextCursor;
        pages++;
      } while (cursor);

      expect(names).toEqual(['a', 'b', 'c']);
      expect(pages).toBe(2);

      const bad = await request(server)
        .get('/api/dataflex/catalog/datasets')
        .query({ cursor: 'not-a-cursor' })
        .set('Authorization', asCatalogService());
      expect(bad.status).toBe(400);
      expect(bad.body.error.message).toBe(
        'Invalid cursor: pass the nextCursor of a previous page unchanged',
      );
    });

    it('refuses anonymous callers and users, admins included', async () => {
      const { server, createDataset } = await start();
      await createDataset(OWNER, {
        name: 'secret',
        owner: DATA_PLATFORM,
        visibility: 'private',
      });

      const anonymous = await request(server)
        .get('/api/dataflex/catalog/datasets')
        .set('Authorization', mockCredentials.none.header());
      expect(anonymous.status).toBe(401);
      const forged = await request(server)
        .get('/api/dataflex/catalog/datasets')
        .set('Authorization', mockCredentials.service.invalidHeader());
      expect(forged.status).toBe(401);
      for (const user of [ADMIN, OWNER, VIEWER]) {
        const res = await request(server)
          .get('/api/dataflex/catalog/datasets')
          .set('Authorization', asUser(user));
        expect(res.status).toBe(403);
        expect(JSON.stringify(res.body)).not.toContain('secret');
      }
    });
  });

  describe('events', () => {
    it('publishes each committed change with the DataFlex envelope and metadata only', async () => {
      const { server, publishedEvents, createDataset, uploadVersion } =
        await start();

      await createDataset(OWNER, {
        name: 'orders',
        title: 'Orders',
        owner: DATA_PLATFORM,
        visibility: 'private',
      });
      await uploadVersion(OWNER, 'orders', ordersCsv);
      const patched = await request(server)
        .patch('/api/dataflex/datasets/default/orders')
        .set('Authorization', asUser(OWNER))
        .send({ title: 'All orders', visibility: 'public', tags: [] });
      expect(patched.status).toBe(200);
      const deleted = await request(server)
        .delete('/api/dataflex/datasets/default/orders')
        .set('Authorization', asUser(OWNER));
      expect(deleted.status).toBe(204);
      await waitForPublishedEvents(publishedEvents, 5);

      const dataset = {
        namespace: 'default',
        name: 'orders',
        owner: DATA_PLATFORM,
        source: 'api',
      };
      const envelope = {
        eventId: expect.stringMatching(
          /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
        ),
        version: 1,
        occurredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        actor: OWNER,
        subject: 'dataset:default/orders',
      };
      expect(publishedEvents.map(e => e.topic)).toEqual([
        'dataflex.dataset.created',
        'dataflex.dataset.version-published',
        'dataflex.dataset.visibility-changed',
        'dataflex.dataset.updated',
        'dataflex.dataset.deleted',
      ]);
      const payloads = publishedEvents.map(
        e => e.eventPayload as DataflexEventPayload,
      );
      expect(payloads).toEqual([
        {
          ...envelope,
          type: 'dataflex.dataset.created',
          data: { dataset: { ...dataset, visibility: 'private' } },
        },
        {
          ...envelope,
          type: 'dataflex.dataset.version-published',
          data: {
            dataset: { ...dataset, visibility: 'private' },
            version: {
              version: 1,
              format: 'csv',
              size: Buffer.byteLength(ordersCsv),
              rowCount: 2,
              columns: [
                { name: 'order_id', type: 'integer' },
                { name: 'customer_email', type: 'string' },
                { name: 'amount', type: 'number' },
              ],
            },
          },
        },
        {
          ...envelope,
          type: 'dataflex.dataset.visibility-changed',
          data: {
            dataset: { ...dataset, visibility: 'public' },
            from: 'private',
            to: 'public',
          },
        },
        {
          ...envelope,
          type: 'dataflex.dataset.updated',
          data: {
            dataset: { ...dataset, visibility: 'public' },
            changed: ['title'],
          },
        },
        {
          ...envelope,
          type: 'dataflex.dataset.deleted',
          data: { dataset: { ...dataset, visibility: 'public' } },
        },
      ]);
      expect(new Set(payloads.map(p => p.eventId)).size).toBe(5);
      const serialized = JSON.stringify(payloads);
      for (const secret of ['ada@example.com', '12.50', 'Orders']) {
        expect(serialized).not.toContain(secret);
      }
    });

    it('publishes nothing for refused, failed or empty changes', async () => {
      const { server, publishedEvents, createDataset } = await start();
      await createDataset(OWNER, { name: 'orders', owner: DATA_PLATFORM });
      publishedEvents.length = 0;

      const forbidden = await request(server)
        .patch('/api/dataflex/datasets/default/orders')
        .set('Authorization', asUser(VIEWER))
        .send({ title: 'Mine now' });
      const unchanged = await request(server)
        .patch('/api/dataflex/datasets/default/orders')
        .set('Authorization', asUser(OWNER))
        .send({ visibility: 'private', tags: [] });
      const malformed = await request(server)
        .post('/api/dataflex/datasets/default/orders/versions')
        .set('Authorization', asUser(OWNER))
        .attach('file', Buffer.from('a,b\n1\n'), 'orders.csv');
      const hidden = await request(server)
        .delete('/api/dataflex/datasets/default/orders')
        .set('Authorization', asUser(VIEWER));
      const taken = await request(server)
        .post('/api/dataflex/datasets')
        .set('Authorization', asUser(OWNER))
        .send({ name: 'orders', owner: DATA_PLATFORM });

      expect(forbidden.status).toBe(404);
      expect(unchanged.status).toBe(200);
      expect(malformed.status).toBe(422);
      expect(hidden.status).toBe(404);
      expect(taken.status).toBe(409);
      // Events are relayed in commit order, so once a later change's event
      // is out, any the refused changes had written would be too.
      await createDataset(OWNER, { name: 'later', owner: DATA_PLATFORM });
      await waitForPublishedEvents(publishedEvents, 1);
      expect(publishedEvents).toEqual([
        expect.objectContaining({
          topic: 'dataflex.dataset.created',
          eventPayload: expect.objectContaining({
            subject: 'dataset:default/later',
          }),
        }),
      ]);
    });
  });
});
