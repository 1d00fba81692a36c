import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * The Functions host's own CORS (`Host.CORS` in local.settings.json, the app's CORS setting on
 * Azure), for the app's HTTP triggers: an allowed `Origin` is echoed with `Vary: Origin`, a
 * preflight from it is answered 204 by the host without reaching a function. On Azure, API
 * Management answers the browsers (infra/apim/public.xml), so the deployed app sets no origins;
 * locally `npm start` allows the Agent App it serves. No origins: no CORS headers at all.
 */
export interface HostCors {
  origins: readonly string[];
}

const ALLOWED_METHODS = 'GET, POST, OPTIONS';
const ALLOWED_HEADERS = 'x-auth-token, content-type, authorization';

/** Returns true when the host has answered the request itself (a preflight). */
export function answerCors(req: IncomingMessage, res: ServerResponse, cors: HostCors | undefined): boolean {
  if (!cors || cors.origins.length === 0) return false;
  const origin = req.headers.origin;
  res.setHeader('vary', 'Origin');
  const allowed = typeof origin === 'string' && cors.origins.includes(origin);
  if (allowed) res.setHeader('access-control-allow-origin', origin);
  const preflight = (req.method ?? '').toUpperCase() === 'OPTIONS' && typeof req.headers['access-control-request-method'] === 'string';
  if (!preflight) return false;
  if (!allowed) {
    res.writeHead(403).end();
    return true;
  }
  res.writeHead(204, { 'access-control-allow-methods': ALLOWED_METHODS, 'access-control-allow-headers': ALLOWED_HEADERS, 'access-control-max-age': '600' });
  res.end();
  return true;
}
