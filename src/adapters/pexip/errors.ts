/**
 * Typed failures of the Pexip management API. The orchestration decides from `retryable` alone:
 * a retryable error may succeed if the same call is made again later (network trouble, 5xx, 429),
 * a permanent one will not (bad request, auth refused, a persistent room).
 */
export type PexipErrorCode =
  | 'network'
  | 'timeout'
  | 'server_error'
  | 'rate_limited'
  | 'unauthorized'
  | 'not_found'
  | 'bad_request'
  | 'conflict'
  | 'persistent_room'
  | 'not_owned'
  | 'invalid_response'
  | 'not_configured';

export class PexipError extends Error {
  override readonly name = 'PexipError';
  constructor(
    readonly code: PexipErrorCode,
    message: string,
    readonly retryable: boolean,
    readonly status?: number,
    /** seconds the server asked us to wait (429 Retry-After) */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

export function isRetryablePexipError(error: unknown): boolean {
  return error instanceof PexipError && error.retryable;
}
