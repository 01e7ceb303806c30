import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { mockCredentials } from '@backstage/backend-test-utils';
import {
  DATAFLEX_EVENT_TOPICS,
  DataflexEventPayload,
} from '@dataflex/backstage-plugin-dataflex-common';
import dataflexModuleKafka from '@dataflex/backstage-plugin-dataflex-backend-module-kafka';
import request from 'supertest';
import {
  DATA_PLATFORM,
  OWNER,
  startDataflexTestBackend,
} from '../__testUtils__/startDataflexTestBackend';
import { waitForPublishedEvents } from '../__testUtils__/waitForPublishedEvents';
import {
  accessTestBackendOptions,
  ANIL,
  CARLOS,
  PRIYA,
  STUDENT,
} from '../access/__testUtils__/accessTestOrganisation';
import { createTestDatabases } from '../database/__testUtils__/testDatabases';
import {
  ConsumedMessage,
  consumeMessages,
  findTestKafkaBroker,
  firstDeliveries,
  TestKafkaBroker,
} from '@dataflex/backstage-plugin-dataflex-backend-module-kafka/testUtils';

jest.setTimeout(120_000);

const broker = findTestKafkaBroker();
const databases = createTestDatabases();
const as = (user: string) => mockCredentials.user.header(user);

const UUID =
  /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

// Content and metadata that must never leave DataFlex in an event.
const SECRETS = [
  'Payroll of the board',
  'Salaries before tax',
  'ceo@corp.example',
  '987654.32',
];
const payrollCsv = [
  'employee,email,salary',
  'Ceo,ceo@corp.example,987654.32',
  'Cto,cto@corp.example,654321.10',
  '',
].join('\n');

