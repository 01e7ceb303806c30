import { InputError } from '@backstage/errors';

/** Wraps a page position in an opaque string for `nextCursor`. */
export function encodeCursor(position: unknown): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

/**
 * Unwraps a `cursor` query parameter; `isPosition` says whether what came
 * back is a position this list could have produced.
 */
export function decodeCursor<T>(
  cursor: string,
  isPosition: (value: unknown) => value is T,
): T {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  if (!isPosition(value)) {
    throw new InputError(
      'Invalid cursor: pass the nextCursor of a previous page unchanged',
    );
  }
  return value;
}
