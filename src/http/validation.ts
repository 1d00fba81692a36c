import type { z } from 'zod';
import { problem, type ApiRequest, type ApiResponse } from './types';

type Where = 'query' | 'body' | 'path' | 'header';

/** 400 problem+json naming every offending field (RFC 9457 `invalid-params` extension). */
export function invalidInput(error: z.ZodError, where: Where): ApiResponse {
  const params = error.issues.map((issue) => ({ name: issue.path.join('.') || where, reason: issue.message }));
  const first = params[0]!;
  return problem(400, 'invalid-input', 'The request is invalid', `${where} field "${first.name}": ${first.reason}`, {
    'invalid-params': params,
  });
}

/** 400 problem+json naming one field; `type` defaults to `invalid-input`. */
export function invalidParam(where: Where, name: string, reason: string, type = 'invalid-input', title = 'The request is invalid'): ApiResponse {
  return problem(400, type, title, `${where} field "${name}": ${reason}`, { 'invalid-params': [{ name, reason }] });
}

/**
 * Checks a path or query value against an id allow-list (src/contracts/ids.ts); a 400 naming
 * the parameter when it does not fit. The value is never echoed back.
 */
export function checkId(schema: z.ZodType<string>, value: string | undefined | null, name: string, where: Where = 'path'): ApiResponse | undefined {
  const parsed = schema.safeParse(value ?? '');
  if (parsed.success) return undefined;
  return invalidParam(where, name, parsed.error.issues[0]?.message ?? 'is invalid');
}

/**
 * Body limits, checked before a body is parsed. The Functions adapter reads at most
 * `MAX_READ_BYTES` of any body (src/functions/adapt.ts), so a route's own limit is always the one
 * that answers; on Azure the Functions host's own limit (100 MB unless
 * `FUNCTIONS_REQUEST_BODY_SIZE_LIMIT` says otherwise) applies before either.
 */
export const JSON_BODY_MAX_BYTES = 64 * 1024;
export const BULK_BODY_MAX_BYTES = 1024 * 1024;
export const MAX_READ_BYTES = BULK_BODY_MAX_BYTES;

/** 413 problem+json when the declared or actual body is over `maxBytes`; undefined when it fits. */
export function bodyTooLarge(request: Pick<ApiRequest, 'header' | 'body'>, maxBytes: number): ApiResponse | undefined {
  const declared = Number(request.header('content-length') ?? '0');
  const actual = request.body === undefined ? 0 : Buffer.byteLength(request.body, 'utf8');
  if ((Number.isFinite(declared) && declared > maxBytes) || actual > maxBytes) {
    return problem(413, 'payload-too-large', 'The request body is too large', `body: at most ${maxBytes} bytes`, {
      'invalid-params': [{ name: 'body', reason: `at most ${maxBytes} bytes` }],
    });
  }
  return undefined;
}

/** Parses a JSON body; undefined text parses as `{}` so optional bodies may be omitted. */
export function parseJsonBody(text: string | undefined): { ok: true; value: unknown } | { ok: false; response: ApiResponse } {
  if (text === undefined || text.trim() === '') return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, response: invalidParam('body', 'body', 'is not valid JSON', 'invalid-json', 'The request body is not valid JSON') };
  }
}