(broker ? describe : describe.skip)(
  'DataFlex events on Kafka, through a backend with the Kafka module',
  () => {
    const server = broker as TestKafkaBroker;
    let dir: string;

    beforeEach(async () => {
      dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dataflex-kafka-'));
    });

    afterEach(async () => {
      await fs.rm(dir, { recursive: true, force: true });
    });

    /** Creates a private dataset, uploads two versions and makes it public. */
    async function changeDataset(kafka: Record<string, unknown>) {
      const backend = await startDataflexTestBackend({
        blobDirectory: dir,
        features: [dataflexModuleKafka],
        dataflexConfig: {
          events: {
            kafka: {
              clientId: 'dataflex-test',
              brokers: server.brokers,
              ...kafka,
            },
          },
        },
      });
      await backend.createDataset(OWNER, {
        name: 'payroll',
        title: SECRETS[0],
        description: SECRETS[1],
        owner: DATA_PLATFORM,
        visibility: 'private',
      });
      await backend.uploadVersion(OWNER, 'payroll', payrollCsv);
      await backend.uploadVersion(
        OWNER,
        'payroll',
        `${payrollCsv}Cfo,cfo@corp.example,1\n`,
      );
      const shared = await request(backend.server)
        .patch('/api/dataflex/datasets/default/payroll')
        .set('Authorization', as(OWNER))
        .send({ visibility: 'public', description: 'Still secret' });
      expect(shared.status).toBe(200);
      return backend;
    }

    /** What every message must look like, whatever its topic. */
    function expectMetadataOnly(received: ConsumedMessage[]) {
      for (const message of received) {
        const payload = message.value as DataflexEventPayload;
        expect(message.key).toBe('dataset:default/payroll');
        expect(message.headers).toEqual({
          'content-type': 'application/json',
          'dataflex-event-id': payload.eventId,
          'dataflex-event-type': payload.type,
        });
        expect(payload).toEqual({
          eventId: expect.stringMatching(UUID),
          version: 1,
          type: payload.type,
          occurredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
          actor: OWNER,
          subject: 'dataset:default/payroll',
          data: expect.objectContaining({
            dataset: {
              namespace: 'default',
              name: 'payroll',
              owner: DATA_PLATFORM,
              visibility: expect.stringMatching(/^(private|public)$/),
              source: 'api',
            },
          }),
        });
      }
      const everything = JSON.stringify(received);
      for (const secret of [...SECRETS, 'Still secret', 'cto@corp.example']) {
        expect(everything).not.toContain(secret);
      }
    }

    it('publishes each change to the Kafka topic of its type, under the dataset as key, with metadata only', async () => {
      const topicPrefix = `test-${randomUUID()}.`;
      const backend = await changeDataset({ topicPrefix });

      // At least once: a retried batch may repeat events, never alter them.
      const received = firstDeliveries(
        await consumeMessages(
          server.brokers,
          [
            DATAFLEX_EVENT_TOPICS.datasetCreated,
            DATAFLEX_EVENT_TOPICS.versionPublished,
            DATAFLEX_EVENT_TOPICS.datasetVisibilityChanged,
            DATAFLEX_EVENT_TOPICS.datasetUpdated,
          ].map(topic => `${topicPrefix}${topic}`),
          5,
        ),
      );

      expectMetadataOnly(received);
      for (const message of received) {
        expect(message.topic).toBe(
          `${topicPrefix}${(message.value as DataflexEventPayload).type}`,
        );
      }
      // The same key lands on the same partition number of every topic.
      expect(new Set(received.map(m => m.partition)).size).toBe(1);
      const versions = received
        .map(m => m.value as DataflexEventPayload<any>)
        .filter(p => p.type === 'dataflex.dataset.version-published');
      expect(versions.map(p => p.data.version.version)).toEqual([1, 2]);
      expect(versions[0].data).toEqual({
        dataset: expect.objectContaining({ visibility: 'private' }),
        version: {
          version: 1,
          format: 'csv',
          size: Buffer.byteLength(payrollCsv),
          rowCount: 2,
          columns: [
            { name: 'employee', type: 'string' },
            { name: 'email', type: 'string' },
            { name: 'salary', type: 'number' },
          ],
        },
      });

      // Backstage's events service got the same events, with the same ids.
      const inBackstage = await waitForPublishedEvents(
        backend.publishedEvents,
        5,
      );
      expect(new Set(received.map(m => (m.value as any).eventId))).toEqual(
        new Set(inBackstage.map(e => (e.eventPayload as any).eventId)),
      );
    });

    it("keeps the order of all of a dataset's changes in one topic when `topic` is set", async () => {
      const topic = `test-${randomUUID()}.dataflex.events`;
      await changeDataset({ topic });

      const received = firstDeliveries(
        await consumeMessages(server.brokers, [topic], 5),
      );

      expectMetadataOnly(received);
      const payloads = received.map(m => m.value as DataflexEventPayload<any>);
      expect(payloads.map(p => p.type)).toEqual([
        'dataflex.dataset.created',
        'dataflex.dataset.version-published',
        'dataflex.dataset.version-published',
        'dataflex.dataset.visibility-changed',
        'dataflex.dataset.updated',
      ]);
      expect(payloads[3].data).toMatchObject({ from: 'private', to: 'public' });
      expect(payloads[4].data).toMatchObject({ changed: ['description'] });
    });

    it('publishes an access request story in order, without justifications, reasons, titles or descriptions', async () => {
      const topic = `test-${randomUUID()}.dataflex.events`;
      const backend = await startDataflexTestBackend({
        ...accessTestBackendOptions,
        blobDirectory: dir,
        knex: await databases.init('SQLITE_3'),
        entities: [
          {
            apiVersion: 'dataflex.io/v1alpha1',
            kind: 'Dataset',
            metadata: {
              name: 'customers',
              namespace: 'default',
              title: 'Customers of the secret project',
              description: 'Everyone who ever bought from us',
            },
            spec: {
              owner: 'data-platform',
              lifecycle: 'production',
              visibility: 'public',
            },
          },
        ],
        features: [dataflexModuleKafka],
        dataflexConfig: {
          events: {
            kafka: {
              clientId: 'dataflex-test',
              brokers: server.brokers,
              topic,
            },
          },
        },
      });
      const post = (user: string, url: string, body: object) =>
        request(backend.server)
          .post(`/api/dataflex${url}`)
          .set('Authorization', as(user))
          .send(body);
      const justification = 'Thesis on churn in the secret project';
      const reason = 'Payments has no business with customers';
      const revokeReason = 'Thesis handed in early';

      await backend.uploadVersion(ANIL, 'customers', payrollCsv);
      const asked = await post(
        STUDENT,
        '/datasets/default/customers/access-requests',
        {
          justification,
          scope: 'version',
          version: 1,
        },
      );
      expect(asked.status).toBe(201);
      const approved = await post(
        PRIYA,
        `/access-requests/${asked.body.id}/decision`,
        {
          decision: 'approve',
          reason: 'Fine for a thesis',
        },
      );
      expect(approved.status).toBe(200);
      const refusedAsk = await post(
        CARLOS,
        '/datasets/default/customers/access-requests',
        {
          justification: 'Cross-selling',
          scope: 'version-and-later',
          version: 1,
        },
      );
      expect(refusedAsk.status).toBe(201);
      const rejected = await post(
        ANIL,
        `/access-requests/${refusedAsk.body.id}/decision`,
        {
          decision: 'reject',
          reason,
        },
      );
      expect(rejected.status).toBe(200);
      const revoked = await post(
        ANIL,
        `/grants/${approved.body.grantId}/revoke`,
        {
          reason: revokeReason,
        },
      );
      expect(revoked.status).toBe(200);

      const received = firstDeliveries(
        await consumeMessages(server.brokers, [topic], 6),
      );
      const payloads = received.map(m => m.value as DataflexEventPayload<any>);
      expect(new Set(received.map(m => m.key))).toEqual(
        new Set(['dataset:default/customers']),
      );
      expect(payloads.map(p => [p.type, p.actor])).toEqual([
        ['dataflex.dataset.version-published', ANIL],
        ['dataflex.access.requested', STUDENT],
        ['dataflex.access.approved', PRIYA],
        ['dataflex.access.requested', CARLOS],
        ['dataflex.access.rejected', ANIL],
        ['dataflex.access.revoked', ANIL],
      ]);
      const dataset = {
        namespace: 'default',
        name: 'customers',
        owner: DATA_PLATFORM,
        visibility: 'public',
        source: 'catalog',
      };
      expect(payloads[1].data).toEqual({
        dataset,
        request: {
          id: asked.body.id,
          requester: STUDENT,
          scope: 'version',
          version: 1,
          status: 'pending',
        },
      });
      expect(payloads[2].data).toEqual({
        dataset,
        grant: {
          id: approved.body.grantId,
          grantee: STUDENT,
          fromVersion: 1,
          toVersion: 1,
          requestId: asked.body.id,
        },
        request: expect.objectContaining({
          id: asked.body.id,
          status: 'approved',
        }),
      });
      expect(payloads[4].data).toMatchObject({
        request: { id: refusedAsk.body.id, status: 'rejected' },
        decidedBy: ANIL,
      });
      expect(payloads[5].data).toMatchObject({
        grant: { id: approved.body.grantId },
        revokedBy: ANIL,
      });
      const everything = JSON.stringify(received);
      for (const secret of [
        justification,
        'Cross-selling',
        reason,
        'Fine for a thesis',
        revokeReason,
        'Customers of the secret project',
        'Everyone who ever bought from us',
        'ceo@corp.example',
      ]) {
        expect(everything).not.toContain(secret);
      }
    });
  },
);
