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
 * group, until `count` have arrived; throws when they do not within the
 * timeout. Messages of one partition are in partition order.
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
    while (received.length < count) {
      if (Date.now() > deadline) {
        throw new Error(
          `Expected ${count} messages on ${topics.join(', ')}, got ${
            received.length
          } within ${timeoutMs} ms`,
        );
      }
      await new Promise(resolve => setTimeout(resolve, 50));
    }
    return received;
  } finally {
    await consumer.disconnect();
  }
}
