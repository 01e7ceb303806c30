import { createTestDatabases } from '../database/__testUtils__/testDatabases';
import { isUniqueViolation } from '../database/isUniqueViolation';
import { DatabaseEventOutboxStore } from './DatabaseEventOutboxStore';
import {
  initOutboxDatabase,
  testMessage,
} from './__testUtils__/outboxTestUtils';

jest.setTimeout(60_000);

const databases = createTestDatabases();

const A = 'dataset:default/a';
const B = 'dataset:default/b';
const C = 'dataset:default/c';
const LEASE = 60_000;

describe.each(databases.eachSupportedId())(
  'DatabaseEventOutboxStore (%s)',
  databaseId => {
    async function setUp() {
      const knex = await initOutboxDatabase(databases, databaseId);
      return { knex, store: DatabaseEventOutboxStore.create({ knex }) };
    }

    it('claims pending events in commit order and hands back what was written', async () => {
      const { store } = await setUp();
      const messages = [
        testMessage(A, 1),
        testMessage(B, 1),
        testMessage(A, 2),
      ];
      await store.add(messages);

      const claimed = await store.claim({
        owner: 'r1',
        limit: 10,
        leaseMs: LEASE,
        now: new Date(),
      });

      expect(claimed.map(e => [e.key, e.payload])).toEqual(
        messages.map(m => [m.key, m.payload]),
      );
      expect(claimed.map(e => e.topic)).toEqual(messages.map(m => m.topic));
      expect(claimed.every(e => e.attempts === 0)).toBe(true);
      expect(claimed.every(e => e.deliveredTo.length === 0)).toBe(true);
      const sequences = claimed.map(e => e.sequence);
      expect([...sequences].sort((x, y) => x - y)).toEqual(sequences);
      expect(await store.countPending()).toBe(3);
    });

    it('writes within the given transaction, so a rollback leaves nothing', async () => {
      const { knex, store } = await setUp();

      await expect(
        knex.transaction(async transaction => {
          await store.add([testMessage(A, 1)], { transaction });
          throw new Error('the change failed');
        }),
      ).rejects.toThrow('the change failed');
      await knex.transaction(async transaction => {
        await store.add([testMessage(B, 1)], { transaction });
      });

      const claimed = await store.claim({
        owner: 'r1',
        limit: 10,
        leaseMs: LEASE,
        now: new Date(),
      });
      expect(claimed.map(e => e.key)).toEqual([B]);
    });

    it('rejects a second row with the same event id', async () => {
      const { store } = await setUp();
      const message = testMessage(A, 1);
      await store.add([message]);
      const error = await store.add([message]).catch(e => e);
      expect(isUniqueViolation(error)).toBe(true);
      expect(await store.countPending()).toBe(1);
    });

    it('keeps claimed events from other relays until the lease lapses', async () => {
      const { store } = await setUp();
      await store.add([testMessage(A, 1), testMessage(B, 1)]);
      const now = new Date();

      const first = await store.claim({
        owner: 'r1',
        limit: 1,
        leaseMs: LEASE,
        now,
      });
      const second = await store.claim({
        owner: 'r2',
        limit: 10,
        leaseMs: LEASE,
        now,
      });
      const afterLease = await store.claim({
        owner: 'r3',
        limit: 10,
        leaseMs: LEASE,
        now: new Date(now.getTime() + LEASE + 1),
      });

      expect(first.map(e => e.key)).toEqual([A]);
      expect(second.map(e => e.key)).toEqual([B]);
      expect(afterLease.map(e => e.key)).toEqual([A, B]);
    });

    it("never hands out a subject's later event while an earlier one is claimed or waiting for a retry", async () => {
      const { store } = await setUp();
      await store.add([
        testMessage(A, 1),
        testMessage(B, 1),
        testMessage(C, 1),
      ]);
      await store.add([
        testMessage(A, 2),
        testMessage(B, 2),
        testMessage(C, 2),
      ]);
      const now = new Date();

      const first = await store.claim({
        owner: 'r1',
        limit: 2,
        leaseMs: LEASE,
        now,
      });
      expect(first.map(e => `${e.key}#${e.payload.eventId}`)).toHaveLength(2);
      expect(first.map(e => e.key)).toEqual([A, B]);

      // B#1 failed and waits; A#1 was not attempted and is released.
      const [a1, b1] = first;
      await store.markFailed('r1', [
        {
          sequence: b1.sequence,
          attempts: 1,
          deliveredTo: ['backstage-events'],
          error: 'kafka: broker down',
          nextAttemptAt: new Date(now.getTime() + 5_000),
        },
      ]);
      await store.release('r1', [{ sequence: a1.sequence, deliveredTo: [] }]);

      const second = await store.claim({
        owner: 'r2',
        limit: 10,
        leaseMs: LEASE,
        now,
      });
      expect(second.map(e => [e.key, (e.payload.data as any).n])).toEqual([
        [A, 1],
        [C, 1],
        [A, 2],
        [C, 2],
      ]);

      await store.markSent(
        second.map(e => e.sequence),
        now,
      );
      const retried = await store.claim({
        owner: 'r3',
        limit: 10,
        leaseMs: LEASE,
        now: new Date(now.getTime() + 5_001),
      });
      expect(retried.map(e => [e.key, (e.payload.data as any).n])).toEqual([
        [B, 1],
        [B, 2],
      ]);
      expect(retried[0]).toMatchObject({
        attempts: 1,
        deliveredTo: ['backstage-events'],
      });
      expect(retried[1]).toMatchObject({ attempts: 0, deliveredTo: [] });
    });

    it('ignores the outcome a relay reports after another took its lapsed claim over', async () => {
      const { store } = await setUp();
      await store.add([testMessage(A, 1)]);
      const now = new Date();
      const [stale] = await store.claim({
        owner: 'slow',
        limit: 1,
        leaseMs: LEASE,
        now,
      });
      const later = new Date(now.getTime() + LEASE + 1);
      const [taken] = await store.claim({
        owner: 'fast',
        limit: 1,
        leaseMs: LEASE,
        now: later,
      });
      expect(taken.sequence).toBe(stale.sequence);

      await store.markFailed('slow', [
        {
          sequence: stale.sequence,
          attempts: 1,
          deliveredTo: [],
          error: 'timed out',
          nextAttemptAt: new Date(later.getTime() + 60_000),
        },
      ]);
      await store.release('slow', [
        { sequence: stale.sequence, deliveredTo: [] },
      ]);

      // Still claimed by the relay that took over: nobody else gets it.
      expect(
        await store.claim({
          owner: 'third',
          limit: 1,
          leaseMs: LEASE,
          now: later,
        }),
      ).toEqual([]);
      await store.markSent([taken.sequence], later);
      expect(await store.countPending()).toBe(0);
    });

    it('gives each event to one relay when several claim at the same moment', async () => {
      const { store } = await setUp();
      const subjects = Array.from(
        { length: 20 },
        (_, i) => `dataset:default/s${i}`,
      );
      for (const n of [1, 2, 3]) {
        await store.add(subjects.map(subject => testMessage(subject, n)));
      }
      const now = new Date();

      const claims = await Promise.all(
        Array.from({ length: 4 }, (_, i) =>
          store.claim({ owner: `r${i}`, limit: 15, leaseMs: LEASE, now }),
        ),
      );

      const all = claims.flat();
      expect(new Set(all.map(e => e.sequence)).size).toBe(all.length);
      // A subject's events all went to the same relay (never split).
      for (const subject of subjects) {
        const owners = claims
          .map((events, owner) =>
            events.some(e => e.key === subject) ? owner : -1,
          )
          .filter(owner => owner >= 0);
        expect(owners.length).toBeLessThanOrEqual(1);
      }
      // The first claim takes s0…s14's first events; the next one the rest
      // of the batch from s15…s19, whose later events may go with them; the
      // others find every subject taken.
      expect(all).toHaveLength(30);
      expect(claims.map(events => events.length).sort()).toEqual([
        0, 0, 15, 15,
      ]);
    });

    it('prunes only events sent before the cut-off, never pending ones', async () => {
      const { store } = await setUp();
      await store.add([
        testMessage(A, 1),
        testMessage(B, 1),
        testMessage(C, 1),
      ]);
      const [a, b] = await store.claim({
        owner: 'r1',
        limit: 2,
        leaseMs: LEASE,
        now: new Date(),
      });
      await store.markSent([a.sequence], new Date('2026-01-01T00:00:00Z'));
      await store.markSent([b.sequence], new Date('2026-01-10T00:00:00Z'));

      expect(await store.prune(new Date('2026-01-05T00:00:00Z'))).toBe(1);
      expect(await store.prune(new Date('2026-01-05T00:00:00Z'))).toBe(0);
      expect(await store.prune(new Date('2030-01-01T00:00:00Z'))).toBe(1);
      expect(await store.countPending()).toBe(1);
    });
  },
);
