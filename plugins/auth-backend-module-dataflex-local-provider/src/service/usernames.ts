// A local user name is the name of the catalog User it signs in as, so it
// follows the catalog's rules for entity names (lower case here, because the
// catalog compares names case-insensitively).
const USERNAME_PATTERN = /^[a-z0-9]+(?:[-_.][a-z0-9]+)*$/;
const MAX_USERNAME_LENGTH = 63;

/** Trims and lower-cases what a person typed as their user name. */
export function normalizeUsername(input: string): string {
  return input.trim().toLocaleLowerCase('en-US');
}

/** Whether a normalized user name is a valid catalog entity name. */
export function isValidUsername(username: string): boolean {
  return (
    username.length <= MAX_USERNAME_LENGTH && USERNAME_PATTERN.test(username)
  );
}
