import { InputError, NotFoundError } from '@backstage/errors';
import { BlobRange } from '@dataflex/backstage-plugin-dataflex-node';

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * Throws unless `sha256` is a lowercase hex SHA-256 digest. Stores build
 * file paths and object keys from digests, so nothing else may get through.
 */
export function assertDigest(sha256: string): void {
  if (!SHA256_HEX.test(sha256)) {
    throw new NotFoundError(`'${sha256}' is not a SHA-256 digest`);
  }
}

/** True for a lowercase hex SHA-256 digest. */
export function isDigest(name: string): boolean {
  return SHA256_HEX.test(name);
}

/** Throws an `InputError` for a range no store could serve. */
export function assertRange(range: BlobRange): void {
  const { start, end } = range;
  if (!Number.isSafeInteger(start) || start < 0) {
    throw new InputError(
      `Invalid byte range: start must be a non-negative integer, got ${start}`,
    );
  }
  if (end !== undefined && (!Number.isSafeInteger(end) || end < start)) {
    throw new InputError(
      `Invalid byte range: end must be an integer no smaller than start (${start}), got ${end}`,
    );
  }
}
