/**
 * Runtime-agnostic HTTP handlers: a request in, a response out. src/functions adapts them to
 * @azure/functions; nothing here knows which runtime serves it.
 */
import type { RequestContext } from '../contracts/ports';

export interface ApiRequest {
  method: string;
  url: string;
  /** route parameters, e.g. `room_name` for `room/{room_name}` */
  params: Record<string, string>;
  query: URLSearchParams;
  /** case-insensitive lookup */
  header(name: string): string | undefined;
  /** the raw body text; undefined when there is none */
  body: string | undefined;
}

export interface ApiResponse {
  status: number;
  headers?: Record<string, string>;
  /** objects are sent as JSON; strings as they are */
  body?: unknown;
}

/** The ports live in src/contracts/ports.ts; re-exported for the handlers, which take them as arguments. */
export type { DurableControl, InstanceStatus, RequestContext } from '../contracts/ports';

export type ApiHandler = (request: ApiRequest, context: RequestContext) => Promise<ApiResponse>;

/** RFC 9457 problem details, used by every new route. */
export function problem(status: number, type: string, title: string, detail?: string, extra?: Record<string, unknown>): ApiResponse {
  return {
    status,
    headers: { 'content-type': 'application/problem+json' },
    body: { type: `https://maxconf.ca/problems/${type}`, title, status, ...(detail ? { detail } : {}), ...extra },
  };
}
