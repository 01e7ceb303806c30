import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';

/** The Kafka broker for tests, as the test command exports it. */
export interface TestKafkaBroker {
  /** Plaintext listener. */
  brokers: string[];
  /** SASL/PLAIN listener, with the user below. */
  saslBrokers: string[];
  username: string;
  password: string;
}

/**
 * The broker the test command started (scripts/lib/kafka.sh), or undefined
 * when a developer runs the tests without one. The test command sets
 * DATAFLEX_REQUIRE_KAFKA, so a missing broker fails the run instead of
 * quietly skipping every Kafka test.
 */
export function findTestKafkaBroker(): TestKafkaBroker | undefined {
  const brokers = process.env.DATAFLEX_TEST_KAFKA_BROKERS;
  if (!brokers) {
    if (process.env.DATAFLEX_REQUIRE_KAFKA) {
      throw new Error(
        'DATAFLEX_REQUIRE_KAFKA is set but DATAFLEX_TEST_KAFKA_BROKERS is not; start a broker with scripts/lib/kafka.sh',
      );
    }
    return undefined;
  }
  const required = (name: string) => {
    const value = process.env[name];
    if (!value) {
      throw new Error(`DATAFLEX_TEST_KAFKA_BROKERS is set but ${name} is not`);
    }
    return value;
  };
  return {
    brokers: brokers.split(','),
    saslBrokers: required('DATAFLEX_TEST_KAFKA_SASL_BROKERS').split(','),
    username: required('DATAFLEX_TEST_KAFKA_SASL_USERNAME'),
    password: required('DATAFLEX_TEST_KAFKA_SASL_PASSWORD'),
  };
}

/** A message as a test consumer read it back. */
export interface ConsumedMessage {
  topic: string;
  partition: number;
  key?: string;
  value: unknown;
  headers: Record<string, string>;
}

/**
 * Reads every message of `topics` from the beginning, as a new consumer
 * group, until `count` distinct events (by their `dataflex-event-id` header)
 * have arrived; throws when they do not within the timeout. Returns every
 * message read, redeliveries included; one partition's are in order.
 */
export async function consumeMessages(
  brokers: string[],
  topics: string[],
  count: number,
  timeoutMs = 30_000,
): Promise<ConsumedMessage[]> {
  const kafka = new Kafka({
    clientId: 'dataflex-test-consumer',
    brokers,
    logLevel: logLevel.NOTHING,
  });
  const leadersDeadline = Date.now() + timeoutMs;
  // The topics may not exist yet, or be in the middle of being created by
  // the producer's first send: then createTopics does not wait, and the
  // metadata may name no leader or answer "does not host this
  // topic-partition" for longer than the client's own retries last on a
  // busy machine. Asked again until every partition has a leader.
  const admin = kafka.admin();
  await admin.connect();
  try {
    await admin
      .createTopics({
        topics: topics.map(topic => ({ topic })),
        waitForLeaders: true,
      })
      .catch(error => {
        // Its own wait for leaders gave up; the loop below waits longer.
        if (!(error as { retriable?: boolean }).retriable) {
          throw error;
        }
      });
    for (;;) {
      try {
        const metadata = await admin.fetchTopicMetadata({ topics });
        if (
          metadata.topics.length === topics.length &&
          metadata.topics.every(
            topic =>
              topic.partitions.length > 0 &&
              topic.partitions.every(partition => partition.leader >= 0),
          )
        ) {
          break;
        }
      } catch (error) {
        if (Date.now() > leadersDeadline) {
          throw error;
        }
      }
      if (Date.now() > leadersDeadline) {
        throw new Error(
          `No leader for ${topics.join(', ')} within ${timeoutMs} ms`,
        );
      }
      await new Promise(resolve => setTimeout(resolve, 200));
    }
  } finally {
    await admin.disconnect();
  }
  const consumer = kafka.consumer({ groupId: `dataflex-test-${randomUUID()}` });
  const received: ConsumedMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        received.push({
          topic,
          partition,
          key: message.key?.toString(),
          value: message.value ? JSON.parse(message.value.toString()) : null,
          headers: Object.fromEntries(
            Object.entries(message.headers ?? {}).map(([name, value]) => [
              name,
              String(value),
            ]),
          ),
        });
      },
    });
    const deadline = Date.now() + timeoutMs;
    const distinct = () =>
      new Set(received.map(m => m.headers['dataflex-event-id'])).size;
    while (distinct() < count) {
      if (Date.now() > deadline) {
        throw new Error(
          `Expected ${count} events on ${topics.join(
            ', ',
          )}, got ${distinct()} within ${timeoutMs} ms`,
        );
      }
      await new Promise(resolve => setTimeout(resolve, 50));
    }
    return received;
  } finally {
    await consumer.disconnect();
  }
}

/**
 * Each event's first delivery, in delivery order, after checking that every
 * redelivery carries exactly the same payload (at-least-once delivery may
 * repeat an event, never change it).
 */
export function firstDeliveries(
  messages: ConsumedMessage[],
): ConsumedMessage[] {
  const first = new Map<string, ConsumedMessage>();
  for (const message of messages) {
    const id = message.headers['dataflex-event-id'];
    const earlier = first.get(id);
    if (!earlier) {
      first.set(id, message);
    } else if (
      JSON.stringify(earlier.value) !== JSON.stringify(message.value) ||
      earlier.key !== message.key
    ) {
      throw new Error(`Event ${id} was delivered twice with different content`);
    }
  }
  return [...first.values()];
}
