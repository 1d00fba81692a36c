import type { IncomingMessage } from 'node:http';
import type { TokenRecord } from '../auth/tokens';
import type { SimEndpoint } from '../options';

export interface Authenticated {
  token: string;
  record: TokenRecord;
}

export interface RequestContext {
  match: RegExpExecArray;
  req: IncomingMessage;
  url: URL;
  body: string;
  /** set on every route that is not `public` */
  auth?: Authenticated;
}

export interface Answer {
  status: number;
  /** JSON unless `contentType` says otherwise (a string is sent as is) */
  body?: unknown;
  contentType?: string;
  headers?: Record<string, string>;
}

export interface Route {
  method: string;
  pattern: RegExp;
  /** the fault family; routes without one get no injected faults */
  endpoint?: SimEndpoint;
  /** no bearer token needed (OAuth, pages) */
  public?: boolean;
  handle(ctx: RequestContext): Answer | Promise<Answer>;
}

/** The caller's token on an authenticated route (the server authenticated it before the handler). */
export function authOf(ctx: RequestContext): Authenticated {
  if (!ctx.auth) throw new Error('route handler reached without authentication');
  return ctx.auth;
}

export function findRoute(routes: readonly Route[], method: string, path: string): { route: Route; match: RegExpExecArray } | undefined {
  for (const route of routes) {
    if (route.method !== method) continue;
    const match = route.pattern.exec(path);
    if (match) return { route, match };
  }
  return undefined;
}
