import { randomUUID } from 'node:crypto';
import { ConflictError, type DurableEngine } from './engine';
import { managementUrls, NOT_FINISHED, parseJsonBody, statusPayload, type StatusOptions } from './managementPayloads';
import { BadPathParameter, pathParameter } from './pathParams';
import { problem, PROBLEM_CONTENT_TYPE } from './problem';
import { TERMINAL_STATUSES, type HostStore, type InstanceRow, type RuntimeStatus } from './store';

export { durableClientData, RPC_PREFIX, WEBHOOK_PREFIX } from './managementPayloads';

/**
 * The Durable Functions HTTP management API (extension `HttpApiHandler.cs`), for the operations
 * durable-functions' DurableClient calls and the documented public webhooks. The same handler
 * serves the binding's `rpcBaseUrl` (`/durabletask/`) and `/runtime/webhooks/durabletask/`.
 * Answers the extension gives are given in its shapes (an empty 404/410, `{"Message"}` for its
 * 400/409, a JSON string for 412); answers only this host gives (a refused path parameter, an
 * unknown route, an operation it does not implement) are problem+json.
 */

const PAGE_SIZE = 100;

export interface ApiResult {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** default application/json */
  contentType?: string;
}

export interface ApiCall {
  method: string;
  /** raw (still percent-encoded) path after the prefix, e.g. `instances/abc/raiseEvent/go` */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  origin: string;
}

const empty = (status: number): ApiResult => ({ status });
const message = (status: number, text: string): ApiResult => ({ status, body: { Message: text } });
const hostProblem = (status: number, slug: string, title: string, detail: string, extra?: Record<string, unknown>): ApiResult => ({
  status,
  body: problem(status, slug, title, detail, extra),
  contentType: PROBLEM_CONTENT_TYPE,
});

function isJsonContent(call: ApiCall): boolean {
  const type = call.headers['content-type'];
  const text = Array.isArray(type) ? type[0] : type;
  return (text ?? '').split(';')[0]!.trim().toLowerCase() === 'application/json';
}

export class ManagementApi {
  constructor(
    private readonly engine: DurableEngine,
    private readonly store: HostStore,
    private readonly taskHubName: string,
    /** called after every change, so the dispatcher runs what became due */
    private readonly changed: () => void,
  ) {}

  status(row: InstanceRow, options: StatusOptions = {}): Record<string, unknown> {
    return statusPayload(row, () => this.store.history.events(row.instanceId), options);
  }

  handle(call: ApiCall): ApiResult {
    const [resource, ...rest] = call.path.split('/').filter((s) => s !== '');
    const method = call.method.toUpperCase();
    try {
      if (resource === 'orchestrators' && method === 'POST' && rest.length >= 1 && rest.length <= 2) {
        return this.start(pathParameter(rest[0]!, 'functionName'), rest[1] === undefined ? undefined : pathParameter(rest[1], 'instanceId'), call);
      }
      if (resource === 'instances') {
        if (rest.length === 0) {
          if (method === 'GET') return this.list(call);
          if (method === 'DELETE') return this.purgeBy(call);
        } else if (rest.length <= 3) {
          const instanceId = pathParameter(rest[0]!, 'instanceId');
          const operation = rest[1];
          if (!operation && method === 'GET') return this.getStatus(instanceId, call);
          if (!operation && method === 'DELETE') return this.purgeOne(instanceId);
          if (operation === 'raiseEvent' && method === 'POST' && rest[2]) return this.raise(instanceId, pathParameter(rest[2], 'eventName'), call);
          if (operation === 'terminate' && method === 'POST' && rest.length === 2) return this.terminate(instanceId, call);
          if (operation && ['suspend', 'resume', 'rewind', 'restart'].includes(operation) && method === 'POST' && rest.length === 2) {
            return hostProblem(501, 'not-implemented', 'Not implemented', `The local durable host does not implement ${operation}.`);
          }
        }
      }
      if (resource === 'entities' && rest.length === 2) {
        const name = pathParameter(rest[0]!, 'entityName');
        const key = pathParameter(rest[1]!, 'entityKey');
        if (method === 'POST') return this.signal(name, key, call);
        if (method === 'GET') return this.readEntity(name, key);
      }
      return hostProblem(404, 'not-found', 'No durable task API here', `No durable task API at ${method} ${call.path}.`);
    } catch (error) {
      if (error instanceof BadPathParameter) {
        return hostProblem(400, 'invalid-path', 'The request path is invalid', error.message, {
          'invalid-params': [{ name: error.parameter, reason: error.reason }],
        });
      }
      throw error;
    }
  }

  private start(functionName: string, requestedId: string | undefined, call: ApiCall): ApiResult {
    const input = parseJsonBody(call.body);
    if (!input.ok) return message(400, 'Invalid JSON content');
    const instanceId = requestedId ?? randomUUID().replace(/-/g, '');
    try {
      this.engine.startInstance(functionName, instanceId, input.json);
    } catch (error) {
      if (error instanceof ConflictError) return message(409, error.message);
      throw error;
    }
    this.changed();
    const urls = managementUrls(call.origin, this.taskHubName, instanceId);
    return { status: 202, headers: { Location: urls.statusQueryGetUri!, 'Retry-After': '10' }, body: { ...urls, id: instanceId } };
  }

