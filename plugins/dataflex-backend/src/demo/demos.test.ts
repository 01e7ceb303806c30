import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import request from 'supertest';
import {
  OWNER,
  startDataflexTestBackend,
  VIEWER,
} from '../__testUtils__/startDataflexTestBackend';
import { waitForPublishedEvents } from '../__testUtils__/waitForPublishedEvents';

jest.setTimeout(60_000);

const as = (user: string) => mockCredentials.user.header(user);

const customers: Entity = {
  apiVersion: 'dataflex.io/v1alpha1',
  kind: 'Dataset',
  metadata: { name: 'customers', namespace: 'default' },
  spec: {
    owner: 'data-platform',
    lifecycle: 'production',
    visibility: 'private',
    masking: ['email', 'full_name'],
  },
};

function service(name: string, annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'service', lifecycle: 'production', owner: 'data-platform' },
    relations: [{ type: 'ownedBy', targetRef: 'group:default/data-platform' }],
  };
}

const cleaning = {
  'dataflex.io/demo-input': 'dataset:default/customers',
  'dataflex.io/demo-pipeline': [
    '- trim: [country]',
    '- lowercase: [country]',
    '- dedupe: [customer_id]',
    '- cast: { lifetime_value: number }',
  ].join('\n'),
};

const entities = [
  customers,
  service('cleaner', { 'dataflex.io/public': 'true', ...cleaning }),
  service('greedy', {
    'dataflex.io/public': 'true',
    ...cleaning,
    'dataflex.io/demo-sample-rows': '1000000',
  }),
  service('internal-only', { 'dataflex.io/public': 'false', ...cleaning }),
  service('no-data', {
    'dataflex.io/public': 'true',
    'dataflex.io/demo-input': 'dataset:default/empty',
    'dataflex.io/demo-pipeline': '- limit: 1',
  }),
];

// 40 customers whose e-mails and names must never leave DataFlex.
const csv = [
  'customer_id,full_name,email,country,lifetime_value',
  ...Array.from(
    { length: 40 },
    (_, i) =>
      `C${100 + i},Secret Person ${i},secret${i}@corp.example, DE ,${i * 10}.5`,
  ),
  '',
].join('\n');

