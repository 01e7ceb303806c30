/* eslint-disable jest/no-export -- a shared suite that test files run against each store */
import { createHash, randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  BlobListing,
  BlobStore,
  BlobSweepResult,
} from '@dataflex/backstage-plugin-dataflex-node';

/** What puts left besides blobs: temporary objects and unfinished uploads. */
export interface BlobStoreLeftovers {
  tempObjects: number;
  unfinishedUploads: number;
}

/** What {@link BlobStoreContractSubject.crashPuts} left. */
export interface CrashedPuts {
  /** What a sweep should report. */
  sweep: BlobSweepResult;
  /** Digests of content the crashed puts stored completely, to be kept. */
  stored: string[];
}

/** A store under test, with what the contract needs to look behind it. */
export interface BlobStoreContractSubject {
  store: BlobStore;
  /**
   * Leaves the store exactly as processes killed in the middle of puts
   * would, and returns what a sweep should then report and keep.
   */
  crashPuts(): Promise<CrashedPuts>;
  leftovers(): Promise<BlobStoreLeftovers>;
  dispose(): Promise<void>;
}

const MiB = 1024 * 1024;
const NOTHING_LEFT: BlobStoreLeftovers = {
  tempObjects: 0,
  unfinishedUploads: 0,
};

export const sha256Of = (content: string | Buffer) =>
  createHash('sha256').update(content).digest('hex');

/** Streams a buffer in chunks, as a network upload would arrive. */
export function chunked(content: Buffer, chunkSize = MiB): Readable {
  return Readable.from(
    (function* chunks() {
      for (let i = 0; i < content.length; i += chunkSize) {
        yield content.subarray(i, i + chunkSize);
      }
    })(),
  );
}

async function listAll(store: BlobStore): Promise<BlobListing[]> {
  const listed: BlobListing[] = [];
  for await (const blob of store.list()) {
    listed.push(blob);
  }
  return listed.sort((a, b) => a.sha256.localeCompare(b.sha256));
}

/**
 * The behaviour every BlobStore implementation must show. Call inside a
 * `describe` block; `create` returns a fresh, empty store for each test.
 */
