import type { IncomingMessage } from 'node:http';

/** Request headers a browser app sends the Platform API through the SDK (`Genesys-App` via `setGenesysAppHeader`). */
const ALLOWED_HEADERS = ['authorization', 'content-type', 'accept', 'accept-language', 'genesys-app', 'x-requested-with'];
const ALLOWED_METHODS = 'GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS';
/** What a browser may read of an answer: the correlation id, and `Retry-After` so a 429 can be honoured. */
const EXPOSED_HEADERS = 'inin-correlation-id, retry-after';
const LOOPBACK = /^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/;

export interface CorsPolicy {
  /** exact origins allowed; absent: any loopback origin (local development) */
  origins?: string[];
}

/** The paths a browser calls with `fetch`/XHR: the API and the token endpoint (the login page is a navigation). */
const CORS_PATH = /^\/api\/v2\/|^(?:\/login)?\/oauth\/token$/;

export type CorsOutcome = { preflight: true; status: number; headers: Record<string, string> } | { preflight: false; headers: Record<string, string> };

/**
 * CORS as the Platform API answers a browser app: the caller's origin echoed when allowed (never
 * `*`, never with credentials: the token travels in `Authorization`), preflights answered for any
 * API path, `Vary: Origin` so caches keep answers apart.
 */
export function corsFor(policy: CorsPolicy, req: IncomingMessage, path: string): CorsOutcome {
  const origin = req.headers.origin;
  const preflight = req.method === 'OPTIONS' && typeof req.headers['access-control-request-method'] === 'string';
  if (!origin || !CORS_PATH.test(path)) return preflight ? { preflight: true, status: 404, headers: {} } : { preflight: false, headers: {} };
  const allowed = policy.origins ? policy.origins.includes(origin) : LOOPBACK.test(origin);
  if (!allowed) return preflight ? { preflight: true, status: 403, headers: { vary: 'Origin' } } : { preflight: false, headers: { vary: 'Origin' } };
  const base = { 'access-control-allow-origin': origin, vary: 'Origin' };
  if (!preflight) return { preflight: false, headers: { ...base, 'access-control-expose-headers': EXPOSED_HEADERS } };
  const requested = String(req.headers['access-control-request-headers'] ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  return {
    preflight: true,
    status: 200,
    headers: {
      ...base,
      'access-control-allow-methods': ALLOWED_METHODS,
      'access-control-allow-headers': [...new Set([...ALLOWED_HEADERS, ...requested.filter((h) => ALLOWED_HEADERS.includes(h))])].join(', '),
      'access-control-max-age': '600',
    },
  };
}
