import { InputError } from '@backstage/errors';

// C0 and C1 control characters (NUL, line breaks, escape…) and the Unicode
// direction overrides that make `report\u202Evsc.exe` display as `report.csv`.
const UNSAFE_CHARACTERS =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/**
 * Checks the name an uploader gave their file. It is stored and later sent
 * back in `Content-Disposition`, so anything that could act as a path or
 * confuse a terminal or browser is refused rather than silently rewritten.
 */
export function validateFilename(filename: string | undefined): string {
  const name = filename ?? '';
  const reject = (why: string) =>
    new InputError(
      `The file name ${JSON.stringify(name)} is not allowed: ${why}`,
    );
  if (!name.trim()) {
    throw new InputError('The uploaded file has no name');
  }
  if (UNSAFE_CHARACTERS.test(name)) {
    throw reject('it contains NUL, control or text-direction characters');
  }
  if (/[/\\]/.test(name)) {
    throw reject(
      'it contains a path separator (/ or \\); send the bare file name',
    );
  }
  if (name === '.' || name === '..') {
    throw reject('it is a directory reference');
  }
  if (name.length > 255) {
    throw reject('it is longer than 255 characters');
  }
  return name;
}
