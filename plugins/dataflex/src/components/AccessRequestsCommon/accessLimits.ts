/**
 * Bounds the DataFlex API puts on access requests, decisions and grants (the
 * `maxLength`s of its OpenAPI spec, counted in characters after trimming), so
 * the forms can say so before anything is sent.
 */
export const ACCESS_LIMITS = {
  justificationMaxLength: 2000,
  fieldMaxLength: 1000,
  reasonMaxLength: 2000,
} as const;
