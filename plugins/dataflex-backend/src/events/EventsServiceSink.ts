import { EventsService } from '@backstage/plugin-events-node';
import {
  DataflexEventMessage,
  DataflexEventSink,
} from '@dataflex/backstage-plugin-dataflex-node';

/**
 * Delivers DataFlex events to Backstage's events service, under their
 * DataFlex topic, for subscribers in this backend (and in others, through the
 * events backend's bus when it is enabled).
 *
 * The in-process bus logs and swallows a subscriber's failure, so this sink
 * only fails when the events service itself does; that is why Kafka is a sink
 * of the outbox rather than a subscriber of the events service.
 */
export class EventsServiceSink implements DataflexEventSink {
  static create(options: { events: EventsService }): EventsServiceSink {
    return new EventsServiceSink(options.events);
  }

  readonly id = 'backstage-events';

  private constructor(private readonly events: EventsService) {}

  async publish(messages: DataflexEventMessage[]): Promise<void> {
    for (const message of messages) {
      await this.events.publish({
        topic: message.topic,
        eventPayload: message.payload,
      });
    }
  }
}
