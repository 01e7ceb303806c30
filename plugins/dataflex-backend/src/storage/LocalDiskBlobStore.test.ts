import fs from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { LocalDiskBlobStore } from './LocalDiskBlobStore';
import { sha256Of } from './__testUtils__/blobStoreContract';
import { createLocalDiskSubject } from './__testUtils__/blobStoreSubjects';

// The behaviour shared with every store is in blobStoreContract.test.ts.
describe('LocalDiskBlobStore', () => {
  let subject: Awaited<ReturnType<typeof createLocalDiskSubject>>;

  beforeEach(async () => {
    subject = await createLocalDiskSubject();
  });

  afterEach(async () => {
    await subject.dispose();
  });

  it('keeps blobs in two-character fan-out directories', async () => {
    const { sha256 } = await subject.store.put(Readable.from(['fan out']));

    expect(sha256).toBe(sha256Of('fan out'));
    await expect(
      fs.readFile(
        path.join(subject.directory, 'blobs', sha256.slice(0, 2), sha256),
        'utf8',
      ),
    ).resolves.toBe('fan out');
  });

  it('reopens an existing directory with its blobs', async () => {
    const { sha256 } = await subject.store.put(Readable.from(['persisted']));

    const reopened = await LocalDiskBlobStore.create({
      directory: subject.directory,
    });

    expect(await reopened.has(sha256)).toBe(true);
  });

  it('sweeps by modification time, so files still being written stay', async () => {
    const tmpDir = path.join(subject.directory, 'tmp');
    const stale = path.join(tmpDir, 'stale.part');
    const active = path.join(tmpDir, 'active.part');
    await fs.writeFile(stale, 'x');
    await fs.writeFile(active, 'x');
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    await fs.utimes(stale, twoHoursAgo, twoHoursAgo);

    const result = await subject.store.sweep({
      olderThan: new Date(Date.now() - 60 * 60 * 1000),
    });

    expect(result).toEqual({ abortedUploads: 0, removedTempObjects: 1 });
    expect(await fs.readdir(tmpDir)).toEqual(['active.part']);
  });

  it('fails its health check when the directory is gone', async () => {
    await fs.rm(subject.directory, { recursive: true, force: true });
    await expect(subject.store.check()).rejects.toThrow(/ENOENT/);
  });
});
