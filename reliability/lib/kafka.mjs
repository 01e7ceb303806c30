// Reads what DataFlex published to the test command's Kafka broker, as any
// consumer would (kafkajs, the client the Kafka sink uses).
import { randomBytes } from 'node:crypto';
import { requireFromBackend, sleep } from './common.mjs';

const { Kafka, logLevel } = requireFromBackend('kafkajs');

function client(brokers) {
  return new Kafka({
    clientId: 'dataflex-reliability',
    brokers,
    logLevel: logLevel.NOTHING,
  });
}

/** The topics whose names start with `prefix`. */
export async function topicsWithPrefix(brokers, prefix) {
  const admin = client(brokers).admin();
  await admin.connect();
  try {
    return (await admin.listTopics()).filter(t => t.startsWith(prefix));
  } finally {
    await admin.disconnect();
  }
}

/**
 * Every message of `topics` from the beginning up to their current end:
 * `{ topic, key, headers, value }` with the value parsed as JSON.
 */
export async function readTopics(brokers, topics, timeoutMs = 30_000) {
  if (topics.length === 0) {
    return [];
  }
  const kafka = client(brokers);
  const admin = kafka.admin();
  await admin.connect();
  const remaining = new Map();
  try {
    for (const topic of topics) {
      for (const { partition, high, low } of await admin.fetchTopicOffsets(
        topic,
      )) {
        if (Number(high) > Number(low)) {
          remaining.set(`${topic}/${partition}`, Number(high));
        }
      }
    }
  } finally {
    await admin.disconnect();
  }
  const messages = [];
  if (remaining.size === 0) {
    return messages;
  }
  const consumer = kafka.consumer({
    groupId: `dataflex-reliability-${randomBytes(6).toString('hex')}`,
  });
  await consumer.connect();
  try {
    await consumer.subscribe({ topics, fromBeginning: true });
    const done = new Promise(resolve => {
      consumer.run({
        eachMessage: async ({ topic, partition, message }) => {
          messages.push({
            topic,
            key: message.key?.toString(),
            headers: Object.fromEntries(
              Object.entries(message.headers ?? {}).map(([k, v]) => [
                k,
                v?.toString(),
              ]),
            ),
            raw: message.value?.toString() ?? '',
            value: JSON.parse(message.value?.toString() ?? 'null'),
          });
          const id = `${topic}/${partition}`;
          if (Number(message.offset) + 1 >= (remaining.get(id) ?? 0)) {
            remaining.delete(id);
          }
          if (remaining.size === 0) {
            resolve();
          }
        },
      });
    });
    await Promise.race([done, sleep(timeoutMs)]);
    if (remaining.size > 0) {
      throw new Error(
        `Kafka: ${[...remaining.keys()].join(
          ', ',
        )} not read to the end within ${timeoutMs / 1000} s`,
      );
    }
    return messages;
  } finally {
    await consumer.disconnect();
  }
}
