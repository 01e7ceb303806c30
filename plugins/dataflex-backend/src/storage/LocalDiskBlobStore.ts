import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, Stats } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { NotFoundError } from '@backstage/errors';
import {
  BlobListing,
  BlobPutOptions,
  BlobRange,
  BlobStore,
  BlobSweepOptions,
  BlobSweepResult,
  StoredBlob,
} from '@dataflex/backstage-plugin-dataflex-node';
import { assertDigest, assertRange, isDigest } from './assertDigest';
import { PutDigest } from './PutDigest';

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

  async put(content: Readable, options?: BlobPutOptions): Promise<StoredBlob> {
    const tmpFile = path.join(this.tmpDir, `${randomUUID()}.part`);
    const digest = new PutDigest(options?.digest);
    const measure = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        digest.update(chunk);
        callback(undefined, chunk);
      },
    });

    try {
      await pipeline(
        content,
        measure,
        createWriteStream(tmpFile, { flags: 'wx' }),
      );
      const sha256 = await digest.sha256();
      const size = digest.size;
      // The rename below must not reach the disk before the bytes do, or a
      // power loss could leave a truncated blob under its address.
      await fsync(tmpFile);
      const target = this.pathOf(sha256);
      if (await exists(target)) {
        await fs.rm(tmpFile, { force: true });
        return { sha256, size, created: false };
      }
      await fs.mkdir(path.dirname(target), { recursive: true });
      await fs.rename(tmpFile, target);
      await fsync(path.dirname(target));
      return { sha256, size, created: true };
    } catch (error) {
      await fs.rm(tmpFile, { force: true });
      throw error;
    }
  }

  async open(sha256: string, range?: BlobRange): Promise<Readable> {
    const file = this.pathOf(sha256);
    if (range) {
      assertRange(range);
    }
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
    const probe = path.join(this.tmpDir, `health-${randomUUID()}`);
    await fs.writeFile(probe, 'ok');
    await fs.rm(probe);
  }

  async *list(): AsyncIterable<BlobListing> {
    const blobsDir = path.join(this.root, 'blobs');
    for (const fanOut of await readdirIfExists(blobsDir)) {
      for (const name of await readdirIfExists(path.join(blobsDir, fanOut))) {
        if (!isDigest(name) || !name.startsWith(fanOut)) {
          continue;
        }
        const stats = await statIfExists(path.join(blobsDir, fanOut, name));
        if (stats?.isFile()) {
          yield {
            sha256: name,
            size: stats.size,
            lastModified: new Date(stats.mtimeMs),
          };
        }
      }
    }
  }

  async sweep(options: BlobSweepOptions): Promise<BlobSweepResult> {
    let removedTempObjects = 0;
    for (const name of await readdirIfExists(this.tmpDir)) {
      const file = path.join(this.tmpDir, name);
      // A put in progress keeps writing, which keeps its mtime fresh.
      const stats = await statIfExists(file);
      if (stats?.isFile() && stats.mtime < options.olderThan) {
        await fs.rm(file, { force: true });
        removedTempObjects += 1;
      }
    }
    return { abortedUploads: 0, removedTempObjects };
  }

  private get tmpDir(): string {
    return path.join(this.root, 'tmp');
  }

  private pathOf(sha256: string): string {
    assertDigest(sha256);
    // Two-character fan-out keeps directories small with many blobs.
    return path.join(this.root, 'blobs', sha256.slice(0, 2), sha256);
  }
}

async function fsync(fileOrDirectory: string): Promise<void> {
  const handle = await fs.open(fileOrDirectory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
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

async function readdirIfExists(dir: string): Promise<string[]> {
  try {
    return await fs.readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return [];
    }
    throw error;
  }
}

async function statIfExists(file: string): Promise<Stats | undefined> {
  try {
    return await fs.stat(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return undefined;
    }
    throw error;
  }
}
