import { CustomErrorBase } from '@backstage/errors';

// The Backstage error handler answers with an error's `statusCode` when it has
// one, so these carry the HTTP statuses @backstage/errors has no class for.

/** The content is larger than an upload limit or the uploader's quota (413). */
export class PayloadTooLargeError extends CustomErrorBase {
  name = 'PayloadTooLargeError' as const;
  readonly statusCode = 413;
}

/** The request or the detected content format is not accepted (415). */
export class UnsupportedMediaTypeError extends CustomErrorBase {
  name = 'UnsupportedMediaTypeError' as const;
  readonly statusCode = 415;
}

/** The content is in an accepted format but malformed (422). */
export class UnprocessableContentError extends CustomErrorBase {
  name = 'UnprocessableContentError' as const;
  readonly statusCode = 422;
}

/** The caller has run too many requests of a kind in a short time (429). */
export class TooManyRequestsError extends CustomErrorBase {
  name = 'TooManyRequestsError' as const;
  readonly statusCode = 429;
}