  private getStatus(instanceId: string, call: ApiCall): ApiResult {
    const row = this.store.instances.get(instanceId);
    if (!row) return empty(404);
    const flag = (name: string, fallback: boolean) => {
      const v = call.query.get(name);
      return v === null ? fallback : v.toLowerCase() === 'true';
    };
    const body = this.status(row, {
      showInput: flag('showInput', true),
      showHistory: flag('showHistory', false),
      showHistoryOutput: flag('showHistoryOutput', false),
    });
    if (NOT_FINISHED.has(row.status)) {
      const location = managementUrls(call.origin, this.taskHubName, instanceId).statusQueryGetUri!;
      return { status: 202, headers: { Location: location, 'Retry-After': '5' }, body };
    }
    return { status: 200, body };
  }

  private filter(call: ApiCall): { createdFrom?: number; createdTo?: number; statuses?: RuntimeStatus[]; prefix?: string } {
    const from = call.query.get('createdTimeFrom');
    const to = call.query.get('createdTimeTo');
    const statuses = call.query.get('runtimeStatus');
    const prefix = call.query.get('instanceIdPrefix');
    return {
      createdFrom: from ? Date.parse(from) : undefined,
      createdTo: to ? Date.parse(to) : undefined,
      statuses: statuses ? (statuses.split(',').map((s) => s.trim()).filter(Boolean) as RuntimeStatus[]) : undefined,
      prefix: prefix ?? undefined,
    };
  }

  private list(call: ApiCall): ApiResult {
    const top = Number(call.query.get('top') ?? PAGE_SIZE);
    const limit = Number.isInteger(top) && top > 0 ? top : PAGE_SIZE;
    const tokenHeader = call.headers['x-ms-continuation-token'];
    const token = Array.isArray(tokenHeader) ? tokenHeader[0] : tokenHeader;
    let after: { createdAt: number; instanceId: string } | undefined;
    if (token) {
      try {
        after = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { createdAt: number; instanceId: string };
      } catch {
        return hostProblem(400, 'invalid-continuation-token', 'Invalid continuation token', 'header "x-ms-continuation-token" is not a token this host issued', {
          'invalid-params': [{ name: 'x-ms-continuation-token', reason: 'not a token this host issued' }],
        });
      }
    }
    const rows = this.store.instances.query({ ...this.filter(call), after, limit: limit + 1 });
    const page = rows.slice(0, limit);
    const headers: Record<string, string> = {};
    if (rows.length > limit) {
      const last = page[page.length - 1]!;
      headers['x-ms-continuation-token'] = Buffer.from(JSON.stringify({ createdAt: last.createdAt, instanceId: last.instanceId })).toString('base64url');
    }
    const showInput = call.query.get('showInput')?.toLowerCase() !== 'false';
    return { status: 200, headers, body: page.map((row) => this.status(row, { showInput })) };
  }

  private raise(instanceId: string, eventName: string, call: ApiCall): ApiResult {
    const row = this.store.instances.get(instanceId);
    if (!row) return empty(404);
    if (TERMINAL_STATUSES.has(row.status)) return empty(410);
    if (!isJsonContent(call)) return message(400, 'Only application/json request content is supported');
    const input = parseJsonBody(call.body);
    if (!input.ok) return message(400, 'Invalid JSON content');
    const outcome = this.engine.raiseEvent(instanceId, eventName, input.json);
    if (outcome !== 'accepted') return empty(outcome === 'notFound' ? 404 : 410);
    this.changed();
    return empty(202);
  }

  private terminate(instanceId: string, call: ApiCall): ApiResult {
    const outcome = this.engine.terminate(instanceId, call.query.get('reason'));
    if (outcome !== 'accepted') return empty(outcome === 'notFound' ? 404 : 410);
    this.changed();
    return empty(202);
  }

  /**
   * The current extension purges only finished orchestrations: anything else is a 412 (ids
   * starting with `@` are entities there and skip the check; PR #3311).
   */
  private purgeOne(instanceId: string): ApiResult {
    const row = this.store.instances.get(instanceId);
    if (!row) return empty(404);
    if (!instanceId.startsWith('@') && !TERMINAL_STATUSES.has(row.status)) {
      return {
        status: 412,
        body: `Only orchestrations in a terminal state can be purged, but the orchestration with instance ID ${instanceId} has status ${row.status}`,
      };
    }
    return { status: 200, body: { instancesDeleted: this.engine.purge([instanceId]) } };
  }

  private purgeBy(call: ApiCall): ApiResult {
    const filter = this.filter(call);
    if (filter.createdFrom === undefined || Number.isNaN(filter.createdFrom)) {
      return { status: 400, body: "Please provide value for 'createdTimeFrom' parameter." };
    }
    const rows = this.store.instances.query(filter).filter((r) => TERMINAL_STATUSES.has(r.status) || filter.statuses !== undefined);
    const deleted = this.engine.purge(rows.map((r) => r.instanceId));
    return deleted === 0 ? empty(404) : { status: 200, body: { instancesDeleted: deleted } };
  }

  private signal(name: string, key: string, call: ApiCall): ApiResult {
    const input = parseJsonBody(call.body);
    if (!input.ok) return message(400, 'Could not parse JSON content: the body is not valid JSON.');
    const operation = call.query.get('op') ?? '';
    this.engine.signalEntity(name, key, operation, input.json);
    this.changed();
    return empty(202);
  }

  private readEntity(name: string, key: string): ApiResult {
    const entity = this.engine.readEntity(name, key);
    if (!entity.exists) return empty(404);
    return { status: 200, body: entity.state };
  }
}
