import {
  DataflexEventPayload,
  DataflexEventTopic,
} from '@dataflex/backstage-plugin-dataflex-common';

/**
 * One DataFlex event on its way out of the outbox.
 *
 * @public
 */
export interface DataflexEventMessage {
  topic: DataflexEventTopic;
  /**
   * Entity ref of the event's subject (the dataset or service). Events with
   * the same key must stay in order, so a sink that partitions uses it as
   * the partition key.
   */
  key: string;
  payload: DataflexEventPayload<unknown>;
}

/**
 * Somewhere the DataFlex event outbox delivers committed events to, besides
 * Backstage's events service. The outbox relay calls `publish` with events
 * in commit order and marks them sent only once every sink has resolved, so
 * a sink must resolve only when its destination has accepted the events
 * durably, and throw otherwise. Events are then delivered again with the
 * same `eventId`, possibly after some of them already arrived.
 *
 * @public
 */
export interface DataflexEventSink {
  /**
   * Names the sink in logs and in what the outbox remembers as delivered;
   * keep it stable across releases, or events are delivered to it again.
   */
  readonly id: string;
  /** Delivers the events in the given order. */
  publish(messages: DataflexEventMessage[]): Promise<void>;
}
