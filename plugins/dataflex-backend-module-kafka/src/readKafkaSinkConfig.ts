import { Config, readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds, HumanDuration } from '@backstage/types';
import { KafkaConfig, SASLOptions } from 'kafkajs';

const PREFIX = 'dataflex.events.kafka';
const SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;

/** `dataflex.events.kafka`, read once. */
export interface KafkaSinkConfig {
  kafka: KafkaConfig & { brokers: string[] };
  /** Every event to this one topic, instead of one topic per event type. */
  topic?: string;
  topicPrefix: string;
  allowAutoTopicCreation: boolean;
}

/** Undefined when Kafka is not configured. */
export function readKafkaSinkConfig(
  config: Config,
): KafkaSinkConfig | undefined {
  const kafka = config.getOptionalConfig(PREFIX);
  if (!kafka) {
    return undefined;
  }
  // A list, or one comma-separated string as an environment variable gives.
  const brokers =
    typeof kafka.getOptional('brokers') === 'string'
      ? kafka
          .getString('brokers')
          .split(',')
          .map(broker => broker.trim())
          .filter(Boolean)
      : kafka.getStringArray('brokers');
  if (brokers.length === 0) {
    throw new Error(
      `Invalid config at ${PREFIX}.brokers: name at least one broker, e.g. kafka-1.example.com:9092`,
    );
  }
  const duration = (key: string, fallback: HumanDuration) =>
    durationToMilliseconds(
      kafka.has(key) ? readDurationFromConfig(kafka, { key }) : fallback,
    );
  return {
    kafka: {
      clientId: kafka.getString('clientId'),
      brokers,
      ssl: readSsl(kafka),
      sasl: readSasl(kafka),
      connectionTimeout: duration('connectionTimeout', { seconds: 3 }),
      requestTimeout: duration('requestTimeout', { seconds: 30 }),
    },
    topic: kafka.getOptionalString('topic') || undefined,
    topicPrefix: kafka.getOptionalString('topicPrefix') ?? '',
    allowAutoTopicCreation:
      kafka.getOptionalBoolean('allowAutoTopicCreation') ?? true,
  };
}

function readSsl(kafka: Config): KafkaConfig['ssl'] {
  if (!kafka.has('ssl')) {
    return undefined;
  }
  if (typeof kafka.getOptional('ssl') !== 'object') {
    return kafka.getBoolean('ssl');
  }
  const ssl = kafka.getConfig('ssl');
  return {
    ca: ssl.getOptionalStringArray('ca'),
    cert: ssl.getOptionalString('cert'),
    key: ssl.getOptionalString('key'),
    rejectUnauthorized: ssl.getOptionalBoolean('rejectUnauthorized') ?? true,
  };
}

function readSasl(kafka: Config): SASLOptions | undefined {
  const sasl = kafka.getOptionalConfig('sasl');
  // Every value unset, as when all its environment variables are: no SASL.
  if (!sasl || sasl.keys().length === 0) {
    return undefined;
  }
  const mechanism = sasl.getString('mechanism');
  if (!(SASL_MECHANISMS as readonly string[]).includes(mechanism)) {
    throw new Error(
      `Invalid config at ${PREFIX}.sasl.mechanism: '${mechanism}' is not one of ${SASL_MECHANISMS.join(
        ', ',
      )}`,
    );
  }
  return {
    mechanism: mechanism as (typeof SASL_MECHANISMS)[number],
    username: sasl.getString('username'),
    password: sasl.getString('password'),
  } as SASLOptions;
}
