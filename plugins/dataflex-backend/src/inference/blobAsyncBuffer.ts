import { buffer } from 'node:stream/consumers';
import { BlobStore } from '@dataflex/backstage-plugin-dataflex-node';
import type { AsyncBuffer } from 'hyparquet';
import { UnprocessableContentError } from '../service/errors';

/**
 * Presents stored content to hyparquet as an `AsyncBuffer` that fetches only
 * the byte ranges hyparquet asks for. `budgetBytes` caps the total read, so
 * a file with an unusually large footer or row group cannot make one request
 * pull it all into memory.
 */
export function blobAsyncBuffer(options: {
  blobStore: BlobStore;
  sha256: string;
  size: number;
  budgetBytes: number;
}): AsyncBuffer {
  const { blobStore, sha256, size, budgetBytes } = options;
  let spent = 0;
  return {
    byteLength: size,
    async slice(start: number, end: number = size): Promise<ArrayBuffer> {
      const from = Math.max(0, start);
      const to = Math.min(size, end);
      if (to <= from) {
        return new ArrayBuffer(0);
      }
      spent += to - from;
      if (spent > budgetBytes) {
        throw new UnprocessableContentError(
          `Reading this Parquet file needs more than ${budgetBytes} bytes at once; its footer or first row group is too large`,
        );
      }
      const bytes = await buffer(
        await blobStore.open(sha256, { start: from, end: to - 1 }),
      );
      return bytes.buffer.slice(
        bytes.byteOffset,
        bytes.byteOffset + bytes.byteLength,
      ) as ArrayBuffer;
    },
  };
}
