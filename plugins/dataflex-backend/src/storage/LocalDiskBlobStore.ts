import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { NotFoundError } from '@backstage/errors';
import {
  BlobRange,
  BlobStore,
  StoredBlob,
} from '@dataflex/backstage-plugin-dataflex-node';

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * Stores blobs as files named by their SHA-256 under one directory. Content is
 * streamed to a temporary file in the same directory and renamed into place
 * once complete, so a crash never leaves a partial blob under its address.
 */
export class LocalDiskBlobStore implements BlobStore {
  readonly kind = 'local';

  static async create(options: {
    directory: string;
  }): Promise<LocalDiskBlobStore> {
    const root = path.resolve(options.directory);
    await fs.mkdir(path.join(root, 'tmp'), { recursive: true });
    return new LocalDiskBlobStore(root);
  }

  private constructor(private readonly root: string) {}

  async put(content: Readable): Promise<StoredBlob> {
    const tmpFile = path.join(this.root, 'tmp', `${randomUUID()}.part`);
    const hash = createHash('sha256');
    let size = 0;
    const measure = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        hash.update(chunk);
        size += chunk.length;
        callback(undefined, chunk);
      },
    });

    try {
      await pipeline(
        content,
        measure,
        createWriteStream(tmpFile, { flags: 'wx' }),
      );
      const sha256 = hash.digest('hex');
      const target = this.pathOf(sha256);
      if (await exists(target)) {
        await fs.rm(tmpFile, { force: true });
        return { sha256, size, created: false };
      }
      await fs.mkdir(path.dirname(target), { recursive: true });
      await fs.rename(tmpFile, target);
      return { sha256, size, created: true };
    } catch (error) {
      await fs.rm(tmpFile, { force: true });
      throw error;
    }
  }

  async open(sha256: string, range?: BlobRange): Promise<Readable> {
    const file = this.pathOf(sha256);
    if (!(await exists(file))) {
      throw new NotFoundError(`No stored content with digest ${sha256}`);
    }
    return createReadStream(
      file,
      range ? { start: range.start, end: range.end } : {},
    );
  }

  async has(sha256: string): Promise<boolean> {
    return exists(this.pathOf(sha256));
  }

  async delete(sha256: string): Promise<void> {
    await fs.rm(this.pathOf(sha256), { force: true });
  }

  async check(): Promise<void> {
    const probe = path.join(this.root, 'tmp', `health-${randomUUID()}`);
    await fs.writeFile(probe, 'ok');
    await fs.rm(probe);
  }

  private pathOf(sha256: string): string {
    if (!SHA256_HEX.test(sha256)) {
      throw new NotFoundError(`'${sha256}' is not a SHA-256 digest`);
    }
    // Two-character fan-out keeps directories small with many blobs.
    return path.join(this.root, 'blobs', sha256.slice(0, 2), sha256);
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file);
    return true;
  } catch {
    return false;
  }
}
