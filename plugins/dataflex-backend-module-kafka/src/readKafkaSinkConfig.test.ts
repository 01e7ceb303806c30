import { ConfigReader } from '@backstage/config';
import { readKafkaSinkConfig } from './readKafkaSinkConfig';

const read = (kafka: object) =>
  readKafkaSinkConfig(new ConfigReader({ dataflex: { events: { kafka } } }));

describe('readKafkaSinkConfig', () => {
  it('reads nothing when Kafka is not configured', () => {
    expect(readKafkaSinkConfig(new ConfigReader({}))).toBeUndefined();
  });

  it('reads brokers, client id, TLS, SASL and timeouts', () => {
    expect(
      read({
        clientId: 'dataflex',
        brokers: ['kafka-1:9093', 'kafka-2:9093'],
        ssl: { ca: ['-----BEGIN CERTIFICATE-----'], rejectUnauthorized: true },
        sasl: {
          mechanism: 'scram-sha-512',
          username: 'df',
          password: 's3cret',
        },
        topic: 'dataflex.events',
        topicPrefix: 'prod.',
        allowAutoTopicCreation: false,
        connectionTimeout: '5s',
        requestTimeout: { seconds: 10 },
      }),
    ).toEqual({
      kafka: {
        clientId: 'dataflex',
        brokers: ['kafka-1:9093', 'kafka-2:9093'],
        ssl: {
          ca: ['-----BEGIN CERTIFICATE-----'],
          cert: undefined,
          key: undefined,
          rejectUnauthorized: true,
        },
        sasl: {
          mechanism: 'scram-sha-512',
          username: 'df',
          password: 's3cret',
        },
        connectionTimeout: 5_000,
        requestTimeout: 10_000,
      },
      topic: 'dataflex.events',
      topicPrefix: 'prod.',
      allowAutoTopicCreation: false,
    });
  });

  it('applies defaults and takes ssl: true', () => {
    expect(
      read({ clientId: 'dataflex', brokers: ['k:9092'], ssl: true }),
    ).toEqual({
      kafka: {
        clientId: 'dataflex',
        brokers: ['k:9092'],
        ssl: true,
        sasl: undefined,
        connectionTimeout: 3_000,
        requestTimeout: 30_000,
      },
      topicPrefix: '',
      allowAutoTopicCreation: true,
    });
  });

  it('takes the values environment variables give: a comma-separated broker list, ssl as text, an empty sasl section', () => {
    expect(
      read({
        clientId: 'dataflex',
        brokers: 'kafka-1:9093, kafka-2:9093,',
        ssl: 'false',
        sasl: {},
      }),
    ).toMatchObject({
      kafka: {
        brokers: ['kafka-1:9093', 'kafka-2:9093'],
        ssl: false,
        sasl: undefined,
      },
    });
  });

  it('explains what is wrong', () => {
    expect(() => read({ clientId: 'dataflex', brokers: [] })).toThrow(
      /dataflex\.events\.kafka\.brokers: name at least one broker/,
    );
    expect(() => read({ clientId: 'dataflex', brokers: ' , ' })).toThrow(
      /name at least one broker/,
    );
    expect(() => read({ brokers: ['k:9092'] })).toThrow(/clientId/);
    expect(() =>
      read({
        clientId: 'dataflex',
        brokers: ['k:9092'],
        sasl: { mechanism: 'plain', username: 'a' },
      }),
    ).toThrow(/dataflex\.events\.kafka\.sasl\.password/);
    expect(() =>
      read({
        clientId: 'dataflex',
        brokers: ['k:9092'],
        sasl: { mechanism: 'gssapi', username: 'a', password: 'b' },
      }),
    ).toThrow(
      "Invalid config at dataflex.events.kafka.sasl.mechanism: 'gssapi' is not one of plain, scram-sha-256, scram-sha-512",
    );
  });
});
