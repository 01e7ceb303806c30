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
  ConsumedMessage,
  consumeMessages,
  findTestKafkaBroker,
  firstDeliveries,
  TestKafkaBroker,
} from './__testUtils__/testKafka';

jest.setTimeout(120_000);

const broker = findTestKafkaBroker();
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
      const created = await request(backend.server)
        .post('/api/dataflex/datasets')
        .set('Authorization', as(OWNER))
        .send({
          name: 'payroll',
          title: SECRETS[0],
          description: SECRETS[1],
          owner: DATA_PLATFORM,
          visibility: 'private',
        });
      expect(created.status).toBe(201);
      for (const content of [
        payrollCsv,
        `${payrollCsv}Cfo,cfo@corp.example,1\n`,
      ]) {
        const uploaded = await request(backend.server)
          .post('/api/dataflex/datasets/default/payroll/versions')
          .set('Authorization', as(OWNER))
          .attach('file', Buffer.from(content), 'payroll.csv');
        expect(uploaded.status).toBe(201);
      }
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
  },
);
