import type { IncomingMessage, ServerResponse } from 'node:http';

/** Which browser origins may call the client API: exact origins or patterns. */
export type AllowedOrigins = readonly (string | RegExp)[];

/** Any page served from this machine (`http(s)://localhost|127.0.0.1|[::1]` on any port). */
export const LOCAL_ORIGINS: AllowedOrigins = [/^https?:\/\/(localhost|127\.0\.0\.1|\[::1\])(:\d+)?$/];

const ALLOWED_HEADERS = 'content-type, token, pin, authorization, x-pexip-authorization';

function allowed(origin: string, origins: AllowedOrigins): boolean {
  return origins.some((o) => (typeof o === 'string' ? o === origin : o.test(origin)));
}

/**
 * CORS as a conferencing node answers it for a web app on another origin: the allowed origin
 * echoed with credentials (the page's `sendBeacon` release is a credentialed request), on every
 * answer, errors included. Returns false for a preflight it has answered itself.
 */
export function applyCors(req: IncomingMessage, res: ServerResponse, origins: AllowedOrigins): boolean {
  const origin = req.headers.origin;
  res.setHeader('vary', 'Origin');
  const ok = typeof origin === 'string' && allowed(origin, origins);
  if (ok) {
    res.setHeader('access-control-allow-origin', origin);
    res.setHeader('access-control-allow-credentials', 'true');
  }
  if ((req.method ?? '').toUpperCase() !== 'OPTIONS') return true;
  if (!ok) {
    res.writeHead(403).end();
    return false;
  }
  const requested = req.headers['access-control-request-headers'];
  res.writeHead(204, {
    'access-control-allow-methods': 'GET, POST, OPTIONS',
    'access-control-allow-headers': typeof requested === 'string' && requested ? requested : ALLOWED_HEADERS,
    'access-control-max-age': '600',
  });
  res.end();
  return false;
}
