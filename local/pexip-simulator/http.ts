import type { IncomingMessage, ServerResponse } from 'node:http';

/** An answer a route gives by throwing: the server sends it as is. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(`HTTP ${status}`);
  }
}

/** status, body (JSON unless a string; '' for none), extra headers; 'stream' when the route answered itself */
export type RouteResult = [number, unknown, Record<string, string>?] | 'stream';

const MAX_BODY = 1_000_000;

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new HttpError(413, { error: 'request too large' });
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function parseJson(text: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(text);
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new HttpError(400, { error: 'request body is not a JSON object' });
}

export const str = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : v === undefined || v === null ? fallback : String(v));

export function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  if (body === '' || body === undefined || status === 204) {
    res.writeHead(status, headers).end();
  } else if (typeof body === 'string') {
    res.writeHead(status, { 'content-type': 'text/plain', ...headers }).end(body);
  } else {
    res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
  }
}

/** Pexip's `meta` + `objects` list page (`limit=0` is everything). */
export function paged(path: string, query: URLSearchParams, objects: Record<string, unknown>[]): unknown {
  const limitParam = Number(query.get('limit') ?? '20');
  const limit = Number.isFinite(limitParam) && limitParam >= 0 ? limitParam : 20;
  const offset = Math.max(0, Number(query.get('offset') ?? '0') || 0);
  const page = limit === 0 ? objects.slice(offset) : objects.slice(offset, offset + limit);
  const link = (o: number) => {
    const q = new URLSearchParams(query);
    q.set('offset', String(o));
    q.set('limit', String(limit));
    return `${path}?${q.toString()}`;
  };
  return {
    meta: {
      limit,
      offset,
      total_count: objects.length,
      next: limit !== 0 && offset + limit < objects.length ? link(offset + limit) : null,
      previous: limit !== 0 && offset > 0 ? link(Math.max(0, offset - limit)) : null,
    },
    objects: page,
  };
}

/** Tastypie filters: `field`, `field__startswith`, `field__icontains`, `field__in`. */
export function filterBy<T extends Record<string, unknown>>(items: T[], query: URLSearchParams, fields: string[]): T[] {
  return items.filter((item) =>
    fields.every((f) => {
      const exact = query.get(f);
      const starts = query.get(`${f}__startswith`);
      const icontains = query.get(`${f}__icontains`);
      const inList = query.get(`${f}__in`);
      const value = str(item[f]);
      return (
        (exact === null || value === exact) &&
        (starts === null || value.startsWith(starts)) &&
        (icontains === null || value.toLowerCase().includes(icontains.toLowerCase())) &&
        (inList === null || inList.split(',').includes(value))
      );
    }),
  );
}
