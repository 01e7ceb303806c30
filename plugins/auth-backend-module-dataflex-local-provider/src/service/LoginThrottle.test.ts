import { mockServices } from '@backstage/backend-test-utils';
import { createTestDatabases } from '../__testUtils__/testDatabases';
import { DatabaseLocalAuthStore } from '../database/DatabaseLocalAuthStore';
import { LoginThrottle } from './LoginThrottle';

jest.setTimeout(60_000);

const MINUTE = 60_000;
const databases = createTestDatabases();

describe.each(databases.eachSupportedId())('LoginThrottle (%s)', databaseId => {
  const start = new Date('2026-05-01T10:00:00Z');
  const at = (minutes: number) => new Date(start.getTime() + minutes * MINUTE);

  async function createThrottle() {
    const knex = await databases.init(databaseId);
    const store = await DatabaseLocalAuthStore.create({
      database: mockServices.database({ knex }),
    });
    // Two throttles on one database stand for two backend instances.
    const policies = {
      account: {
        maxFailures: 3,
        windowMs: 10 * MINUTE,
        durationMs: 15 * MINUTE,
      },
      ip: { maxFailures: 5, windowMs: 10 * MINUTE, durationMs: 30 * MINUTE },
    };
    return [
      LoginThrottle.create({ store, policies }),
      LoginThrottle.create({ store, policies }),
    ];
  }

  it('locks an account out after the maximum failures within the window, on every instance', async () => {
    const [one, two] = await createThrottle();
    const attempt = { username: 'anil', ip: '198.51.100.1' };

    await one.recordFailure(attempt, at(0));
    await two.recordFailure(attempt, at(1));
    expect(await one.lockedUntil(attempt, at(1))).toBeUndefined();
    await one.recordFailure(attempt, at(2));

    expect(await two.lockedUntil(attempt, at(2))).toEqual(at(17));
    // The same name from another address is locked too.
    expect(
      await two.lockedUntil({ username: 'anil', ip: '198.51.100.2' }, at(3)),
    ).toEqual(at(17));
    expect(await one.lockedUntil(attempt, at(17))).toBeUndefined();
  });

  it('does not lock when the failures are spread beyond the window', async () => {
    const [throttle] = await createThrottle();
    const attempt = { username: 'anil', ip: '198.51.100.1' };

    await throttle.recordFailure(attempt, at(0));
    await throttle.recordFailure(attempt, at(6));
    await throttle.recordFailure(attempt, at(12));

    expect(await throttle.lockedUntil(attempt, at(12))).toBeUndefined();
  });

  it('locks an address out after failures across many user names', async () => {
    const [throttle] = await createThrottle();
    for (let i = 0; i < 5; i++) {
      await throttle.recordFailure(
        { username: `user${i}`, ip: '198.51.100.1' },
        at(i),
      );
    }

    expect(
      await throttle.lockedUntil(
        { username: 'anil', ip: '198.51.100.1' },
        at(5),
      ),
    ).toEqual(at(34));
    expect(
      await throttle.lockedUntil(
        { username: 'anil', ip: '198.51.100.2' },
        at(5),
      ),
    ).toBeUndefined();
  });

  it('forgets the account failures on success but keeps the address count', async () => {
    const [throttle] = await createThrottle();
    const attempt = { username: 'anil', ip: '198.51.100.1' };
    await throttle.recordFailure(attempt, at(0));
    await throttle.recordFailure(attempt, at(1));
    await throttle.recordSuccess(attempt);
    await throttle.recordFailure(attempt, at(2));
    await throttle.recordFailure(attempt, at(3));

    expect(await throttle.lockedUntil(attempt, at(3))).toBeUndefined();

    // Two earlier plus two now plus one more reach the address limit of 5.
    await throttle.recordFailure(
      { username: 'priya', ip: '198.51.100.1' },
      at(4),
    );
    expect(
      await throttle.lockedUntil(
        { username: 'mei', ip: '198.51.100.1' },
        at(4),
      ),
    ).toEqual(at(34));
  });

  it('starts counting afresh after a lockout ends', async () => {
    const [throttle] = await createThrottle();
    const attempt = { username: 'anil', ip: '198.51.100.1' };
    for (let i = 0; i < 3; i++) {
      await throttle.recordFailure(attempt, at(i));
    }
    expect(await throttle.lockedUntil(attempt, at(2))).toEqual(at(17));

    await throttle.recordFailure(attempt, at(18));
    expect(await throttle.lockedUntil(attempt, at(18))).toBeUndefined();
  });
});
