import { LoggerService } from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  DataflexEventMessage,
  DataflexEventSink,
} from '@dataflex/backstage-plugin-dataflex-node';
import {
  CompressionTypes,
  Kafka,
  logLevel,
  Partitioners,
  Producer,
  TopicMessages,
} from 'kafkajs';
import { kafkaLogCreator } from './kafkaLogCreator';
import { KafkaSinkConfig, readKafkaSinkConfig } from './readKafkaSinkConfig';

/**
 * Publishes DataFlex events to Kafka: one Kafka topic per DataFlex topic
 * (`dataflex.dataset.created`…, after `topicPrefix`), or all of them to the
 * one `topic` when it is set. The message key is the subject's entity ref, so
 * a dataset's events share a partition and keep their order within a topic
 * (across all event types in the one-topic mode); the value is the JSON
 * payload; headers carry the event id and type for consumers that route
 * without parsing.
 *
 * `publish` resolves only once every broker in the in-sync replica set
 * acknowledged the batch (acks = all), which is what lets the outbox mark the
 * events sent. It connects lazily, so an unreachable cluster delays events
 * (the outbox retries) instead of stopping the backend.
 */
export class KafkaEventSink implements DataflexEventSink {
  /** Undefined when `dataflex.events.kafka` is not configured. */
  static fromConfig(
    config: Config,
    options: { logger: LoggerService },
  ): KafkaEventSink | undefined {
    const sinkConfig = readKafkaSinkConfig(config);
    return sinkConfig
      ? new KafkaEventSink(sinkConfig, options.logger)
      : undefined;
  }

  readonly id = 'kafka';
  private readonly kafka: Kafka;
  private producer?: Promise<Producer>;

  private constructor(
    private readonly config: KafkaSinkConfig,
    private readonly logger: LoggerService,
  ) {
    this.kafka = new Kafka({
      ...config.kafka,
      logLevel: logLevel.WARN,
      logCreator: kafkaLogCreator(logger),
      // The outbox retries with its own backoff; fail a send in seconds
      // rather than holding the relay's claim for half a minute.
      retry: { retries: 3, initialRetryTime: 300, maxRetryTime: 5_000 },
    });
  }

  /** The Kafka topic a DataFlex topic is published to. */
  kafkaTopic(topic: string): string {
    return this.config.topic ?? `${this.config.topicPrefix}${topic}`;
  }

  async publish(messages: DataflexEventMessage[]): Promise<void> {
    if (messages.length === 0) {
      return;
    }
    const byTopic = new Map<string, TopicMessages>();
    for (const message of messages) {
      const topic = this.kafkaTopic(message.topic);
      let topicMessages = byTopic.get(topic);
      if (!topicMessages) {
        topicMessages = { topic, messages: [] };
        byTopic.set(topic, topicMessages);
      }
      topicMessages.messages.push({
        key: message.key,
        value: JSON.stringify(message.payload),
        headers: {
          'content-type': 'application/json',
          'dataflex-event-id': message.payload.eventId,
          'dataflex-event-type': message.topic,
        },
      });
    }
    const producer = await this.connect();
    await producer.sendBatch({
      topicMessages: [...byTopic.values()],
      acks: -1,
      compression: CompressionTypes.None,
    });
  }

  async stop(): Promise<void> {
    const producer = this.producer;
    this.producer = undefined;
    if (producer) {
      await producer.then(p => p.disconnect()).catch(() => undefined);
    }
  }

  private connect(): Promise<Producer> {
    if (!this.producer) {
      const producer = this.kafka.producer({
        allowAutoTopicCreation: this.config.allowAutoTopicCreation,
        // Java's default partitioner, so Java producers and consumers agree
        // on which partition a dataset's events are on.
        createPartitioner: Partitioners.DefaultPartitioner,
        // One request in flight per broker, so a retried request cannot
        // overtake the next one and reorder a partition.
        maxInFlightRequests: 1,
      });
      const connecting = producer.connect().then(() => producer);
      this.producer = connecting;
      // A later send connects again.
      producer.on(producer.events.DISCONNECT, () => {
        if (this.producer === connecting) {
          this.producer = undefined;
        }
      });
      connecting.catch(error => {
        if (this.producer === connecting) {
          this.producer = undefined;
        }
        this.logger.warn(
          `Could not connect to Kafka at ${this.config.kafka.brokers.join(
            ', ',
          )}; DataFlex events wait in the outbox`,
          error,
        );
      });
    }
    return this.producer;
  }
}
