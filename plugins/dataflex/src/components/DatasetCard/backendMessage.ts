interface BackendError extends Error {
  statusCode?: number;
  body?: { error?: { message?: string } };
}

/**
 * The message the backend gave for a failed request; `ResponseError` keeps
 * it in its body while its own message only names the status.
 */
export function backendMessage(error: Error): string {
  return (error as BackendError).body?.error?.message || error.message;
}

/** The HTTP status of a failed request, when there was one. */
export function errorStatus(error: Error): number | undefined {
  return (error as BackendError).statusCode;
}
