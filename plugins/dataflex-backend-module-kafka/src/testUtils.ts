/**
 * Test utilities for DataFlex's Kafka tests: the broker the test command
 * started, and reading DataFlex's events back from it.
 *
 * @packageDocumentation
 */

export {
  consumeMessages,
  findTestKafkaBroker,
  firstDeliveries,
} from './testUtils/testKafka';
export type { ConsumedMessage, TestKafkaBroker } from './testUtils/testKafka';
