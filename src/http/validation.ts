import type { z } from 'zod';
import { problem, type ApiResponse } from './types';

/** 400 problem+json naming every offending field (RFC 9457 `invalid-params` extension). */
export function invalidInput(error: z.ZodError, where: 'query' | 'body' | 'path'): ApiResponse {
  const params = error.issues.map((issue) => ({ name: issue.path.join('.') || where, reason: issue.message }));
  const first = params[0]!;
  return problem(400, 'invalid-input', 'The request is invalid', `${where} field "${first.name}": ${first.reason}`, {
    'invalid-params': params,
  });
}

/** Parses a JSON body; undefined text parses as `{}` so optional bodies may be omitted. */
export function parseJsonBody(text: string | undefined): { ok: true; value: unknown } | { ok: false; response: ApiResponse } {
  if (text === undefined || text.trim() === '') return { ok: true, value: {} };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false, response: problem(400, 'invalid-json', 'The request body is not valid JSON') };
  }
}
