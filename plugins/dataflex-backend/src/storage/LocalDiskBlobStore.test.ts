import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { LocalDiskBlobStore } from './LocalDiskBlobStore';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

describe('LocalDiskBlobStore', () => {
  let dir: string;
  let store: LocalDiskBlobStore;

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'dataflex-blobs-'));
    store = await LocalDiskBlobStore.create({ directory: dir });
  });

  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('stores a stream under its SHA-256 and reads it back', async () => {
    const content = 'id,name\n1,Ada\n2,Grace\n';

    const stored = await store.put(
      Readable.from([content.slice(0, 5), content.slice(5)]),
    );

    expect(stored).toEqual({
      sha256: sha256(content),
      size: content.length,
      created: true,
    });
    expect(await store.has(stored.sha256)).toBe(true);
    expect(await text(await store.open(stored.sha256))).toBe(content);
  });

  it('writes identical content once', async () => {
    const first = await store.put(Readable.from(['same bytes']));
    const second = await store.put(Readable.from(['same bytes']));

    expect(second).toEqual({ ...first, created: false });
    expect(await fs.readdir(path.join(dir, 'tmp'))).toEqual([]);
  });

  it('reads an inclusive byte range', async () => {
    const { sha256: digest } = await store.put(Readable.from(['0123456789']));
    expect(await text(await store.open(digest, { start: 2, end: 4 }))).toBe(
      '234',
    );
  });

  it('leaves nothing behind when the source stream fails', async () => {
    async function* failing() {
      yield 'partial data';
      throw new Error('client went away');
    }

    await expect(store.put(Readable.from(failing()))).rejects.toThrow(
      'client went away',
    );
    expect(await fs.readdir(path.join(dir, 'tmp'))).toEqual([]);
    expect(await store.has(sha256('partial data'))).toBe(false);
  });

  it('deletes content, and deleting twice is fine', async () => {
    const { sha256: digest } = await store.put(Readable.from(['to delete']));
    await store.delete(digest);
    await store.delete(digest);
    expect(await store.has(digest)).toBe(false);
    await expect(store.open(digest)).rejects.toThrow(/No stored content/);
  });

  it('rejects addresses that are not digests, so paths cannot escape the store', async () => {
    await expect(store.open('../../etc/passwd')).rejects.toThrow(
      /not a SHA-256 digest/,
    );
  });

  it('passes its health check when the directory is writable, fails otherwise', async () => {
    await expect(store.check()).resolves.toBeUndefined();
    await fs.rm(dir, { recursive: true, force: true });
    await expect(store.check()).rejects.toThrow();
  });
});
