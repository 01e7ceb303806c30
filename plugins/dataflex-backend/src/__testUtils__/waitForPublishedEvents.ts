import { EventParams } from '@backstage/plugin-events-node';

/**
 * Waits until the outbox relay has published `count` events (it publishes
 * right after each commit, asynchronously) and returns them.
 */
export async function waitForPublishedEvents(
  published: EventParams[],
  count: number,
  timeoutMs = 10_000,
): Promise<EventParams[]> {
  const deadline = Date.now() + timeoutMs;
  while (published.length < count) {
    if (Date.now() > deadline) {
      throw new Error(
        `Expected ${count} published events within ${timeoutMs} ms, got ${
          published.length
        }: ${published.map(e => e.topic).join(', ')}`,
      );
    }
    await new Promise(resolve => setTimeout(resolve, 20));
  }
  return published;
}
