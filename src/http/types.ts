/**
 * Runtime-agnostic HTTP handlers: a request in, a response out. src/functions adapts them to
 * @azure/functions; nothing here knows which runtime serves it.
 */
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

/** What a handler may ask of the durable runtime; implemented over the durable-functions client. */
export interface DurableControl {
  startNew(orchestration: string, instanceId: string, input: unknown): Promise<void>;
  raiseEvent(instanceId: string, eventName: string, data: unknown): Promise<void>;
  getStatus(instanceId: string): Promise<InstanceStatus | undefined>;
  /** instances created in the span (all pages), optionally only those in the given runtime states */
  listInstances(filter: { createdFrom?: Date; createdTo?: Date; runtimeStatus?: string[] }): Promise<InstanceStatus[]>;
  terminate(instanceId: string, reason: string): Promise<void>;
  signalEntity(entityName: string, key: string, operation: string, input?: unknown): Promise<void>;
  readEntityState<T>(entityName: string, key: string): Promise<T | undefined>;
}

export interface InstanceStatus {
  instanceId: string;
  name: string;
  runtimeStatus: string;
  input: unknown;
  output: unknown;
  customStatus: unknown;
  createdTime: string;
  lastUpdatedTime: string;
}

export interface RequestContext {
  invocationId: string;
  durable: DurableControl | undefined;
}

export type ApiHandler = (request: ApiRequest, context: RequestContext) => Promise<ApiResponse>;

/** RFC 9457 problem details, used by every new route. */
export function problem(status: number, type: string, title: string, detail?: string, extra?: Record<string, unknown>): ApiResponse {
  return {
    status,
    headers: { 'content-type': 'application/problem+json' },
    body: { type: `https://maxconf.ca/problems/${type}`, title, status, ...(detail ? { detail } : {}), ...extra },
  };
}
