/**
 * Bounds of what an access request may carry, shared by the API's
 * validation and the request form.
 *
 * @public
 */
export const ACCESS_REQUEST_LIMITS = {
  /** Characters of a justification, after trimming. */
  justificationMaxLength: 2000,
  /** Characters of one answer to a dataset's own field, after trimming. */
  fieldMaxLength: 1000,
  /** Fields one Dataset may ask for. */
  maxFields: 10,
  /** Characters of a decision or revocation reason, after trimming. */
  reasonMaxLength: 2000,
} as const;

const FIELD_NAME = /^[a-z][a-z0-9]*(?:[-_][a-z0-9]+)*$/;
const FIELD_NAME_MAX_LENGTH = 40;

/**
 * Reads the `dataflex.io/access-request-fields` annotation: comma-separated
 * field names, each lower-case letters and digits with single `-` or `_`
 * between them, at most 40 characters, no repeats, at most
 * {@link ACCESS_REQUEST_LIMITS.maxFields}. Throws an error naming the
 * problem, so the catalog can report it on the entity.
 *
 * @public
 */
export function parseAccessRequestFields(value: string): string[] {
  const names = value
    .split(',')
    .map(part => part.trim())
    .filter(Boolean);
  if (names.length === 0) {
    throw new Error('must name at least one field, e.g. "purpose, project"');
  }
  if (names.length > ACCESS_REQUEST_LIMITS.maxFields) {
    throw new Error(
      `names ${names.length} fields; at most ${ACCESS_REQUEST_LIMITS.maxFields} are allowed`,
    );
  }
  const seen = new Set<string>();
  for (const name of names) {
    if (name.length > FIELD_NAME_MAX_LENGTH || !FIELD_NAME.test(name)) {
      throw new Error(
        `has an invalid field name '${name}': use lower-case letters and digits with single - or _ between them, at most ${FIELD_NAME_MAX_LENGTH} characters`,
      );
    }
    if (seen.has(name)) {
      throw new Error(`names the field '${name}' twice`);
    }
    seen.add(name);
  }
  return names;
}

/**
 * The signal channel on which the DataFlex backend announces access changes
 * to the people they concern (the dataset's owners, the requester, grantees),
 * so an open inbox or dataset page updates without polling.
 *
 * @public
 */
export const ACCESS_SIGNAL_CHANNEL = 'dataflex:access-requests';

/**
 * What a signal on {@link ACCESS_SIGNAL_CHANNEL} says: what changed, never a
 * justification or reason (the inbox fetches those for whoever may see them).
 *
 * @public
 */
export interface AccessSignal {
  [key: string]: string | undefined;
  type:
    | 'request-created'
    | 'request-decided'
    | 'request-withdrawn'
    | 'grant-created'
    | 'grant-ended';
  /** Entity ref of the dataset. */
  dataset: string;
  requestId?: string;
  grantId?: string;
  status?: string;
}
