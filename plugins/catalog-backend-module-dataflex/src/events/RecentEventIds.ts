/** Enough to recognise redeliveries, which arrive within seconds. */
const DEFAULT_CAPACITY = 1000;

/**
 * Remembers the ids of the last DataFlex events seen (the `eventId` of their
 * payload envelope), so that a redelivered event is handled once.
 */
export class RecentEventIds {
  static create(options: { capacity?: number } = {}): RecentEventIds {
    return new RecentEventIds(options.capacity ?? DEFAULT_CAPACITY);
  }

  private readonly seen = new Set<string>();

  private constructor(private readonly capacity: number) {}

  /**
   * True when an event with this payload's id was seen before; otherwise
   * remembers the id. Payloads without an id are never redeliveries.
   */
  isRedelivery(eventPayload: unknown): boolean {
    const eventId = readEventId(eventPayload);
    if (!eventId) {
      return false;
    }
    if (this.seen.has(eventId)) {
      return true;
    }
    this.seen.add(eventId);
    if (this.seen.size > this.capacity) {
      const oldest = this.seen.values().next().value;
      if (oldest !== undefined) {
        this.seen.delete(oldest);
      }
    }
    return false;
  }
}

function readEventId(payload: unknown): string | undefined {
  if (typeof payload === 'object' && payload !== null) {
    const eventId = (payload as { eventId?: unknown }).eventId;
    if (typeof eventId === 'string' && eventId) {
      return eventId;
    }
  }
  return undefined;
}
