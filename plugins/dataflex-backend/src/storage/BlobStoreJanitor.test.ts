import fs from 'node:fs/promises';
import path from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { BlobStoreJanitor } from './BlobStoreJanitor';
import { createLocalDiskSubject } from './__testUtils__/blobStoreSubjects';

describe('BlobStoreJanitor', () => {
  let subject: Awaited<ReturnType<typeof createLocalDiskSubject>>;

  beforeEach(async () => {
    subject = await createLocalDiskSubject();
  });

  afterEach(async () => {
    await subject.dispose();
  });

  function janitorFor(janitorConfig?: object) {
    const scheduler = mockServices.scheduler.mock();
    const janitor = BlobStoreJanitor.fromConfig(
      new ConfigReader({ dataflex: { storage: { janitor: janitorConfig } } }),
      {
        blobStore: subject.store,
        scheduler,
        logger: mockServices.logger.mock(),
      },
    );
    return { janitor, scheduler };
  }

  async function tempFileAged(name: string, ageMs: number) {
    const file = path.join(subject.directory, 'tmp', name);
    await fs.writeFile(file, 'left behind');
    const time = new Date(Date.now() - ageMs);
    await fs.utimes(file, time, time);
  }

  it('schedules a global sweep every 15 minutes that removes leftovers idle for over an hour', async () => {
    const { janitor, scheduler } = janitorFor();
    await janitor.start();

    expect(scheduler.scheduleTask).toHaveBeenCalledWith(
      expect.objectContaining({
        id: 'dataflex-blob-store-janitor',
        scope: 'global',
        frequency: { minutes: 15 },
        timeout: { minutes: 15 },
      }),
    );

    await tempFileAged('abandoned.part', 61 * 60 * 1000);
    await tempFileAged('recent.part', 59 * 60 * 1000);
    const { fn } = scheduler.scheduleTask.mock.calls[0][0];
    await (fn as () => Promise<void>)();

    expect(await fs.readdir(path.join(subject.directory, 'tmp'))).toEqual([
      'recent.part',
    ]);
  });

  it('reads frequency and grace period from config, as objects or strings', async () => {
    const { janitor, scheduler } = janitorFor({
      frequency: { hours: 2 },
      gracePeriod: '10m',
    });
    await janitor.start();
    expect(scheduler.scheduleTask).toHaveBeenCalledWith(
      expect.objectContaining({ frequency: { hours: 2 } }),
    );

    await tempFileAged('abandoned.part', 11 * 60 * 1000);
    await tempFileAged('recent.part', 9 * 60 * 1000);

    expect(await janitor.sweep()).toEqual({
      abortedUploads: 0,
      removedTempObjects: 1,
    });
  });

  it('refuses a grace period of zero, which would sweep running uploads', () => {
    expect(() => janitorFor({ gracePeriod: { minutes: 0 } })).toThrow(
      'Invalid config at dataflex.storage.janitor.gracePeriod',
    );
  });

  it('names the key of a malformed duration', () => {
    expect(() => janitorFor({ frequency: 'often' })).toThrow(
      "Invalid duration 'often' in config at 'dataflex.storage.janitor.frequency'",
    );
  });
});
