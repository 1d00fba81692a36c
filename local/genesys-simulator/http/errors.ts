import { randomUUID } from 'node:crypto';

/** A Platform API error answer: status, Genesys's `code` and message, extra headers (e.g. `Retry-After`). */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
    /** more `ErrorBody` fields, e.g. the `limit` a 429 names */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }

  toBody() {
    return { ...errorBody(this.status, this.code, this.message), ...this.extra };
  }
}

/** Genesys's `ErrorBody`. */
export function errorBody(status: number, code: string, message: string) {
  return { message, code, status, contextId: randomUUID(), details: [], errors: [] };
}

export const badRequest = (message: string) => new HttpError(400, 'bad.request', message);
export const notFound = (message: string) => new HttpError(404, 'not.found', message);