describe('demo runs', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dataflex-demo-'));
  });

  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  async function start(demos: Record<string, unknown> = {}) {
    const backend = await startDataflexTestBackend({
      blobDirectory: dir,
      entities,
      dataflexConfig: {
        demos: { defaultSampleRows: 10, maxSampleRows: 15, ...demos },
      },
    });
    const upload = await request(backend.server)
      .post('/api/dataflex/datasets/default/customers/versions')
      .set('Authorization', as(OWNER))
      .attach('file', Buffer.from(csv), 'customers.csv');
    expect(upload.status).toBe(201);
    return backend;
  }

  it('lets a viewer without access to the dataset run a public demo on a masked, capped sample', async () => {
    const { server, auditEvents, publishedEvents } = await start();

    // The viewer cannot read the private dataset itself.
    const preview = await request(server)
      .get('/api/dataflex/datasets/default/customers/versions/latest/preview')
      .set('Authorization', as(VIEWER));
    expect(preview.status).toBe(404);

    const res = await request(server)
      .post('/api/dataflex/demos/default/cleaner/runs')
      .set('Authorization', as(VIEWER));

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      service: 'component:default/cleaner',
      runner: 'pipeline',
      input: { dataset: 'dataset:default/customers', version: 1 },
    });
    expect(res.body.input.rows).toHaveLength(10);
    expect(res.body.output.rows).toHaveLength(10);
    expect(res.body.output.rows[0]).toEqual({
      customer_id: 'C100',
      full_name: '***',
      email: '***',
      country: 'de',
      lifetime_value: 0.5,
    });
    expect(JSON.stringify(res.body)).not.toMatch(
      /secret\d|Secret Person|corp\.example/,
    );
    expect(auditEvents).toContainEqual(
      expect.objectContaining({ eventId: 'demo-run', status: 'succeeded' }),
    );
    // The upload's event, then the run's.
    await waitForPublishedEvents(publishedEvents, 2);
    const event = publishedEvents.find(e => e.topic === 'dataflex.demo.run');
    expect(event?.eventPayload).toMatchObject({
      type: 'dataflex.demo.run',
      actor: VIEWER,
      subject: 'component:default/cleaner',
      data: {
        runner: 'pipeline',
        outcome: 'succeeded',
        rowsIn: 10,
        rowsOut: 10,
        input: { dataset: 'dataset:default/customers', version: 1 },
      },
    });
    expect(JSON.stringify(publishedEvents)).not.toMatch(
      /secret\d|Secret Person/,
    );
  });

  it('never samples more rows than the configured cap, whatever the service or the caller asks', async () => {
    const { server } = await start();
    const res = await request(server)
      .post(
        '/api/dataflex/demos/default/greedy/runs?limit=1000&rows=1000&sampleRows=1000',
      )
      .set('Authorization', as(VIEWER))
      .send({
        sampleRows: 1000,
        limit: 1000,
        dataset: 'dataset:default/customers',
      });
    // Unknown parameters are refused by the validating router, never honoured.
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).not.toMatch(/secret\d/);
    const plain = await request(server)
      .post('/api/dataflex/demos/default/greedy/runs')
      .set('Authorization', as(VIEWER));
    expect(plain.body.input.rows).toHaveLength(15);
  });

  it('keeps non-public demos to the service owners', async () => {
    const { server } = await start();
    const refused = await request(server)
      .post('/api/dataflex/demos/default/internal-only/runs')
      .set('Authorization', as(VIEWER));
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toBe(
      'The demo of component:default/internal-only is not public; only its owners may run it',
    );
    const allowed = await request(server)
      .post('/api/dataflex/demos/default/internal-only/runs')
      .set('Authorization', as(OWNER));
    expect(allowed.status).toBe(200);
  });

  it('answers clearly when there is nothing to run', async () => {
    const { server } = await start();
    const noData = await request(server)
      .post('/api/dataflex/demos/default/no-data/runs')
      .set('Authorization', as(VIEWER));
    expect(noData.status).toBe(404);
    expect(noData.body.error.message).toBe(
      "The demo's input dataset dataset:default/empty has no data uploaded yet",
    );
    const unknown = await request(server)
      .post('/api/dataflex/demos/default/nope/runs')
      .set('Authorization', as(VIEWER));
    expect(unknown.status).toBe(404);
    const anonymous = await request(server)
      .post('/api/dataflex/demos/default/cleaner/runs')
      .set('Authorization', mockCredentials.none.header());
    expect(anonymous.status).toBe(401);
  });

  it('rate-limits each user and counts runs for the owners', async () => {
    const { server } = await start({ runsPerUserPerMinute: 2 });
    const run = (user: string) =>
      request(server)
        .post('/api/dataflex/demos/default/cleaner/runs')
        .set('Authorization', as(user));

    expect((await run(VIEWER)).status).toBe(200);
    expect((await run(VIEWER)).status).toBe(200);
    const limited = await run(VIEWER);
    expect(limited.status).toBe(429);
    expect(limited.body.error.message).toMatch(
      /You ran 2 demos in the last minute; try again in \d+ s/,
    );
    // Another user still has room.
    expect((await run(OWNER)).status).toBe(200);
    await request(server)
      .post('/api/dataflex/demos/default/no-data/runs')
      .set('Authorization', as(OWNER));

    const stats = await request(server)
      .get('/api/dataflex/demos/default/cleaner/stats')
      .set('Authorization', as(OWNER));
    expect(stats.status).toBe(200);
    expect(stats.body).toEqual({
      runs: 3,
      succeeded: 3,
      failed: 0,
      lastRunAt: expect.any(String),
    });
    const failed = await request(server)
      .get('/api/dataflex/demos/default/no-data/stats')
      .set('Authorization', as(OWNER));
    expect(failed.body).toMatchObject({ runs: 1, succeeded: 0, failed: 1 });
  });
});
