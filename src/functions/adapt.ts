import type { FunctionInput, HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { EntityId, OrchestrationRuntimeStatus, type DurableClient, type DurableOrchestrationStatus } from 'durable-functions';
import axios, { type AxiosInstance } from 'axios';
import { InstanceNotRunningError, type DurableControl, type InstanceStatus, type RequestContext } from '../contracts/ports';
import type { ApiRequest, ApiResponse } from '../http/types';
import { MAX_READ_BYTES } from '../http/validation';

/**
 * Reads at most `cap + 1` bytes of a body: enough for a route's own limit to see that it is over
 * (src/http/validation.ts), never the whole of an oversize post. A declared length over the cap
 * is not read at all; the route answers 413 from the header.
 */
export async function readCapped(request: Pick<HttpRequest, 'body' | 'headers'>, cap = MAX_READ_BYTES): Promise<string> {
  const declared = Number(request.headers.get('content-length') ?? 'NaN');
  if (Number.isFinite(declared) && declared > cap) return '';
  const stream = request.body;
  if (!stream) return '';
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size <= cap) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } finally {
    if (size > cap) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
  return Buffer.concat(chunks).subarray(0, cap + 1).toString('utf8');
}

/** @azure/functions request → the runtime-agnostic request the handlers take. */
export async function toApiRequest(request: HttpRequest): Promise<ApiRequest> {
  const text = await readCapped(request);
  return {
    method: request.method,
    url: request.url,
    params: { ...request.params },
    query: new URLSearchParams(request.query),
    header: (name) => request.headers.get(name) ?? undefined,
    body: text === '' ? undefined : text,
  };
}

export function toHttpResponse(response: ApiResponse): HttpResponseInit {
  const headers: Record<string, string> = { ...response.headers };
  if (response.body === undefined) return { status: response.status, headers };
  if (typeof response.body === 'string') return { status: response.status, headers, body: response.body };
  headers['content-type'] ??= 'application/json';
  return { status: response.status, headers, body: JSON.stringify(response.body) };
}

/**
 * One HTTP client for the management calls the SDK would answer too loosely: made once by the
 * composition root, shared by every invocation (keep-alive connections to the host).
 */
export function managementHttp(): AxiosInstance {
  return axios.create({ validateStatus: () => true, headers: { 'content-type': 'application/json' }, timeout: 30_000 });
}

/**
 * raiseEvent through the extension's own `sendEventPostUri` (the binding's management links, the
 * URL the SDK posts to): durable-functions 3.5 resolves a 410 (instance finished) as if the event
 * had been taken, and the port must tell the two apart without a status read first.
 */
async function raiseDirect(http: AxiosInstance, client: DurableClient, instanceId: string, eventName: string, data: unknown): Promise<void> {
  const url = client.createHttpManagementPayload(encodeURIComponent(instanceId)).sendEventPostUri.replace('{eventName}', encodeURIComponent(eventName));
  const body = JSON.stringify(data ?? null);
  // a kept-alive socket the host closed as we reused it: the post never arrived, so send it once more
  // (a repeat that did arrive is harmless: the session drops an event id it has taken)
  const response = await http.post(url, body).catch((error: unknown) => {
    if (isStaleSocket(error)) return http.post(url, body);
    throw error;
  });
  if (response.status === 202 || response.status === 200) return;
  if (response.status === 404) throw new InstanceNotRunningError(instanceId, 'not_found');
  if (response.status === 410) throw new InstanceNotRunningError(instanceId, 'finished');
  throw new Error(`raiseEvent answered HTTP ${response.status}`);
}

/** The durable-functions client behind the small port the handlers use. */
export function durableControl(client: DurableClient, http: AxiosInstance): DurableControl {
  return {
    async startNew(orchestration, instanceId, input) {
      await client.startNew(orchestration.name, { instanceId, input });
    },
    raiseEvent: (instanceId, eventName, data) => raiseDirect(http, client, instanceId, eventName, data),
    async getStatus(instanceId) {
      try {
        return toInstanceStatus(await client.getStatus(instanceId));
      } catch (error) {
        if (isNotFound(error)) return undefined;
        throw error;
      }
    },
    async listInstances(filter) {
      const found = await client.getStatusBy({
        ...(filter.createdFrom ? { createdTimeFrom: filter.createdFrom } : {}),
        ...(filter.createdTo ? { createdTimeTo: filter.createdTo } : {}),
        ...(filter.runtimeStatus ? { runtimeStatus: runtimeStatuses(filter.runtimeStatus) } : {}),
      });
      return found.map(toInstanceStatus);
    },
    terminate: (instanceId, reason) => client.terminate(instanceId, reason),
    async purge(instanceId) {
      return (await client.purgeInstanceHistory(instanceId)).instancesDeleted;
    },
    async purgeFinished(filter) {
      const finished = runtimeStatuses(['Completed', 'Failed', 'Terminated']);
      return (await client.purgeInstanceHistoryBy({ createdTimeFrom: filter.createdFrom, createdTimeTo: filter.createdTo, runtimeStatus: finished })).instancesDeleted;
    },
    signalEntity: (entity, key, operation, ...input) => client.signalEntity(new EntityId(entity.name, key), operation, input[0]),
    async readEntityState<S>(entity: { name: string }, key: string) {
      const response = await client.readEntityState<S>(new EntityId(entity.name, key));
      return response.entityExists ? response.entityState : undefined;
    },
  };
}

/** The SDK's enum members for the port's status names (names it does not know match nothing). */
function runtimeStatuses(names: string[]): OrchestrationRuntimeStatus[] {
  return Object.values(OrchestrationRuntimeStatus).filter((status) => names.includes(status));
}

function toInstanceStatus(s: DurableOrchestrationStatus): InstanceStatus {
  return {
    instanceId: s.instanceId,
    name: s.name,
    runtimeStatus: String(s.runtimeStatus),
    input: s.input,
    output: s.output,
    customStatus: s.customStatus,
    createdTime: new Date(s.createdTime).toISOString(),
    lastUpdatedTime: new Date(s.lastUpdatedTime).toISOString(),
  };
}

function isStaleSocket(error: unknown): boolean {
  return axios.isAxiosError(error) && (error.code === 'ECONNRESET' || error.code === 'EPIPE');
}

function isNotFound(error: unknown): boolean {
  return error instanceof Error && /404|not found/i.test(error.message);
}

export function requestContext(context: InvocationContext, durable: DurableControl | undefined): RequestContext {
  return { invocationId: context.invocationId, durable };
}

/**
 * The durable client of an HTTP function, made only when the handler asks for it and then kept:
 * noise on the event sink never needs one, and every invocation's binding carries the same task
 * hub and management URLs, so building a DurableClient (URL checks, an axios instance) per request
 * would be pure overhead. The binding's own data is the cache key, so a changed binding (a key
 * rotation, another task hub) gets a client of its own.
 */
export function lazyDurableControl(http: AxiosInstance, clientOf: (context: InvocationContext) => DurableClient) {
  let cached: { key: string; control: DurableControl } | undefined;
  return (context: InvocationContext, input: FunctionInput): RequestContext => {
    let made: DurableControl | undefined;
    return {
      invocationId: context.invocationId,
      get durable() {
        if (made) return made;
        const key = JSON.stringify(context.extraInputs.get(input) ?? null);
        if (cached?.key !== key) cached = { key, control: durableControl(clientOf(context), http) };
        made = cached.control;
        return made;
      },
    };
  };
}
