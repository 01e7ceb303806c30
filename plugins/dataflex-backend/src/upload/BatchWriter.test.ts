import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BatchWriter } from './BatchWriter';

describe('BatchWriter', () => {
  /** Writes `content` cut into `chunkBytes` pieces; resolves with the batches. */
  async function batchesOf(
    content: Buffer,
    chunkBytes: number,
    batchBytes: number,
  ) {
    const batches: Buffer[] = [];
    const chunks: Buffer[] = [];
    for (let offset = 0; offset < content.length; offset += chunkBytes) {
      chunks.push(content.subarray(offset, offset + chunkBytes));
    }
    await pipeline(
      Readable.from(chunks),
      new BatchWriter({
        batchBytes,
        onBatch: async batch => {
          batches.push(batch);
        },
      }),
    );
    return batches;
  }

  it.each([
    [100, 7, 10],
    [100, 10, 10],
    [100, 33, 10],
    [1000, 64, 256],
    [1024, 1024, 256],
    [1, 1, 256],
  ])(
    'hands on %i bytes written in chunks of %i as batches of %i, in order',
    async (size, chunkBytes, batchBytes) => {
      const content = randomBytes(size);
      const batches = await batchesOf(content, chunkBytes, batchBytes);
      expect(Buffer.concat(batches).equals(content)).toBe(true);
      expect(batches.slice(0, -1).map(b => b.length)).toEqual(
        Array(batches.length - 1).fill(batchBytes),
      );
      expect(batches.length).toBe(Math.ceil(size / batchBytes));
    },
  );

  it('hands on nothing when nothing is written', async () => {
    expect(await batchesOf(Buffer.alloc(0), 1, 16)).toEqual([]);
  });

  it('never writes to a batch it has handed on', async () => {
    const kept: Array<{ batch: Buffer; copy: Buffer }> = [];
    await pipeline(
      Readable.from([Buffer.from('abcdefgh'), Buffer.from('ijklmnopqrst')]),
      new BatchWriter({
        batchBytes: 5,
        onBatch: async batch => {
          kept.push({ batch, copy: Buffer.from(batch) });
        },
      }),
    );
    expect(kept.map(({ batch }) => batch.toString())).toEqual([
      'abcde',
      'fghij',
      'klmno',
      'pqrst',
    ]);
    for (const { batch, copy } of kept) {
      expect(batch.equals(copy)).toBe(true);
    }
  });

  it('takes one batch at a time and holds writes back meanwhile', async () => {
    let pending = 0;
    let mostPending = 0;
    const batches: string[] = [];
    const releases: Array<() => void> = [];
    const writer = new BatchWriter({
      batchBytes: 8,
      onBatch: batch => {
        batches.push(batch.toString());
        pending += 1;
        mostPending = Math.max(mostPending, pending);
        return new Promise(resolve => {
          releases.push(() => {
            pending -= 1;
            resolve();
          });
        });
      },
    });
    const settle = () => new Promise(resolve => setImmediate(resolve));
    expect(writer.write(Buffer.from('abcd'))).toBe(true);
    // A batch's worth written and not yet taken: the writer asks to wait.
    expect(writer.write(Buffer.from('efgh'))).toBe(false);
    await settle();
    expect(batches).toEqual(['abcdefgh']);
    writer.write(Buffer.from('ijklmnop'));
    writer.write(Buffer.from('qr'));
    const finished = new Promise(resolve => writer.end(resolve));
    await settle();
    expect(batches).toEqual(['abcdefgh']);
    while (releases.length > 0) {
      releases.shift()!();
      await settle();
    }
    await finished;
    expect(batches).toEqual(['abcdefgh', 'ijklmnop', 'qr']);
    expect(mostPending).toBe(1);
  });

  it('fails with the error of a batch that could not be handed on', async () => {
    const failure = new Error('the consumer is gone');
    await expect(
      pipeline(
        Readable.from([Buffer.from('abcdefgh')]),
        new BatchWriter({
          batchBytes: 4,
          onBatch: () => Promise.reject(failure),
        }),
      ),
    ).rejects.toBe(failure);
  });
});