export function blobStoreContract(
  create: () => Promise<BlobStoreContractSubject>,
): void {
  let subject: BlobStoreContractSubject;
  let store: BlobStore;

  beforeEach(async () => {
    subject = await create();
    store = subject.store;
  });

  afterEach(async () => {
    await subject.dispose();
  });

  it('stores a stream under its SHA-256 and reads it back', async () => {
    const content = 'id,name\n1,Ada\n2,Grace\n';

    const stored = await store.put(
      Readable.from([content.slice(0, 5), content.slice(5)]),
    );

    expect(stored).toEqual({
      sha256: sha256Of(content),
      size: content.length,
      created: true,
    });
    expect(await store.has(stored.sha256)).toBe(true);
    expect((await buffer(await store.open(stored.sha256))).toString()).toBe(
      content,
    );
    expect(await subject.leftovers()).toEqual(NOTHING_LEFT);
  });

  it('streams content larger than one upload part byte for byte', async () => {
    const content = randomBytes(11 * MiB + 123);

    const stored = await store.put(chunked(content, 64 * 1024));

    expect(stored).toEqual({
      sha256: sha256Of(content),
      size: content.length,
      created: true,
    });
    const readBack = await buffer(await store.open(stored.sha256));
    expect(sha256Of(readBack)).toBe(stored.sha256);
    expect(await subject.leftovers()).toEqual(NOTHING_LEFT);
  });

  it('stores empty content', async () => {
    const stored = await store.put(Readable.from([]));

    expect(stored).toEqual({ sha256: sha256Of(''), size: 0, created: true });
    expect((await buffer(await store.open(stored.sha256))).length).toBe(0);
    expect(
      (await buffer(await store.open(stored.sha256, { start: 0 }))).length,
    ).toBe(0);
  });

  it('writes identical content once', async () => {
    const first = await store.put(Readable.from(['same bytes']));
    const [before] = await listAll(store);

    const second = await store.put(Readable.from(['same', ' bytes']));

    expect(first.created).toBe(true);
    expect(second).toEqual({ ...first, created: false });
    // No new object: the stored one is untouched.
    expect(await listAll(store)).toEqual([before]);
    expect(await subject.leftovers()).toEqual(NOTHING_LEFT);
  });

  it('stores content once when two puts of it race, and leaves nothing else', async () => {
    const content = randomBytes(6 * MiB + 5);

    const results = await Promise.all([
      store.put(chunked(content)),
      store.put(chunked(content, 256 * 1024)),
    ]);

    for (const result of results) {
      expect(result).toMatchObject({
        sha256: sha256Of(content),
        size: content.length,
      });
    }
    expect(results.some(r => r.created)).toBe(true);
    expect((await listAll(store)).map(b => b.sha256)).toEqual([
      sha256Of(content),
    ]);
    expect(sha256Of(await buffer(await store.open(sha256Of(content))))).toBe(
      sha256Of(content),
    );
    expect(await subject.leftovers()).toEqual(NOTHING_LEFT);
  });

  it('reads inclusive byte ranges, clamped to the content', async () => {
    const { sha256 } = await store.put(Readable.from(['0123456789']));
    const read = async (start: number, end?: number) =>
      (await buffer(await store.open(sha256, { start, end }))).toString();

    expect(await read(2, 4)).toBe('234');
    expect(await read(0, 0)).toBe('0');
    expect(await read(7)).toBe('789');
    expect(await read(8, 100)).toBe('89');
    expect(await read(10)).toBe('');
  });

  it('refuses ranges that make no sense', async () => {
    const { sha256 } = await store.put(Readable.from(['0123456789']));

    await expect(store.open(sha256, { start: -1 })).rejects.toThrow(InputError);
    await expect(store.open(sha256, { start: 5, end: 2 })).rejects.toThrow(
      InputError,
    );
    await expect(store.open(sha256, { start: 1.5 })).rejects.toThrow(
      InputError,
    );
  });

  it('deletes content, and deleting twice is fine', async () => {
    const { sha256 } = await store.put(Readable.from(['to delete']));

    await store.delete(sha256);
    await store.delete(sha256);

    expect(await store.has(sha256)).toBe(false);
    await expect(store.open(sha256)).rejects.toThrow(NotFoundError);
    await expect(store.open(sha256)).rejects.toThrow(/No stored content/);
    expect(await listAll(store)).toEqual([]);
  });

  it('rejects addresses that are not digests, so keys cannot escape the store', async () => {
    for (const address of [
      '../../etc/passwd',
      `${sha256Of('x')}/../x`,
      sha256Of('x').toUpperCase(),
      '',
    ]) {
      await expect(store.open(address)).rejects.toThrow(/not a SHA-256 digest/);
      await expect(store.has(address)).rejects.toThrow(/not a SHA-256 digest/);
      await expect(store.delete(address)).rejects.toThrow(
        /not a SHA-256 digest/,
      );
    }
  });

  it('leaves nothing behind when the source stream fails', async () => {
    const partial = randomBytes(6 * MiB);
    async function* failing() {
      yield partial;
      throw new Error('client went away');
    }

    await expect(store.put(Readable.from(failing()))).rejects.toThrow(
      'client went away',
    );

    expect(await store.has(sha256Of(partial))).toBe(false);
    expect(await listAll(store)).toEqual([]);
    expect(await subject.leftovers()).toEqual(NOTHING_LEFT);
  });

  it('stores content under a digest its caller supplies once the content has ended', async () => {
    const content = randomBytes(6 * MiB + 7);
    const source = chunked(content);
    const endedWhenAsked: boolean[] = [];

    const stored = await store.put(source, {
      digest: async () => {
        endedWhenAsked.push(source.readableEnded);
        return { sha256: sha256Of(content), size: content.length };
      },
    });

    expect(endedWhenAsked).toEqual([true]);
    expect(stored).toEqual({
      sha256: sha256Of(content),
      size: content.length,
      created: true,
    });
    expect(sha256Of(await buffer(await store.open(stored.sha256)))).toBe(
      stored.sha256,
    );
    expect(await subject.leftovers()).toEqual(NOTHING_LEFT);
  });

  it('refuses a supplied digest of another size than the content, keeping nothing', async () => {
    const content = randomBytes(6 * MiB);
    const shorter = content.subarray(1);

    await expect(
      store.put(chunked(content), {
        digest: async () => ({
          sha256: sha256Of(shorter),
          size: shorter.length,
        }),
      }),
    ).rejects.toThrow(
      `The supplied digest is of ${shorter.length} bytes, but the store received ${content.length}`,
    );

    expect(await listAll(store)).toEqual([]);
    expect(await subject.leftovers()).toEqual(NOTHING_LEFT);
  });

  it('keeps nothing when the supplied digest fails', async () => {
    await expect(
      store.put(chunked(randomBytes(6 * MiB)), {
        digest: async () => {
          throw new Error('the inspection failed');
        },
      }),
    ).rejects.toThrow('the inspection failed');

    expect(await listAll(store)).toEqual([]);
    expect(await subject.leftovers()).toEqual(NOTHING_LEFT);
  });

  it('lists every stored blob with its size and modification time', async () => {
    const contents = ['a', 'bb', 'ccc'];
    const startedAt = Date.now();
    for (const content of contents) {
      await store.put(Readable.from([content]));
    }

    const listed = await listAll(store);

    expect(listed.map(({ sha256, size }) => ({ sha256, size }))).toEqual(
      contents
        .map(c => ({ sha256: sha256Of(c), size: c.length }))
        .sort((a, b) => a.sha256.localeCompare(b.sha256)),
    );
    for (const { lastModified } of listed) {
      expect(lastModified).toBeInstanceOf(Date);
      // Stores keep second precision at worst.
      expect(lastModified.getTime()).toBeGreaterThanOrEqual(startedAt - 1000);
    }
  });

  it('sweeps what crashed puts left once it is older than the cutoff, and nothing else', async () => {
    const kept = await store.put(Readable.from(['a blob to keep']));

    const { sweep: expected, stored } = await subject.crashPuts();
    const blobs = [kept.sha256, ...stored].sort();
    const left = await subject.leftovers();
    expect(left.tempObjects).toBeGreaterThan(0);
    expect(left.unfinishedUploads).toBe(expected.abortedUploads);
    expect((await listAll(store)).map(b => b.sha256)).toEqual(blobs);

    // Fresh leftovers may belong to puts still running.
    expect(
      await store.sweep({ olderThan: new Date(Date.now() - 60_000) }),
    ).toEqual({ abortedUploads: 0, removedTempObjects: 0 });
    expect(await subject.leftovers()).toEqual(left);

    expect(
      await store.sweep({ olderThan: new Date(Date.now() + 60_000) }),
    ).toEqual(expected);
    expect(await subject.leftovers()).toEqual(NOTHING_LEFT);
    expect((await listAll(store)).map(b => b.sha256)).toEqual(blobs);
    expect((await buffer(await store.open(kept.sha256))).toString()).toBe(
      'a blob to keep',
    );
    for (const sha256 of stored) {
      expect(sha256Of(await buffer(await store.open(sha256)))).toBe(sha256);
    }

    expect(
      await store.sweep({ olderThan: new Date(Date.now() + 60_000) }),
    ).toEqual({ abortedUploads: 0, removedTempObjects: 0 });
  });

  it('passes its health check and leaves no probe behind', async () => {
    await expect(store.check()).resolves.toBeUndefined();
    expect(await subject.leftovers()).toEqual(NOTHING_LEFT);
  });
}
