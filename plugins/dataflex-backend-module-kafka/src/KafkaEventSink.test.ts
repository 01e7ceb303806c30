import { randomUUID } from 'node:crypto';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  DataflexEventPayload,
  DataflexEventTopic,
} from '@dataflex/backstage-plugin-dataflex-common';
import { DataflexEventMessage } from '@dataflex/backstage-plugin-dataflex-node';
import { KafkaEventSink } from './KafkaEventSink';
import {
  consumeMessages,
  findTestKafkaBroker,
  TestKafkaBroker,
} from './testUtils';

jest.setTimeout(90_000);

const broker = findTestKafkaBroker();

function message(
  subject: string,
  n: number,
  topic: DataflexEventTopic = 'dataflex.dataset.updated',
): DataflexEventMessage {
  const payload: DataflexEventPayload<{ n: number }> = {
    eventId: randomUUID(),
    version: 1,
    type: topic,
    occurredAt: new Date().toISOString(),
    actor: 'user:default/olivia',
    subject,
    data: { n },
  };
  return { topic, key: subject, payload };
}

function createSink(kafka: object) {
  const sink = KafkaEventSink.fromConfig(
    new ConfigReader({
      dataflex: { events: { kafka: { clientId: 'dataflex-test', ...kafka } } },
    }),
    { logger: mockServices.logger.mock() },
  );
  if (!sink) {
    throw new Error('dataflex.events.kafka was not read');
  }
  return sink;
}

describe('KafkaEventSink', () => {
  it('is not created without dataflex.events.kafka', () => {
    expect(
      KafkaEventSink.fromConfig(new ConfigReader({}), {
        logger: mockServices.logger.mock(),
      }),
    ).toBeUndefined();
  });

  it('fails a publish it could not deliver, so the outbox keeps the events', async () => {
    const sink = createSink({
      // Nothing listens on port 9 of the loopback.
      brokers: ['127.0.0.1:9'],
      connectionTimeout: '200ms',
    });
    try {
      await expect(
        sink.publish([message('dataset:default/a', 1)]),
      ).rejects.toThrow();
    } finally {
      await sink.stop();
    }
  });
});

(broker ? describe : describe.skip)('KafkaEventSink with a broker', () => {
  const server = broker as TestKafkaBroker;
  const sinks: KafkaEventSink[] = [];

  afterEach(async () => {
    await Promise.all(sinks.splice(0).map(sink => sink.stop()));
  });

  function sinkFor(kafka: object) {
    const sink = createSink(kafka);
    sinks.push(sink);
    return sink;
  }

  it("publishes each event under its subject's key, with the JSON payload and its id in the headers", async () => {
    const prefix = `test-${randomUUID()}.`;
    const sink = sinkFor({ brokers: server.brokers, topicPrefix: prefix });
    const created = message(
      'dataset:default/orders',
      1,
      'dataflex.dataset.created',
    );
    const deleted = message(
      'dataset:default/orders',
      2,
      'dataflex.dataset.deleted',
    );

    await sink.publish([created, deleted]);

    const received = await consumeMessages(
      server.brokers,
      [
        `${prefix}dataflex.dataset.created`,
        `${prefix}dataflex.dataset.deleted`,
      ],
      2,
    );
    expect(received.sort((a, b) => a.topic.localeCompare(b.topic))).toEqual([
      {
        topic: `${prefix}dataflex.dataset.created`,
        partition: expect.any(Number),
        key: 'dataset:default/orders',
        value: created.payload,
        headers: {
          'content-type': 'application/json',
          'dataflex-event-id': created.payload.eventId,
          'dataflex-event-type': 'dataflex.dataset.created',
        },
      },
      {
        topic: `${prefix}dataflex.dataset.deleted`,
        partition: expect.any(Number),
        key: 'dataset:default/orders',
        value: deleted.payload,
        headers: expect.objectContaining({
          'dataflex-event-id': deleted.payload.eventId,
        }),
      },
    ]);
    // One subject, one partition, whatever the topic.
    expect(received[0].partition).toBe(received[1].partition);
  });

  it("keeps each subject's events in order across the topic's partitions", async () => {
    const prefix = `test-${randomUUID()}.`;
    const sink = sinkFor({ brokers: server.brokers, topicPrefix: prefix });
    const subjects = Array.from(
      { length: 12 },
      (_, i) => `dataset:default/d${i}`,
    );

    for (let n = 1; n <= 5; n++) {
      await sink.publish(subjects.map(subject => message(subject, n)));
    }

    const received = await consumeMessages(
      server.brokers,
      [`${prefix}dataflex.dataset.updated`],
      60,
    );
    expect(new Set(received.map(m => m.partition)).size).toBeGreaterThan(1);
    for (const subject of subjects) {
      const ofSubject = received.filter(m => m.key === subject);
      expect(new Set(ofSubject.map(m => m.partition)).size).toBe(1);
      expect(
        ofSubject.map(
          m => (m.value as DataflexEventPayload<{ n: number }>).data.n,
        ),
      ).toEqual([1, 2, 3, 4, 5]);
    }
  });

  it('publishes every event type to the one topic when `topic` is set, so a subject keeps its order across types', async () => {
    const topic = `test-${randomUUID()}.dataflex.events`;
    const sink = sinkFor({ brokers: server.brokers, topic });
    const subject = 'dataset:default/orders';
    const sequence = [
      message(subject, 1, 'dataflex.dataset.created'),
      message(subject, 2, 'dataflex.dataset.version-published'),
      message(subject, 3, 'dataflex.dataset.deleted'),
    ];

    await sink.publish(sequence.slice(0, 2));
    await sink.publish(sequence.slice(2));

    const received = await consumeMessages(server.brokers, [topic], 3);
    expect(
      received.map(m => [m.topic, m.headers['dataflex-event-type']]),
    ).toEqual(sequence.map(m => [topic, m.topic]));
    expect(received.map(m => m.value)).toEqual(sequence.map(m => m.payload));
  });

  it('authenticates with SASL and fails with a wrong password', async () => {
    const prefix = `test-${randomUUID()}.`;
    const good = sinkFor({
      brokers: server.saslBrokers,
      topicPrefix: prefix,
      sasl: {
        mechanism: 'plain',
        username: server.username,
        password: server.password,
      },
    });
    const bad = sinkFor({
      brokers: server.saslBrokers,
      topicPrefix: prefix,
      sasl: {
        mechanism: 'plain',
        username: server.username,
        password: 'not-the-password',
      },
    });
    const event = message('dataset:default/secure', 1);

    await good.publish([event]);
    await expect(
      bad.publish([message('dataset:default/secure', 2)]),
    ).rejects.toThrow(/SASL|[Aa]uthentication/);

    const received = await consumeMessages(
      server.brokers,
      [`${prefix}dataflex.dataset.updated`],
      1,
    );
    expect(received.map(m => m.value)).toEqual([event.payload]);
  });
});
