/**
 * Publishes DataFlex's events to Kafka.
 *
 * @packageDocumentation
 */

export { dataflexModuleKafka as default } from './module';
export { KafkaEventSink } from './KafkaEventSink';
