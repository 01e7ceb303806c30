import { createHash, Hash } from 'node:crypto';
import { BlobPutOptions } from '@dataflex/backstage-plugin-dataflex-node';
import { isDigest } from './assertDigest';

/**
 * The digest of one put's content: hashed here chunk by chunk, unless the
 * caller supplies it ({@link BlobPutOptions.digest}). Then only the bytes
 * are counted, and the supplied size must match them.
 */
export class PutDigest {
  private readonly hash: Hash | undefined;
  private bytes = 0;

  constructor(private readonly supplied: BlobPutOptions['digest']) {
    this.hash = supplied ? undefined : createHash('sha256');
  }

  get size(): number {
    return this.bytes;
  }

  update(chunk: Buffer): void {
    this.hash?.update(chunk);
    this.bytes += chunk.length;
  }

  /** The content's hex SHA-256; call once, after the last chunk. */
  async sha256(): Promise<string> {
    if (!this.supplied) {
      return this.hash!.digest('hex');
    }
    const { sha256, size } = await this.supplied();
    if (size !== this.bytes) {
      throw new Error(
        `The supplied digest is of ${size} bytes, but the store received ${this.bytes}`,
      );
    }
    if (!isDigest(sha256)) {
      throw new Error(
        `The supplied digest '${sha256}' is not a lowercase hex SHA-256`,
      );
    }
    return sha256;
  }
}
