import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../../../src/logging/logger';
import type { TokenStore } from '../auth/tokens';
import { readBody } from './body';
import { corsFor, type CorsPolicy } from './cors';
import { errorBody, HttpError } from './errors';
import type { FaultInjector } from './faults';
import type { RateLimiter } from './rateLimit';
import { findRoute, type Answer, type Route } from './router';

export interface ServerParts {
  routes: readonly Route[];
  tokens: TokenStore;
  faults: FaultInjector;
  rateLimit: RateLimiter;
  cors: CorsPolicy;
  log: Logger | undefined;
  /** `/sim/…`, answered before faults and authentication */
  control(method: string, url: URL, body: string): Answer;
}

function send(res: ServerResponse, answer: Answer, base: Record<string, string> = {}): void {
  const { status, body } = answer;
  const headers = { ...base, ...answer.headers };
  const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
  const contentType = answer.contentType ?? (text ? 'application/json' : undefined);
  res.writeHead(status, { ...(contentType ? { 'content-type': contentType } : {}), 'inin-correlation-id': randomUUID(), ...headers });
  res.end(text);
}

/** The request pipeline: body, control API, latency, route, faults, bearer token, handler; errors as `ErrorBody`. */
export function createRequestHandler(parts: ServerParts): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://simulator');
    const cors = corsFor(parts.cors, req, url.pathname);
    if (cors.preflight) return send(res, { status: cors.status }, cors.headers);
    try {
      const body = await readBody(req);
      if (url.pathname.startsWith('/sim/')) return send(res, parts.control(req.method ?? 'GET', url, body));
      if (parts.faults.latencyMs) await new Promise((r) => setTimeout(r, parts.faults.latencyMs));
      const found = findRoute(parts.routes, req.method ?? 'GET', url.pathname);
      if (!found) throw new HttpError(404, 'not.found', `No route for ${req.method} ${url.pathname}`);
      const { route, match } = found;
      if (route.endpoint) {
        const { hangMs } = parts.faults.apply(route.endpoint);
        if (hangMs) {
          await new Promise((r) => setTimeout(r, hangMs));
          if (res.destroyed) return;
        }
      }
      const auth = route.public ? undefined : parts.tokens.authenticate(req);
      if (auth) parts.rateLimit.request(auth.token);
      send(res, await route.handle({ match, req, url, body, ...(auth ? { auth } : {}) }), cors.headers);
    } catch (error) {
      if (error instanceof HttpError) {
        send(res, { status: error.status, body: error.toBody(), headers: error.headers }, cors.headers);
      } else {
        parts.log?.error({ err: error instanceof Error ? error.message : String(error) }, 'simulator error');
        send(res, { status: 500, body: errorBody(500, 'internal.server.error', 'The server encountered an unexpected condition.') }, cors.headers);
      }
    }
  };
}
