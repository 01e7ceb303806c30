import { randomUUID } from 'node:crypto';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { TestDatabaseId, TestDatabases } from '@backstage/backend-test-utils';
import {
  DataflexEventPayload,
  DataflexEventTopic,
} from '@dataflex/backstage-plugin-dataflex-common';
import {
  DataflexEventMessage,
  DataflexEventSink,
} from '@dataflex/backstage-plugin-dataflex-node';

const migrationsDir = resolvePackagePath(
  '@dataflex/backstage-plugin-dataflex-backend',
  'migrations',
);

/** A migrated database of the given kind. */
export async function initOutboxDatabase(
  databases: TestDatabases,
  databaseId: TestDatabaseId,
) {
  const knex = await databases.init(databaseId);
  await knex.migrate.latest({ directory: migrationsDir });
  return knex;
}

/** An event about `subject`, numbered in `data.n` so tests can check order. */
export function testMessage(
  subject: string,
  n: number,
  topic: DataflexEventTopic = 'dataflex.dataset.updated',
): DataflexEventMessage {
  const payload: DataflexEventPayload<{ n: number }> = {
    eventId: randomUUID(),
    version: 1,
    type: topic,
    occurredAt: new Date().toISOString(),
    actor: 'user:default/olivia',
    subject,
    data: { n },
  };
  return { topic, key: subject, payload };
}

/**
 * A sink that records what it accepted. A batch with an event `failing`
 * picks is refused as a whole, as a broker that is down would.
 */
export class RecordingSink implements DataflexEventSink {
  readonly received: DataflexEventMessage[] = [];
  calls = 0;
  failing: (message: DataflexEventMessage) => boolean = () => false;

  constructor(readonly id: string) {}

  async publish(messages: DataflexEventMessage[]): Promise<void> {
    this.calls++;
    const refused = messages.find(this.failing);
    if (refused) {
      throw new Error(`${this.id} refused ${refused.payload.eventId}`);
    }
    this.received.push(...messages);
  }

  /** The `data.n` of what arrived for a subject, in arrival order. */
  numbers(subject: string): number[] {
    return this.received
      .filter(m => m.key === subject)
      .map(m => (m.payload.data as { n: number }).n);
  }
}
