import type { IncomingMessage } from 'node:http';
import { HttpError } from './errors';

const MAX_BODY_BYTES = 1024 * 1024;

/** Reads a request body, refusing more than 1 MiB before it is all read. */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'request.entity.too.large', 'Request too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const MALFORMED = 'The request could not be understood by the server due to malformed syntax.';

/** A JSON object body (`{}` when empty); anything else is Genesys's 400. */
export function jsonObject(body: string): Record<string, unknown> {
  const value = jsonValue(body);
  if (value === undefined) return {};
  if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  throw new HttpError(400, 'bad.request', MALFORMED);
}

/** Any JSON value (undefined when empty). */
export function jsonValue(body: string): unknown {
  if (!body) return undefined;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    throw new HttpError(400, 'bad.request', MALFORMED);
  }
}
