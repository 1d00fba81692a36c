import { randomUUID } from 'node:crypto';
import { ConflictError, type DurableEngine } from './engine';
import { formatHistoryEvents } from './historyView';
import { TERMINAL_STATUSES, type HostStore, type InstanceRow, type RuntimeStatus } from './store';

/**
 * The Durable Functions HTTP management API (extension `HttpApiHandler.cs`), for the operations
 * durable-functions' DurableClient calls and the documented public webhooks. The same handler
 * serves the binding's `rpcBaseUrl` (`/durabletask/`) and `/runtime/webhooks/durabletask/`.
 */

export const WEBHOOK_PREFIX = '/runtime/webhooks/durabletask/';
export const RPC_PREFIX = '/durabletask/';
const PAGE_SIZE = 100;

export interface ApiResult {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface ApiCall {
  method: string;
  /** path after the prefix, e.g. `instances/abc/raiseEvent/go` */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  origin: string;
}

/** The durableClient binding payload (extension `BindingHelper.cs`), with URLs for this host. */
export function durableClientData(origin: string, taskHubName: string): Record<string, unknown> {
  return {
    taskHubName,
    creationUrls: {
      createNewInstancePostUri: `${origin}${WEBHOOK_PREFIX}orchestrators/{functionName}[/{instanceId}]`,
      createAndWaitOnNewInstancePostUri: `${origin}${WEBHOOK_PREFIX}orchestrators/{functionName}[/{instanceId}]?timeout={timeoutInSeconds}&pollingInterval={intervalInSeconds}`,
    },
    managementUrls: managementUrls(origin, taskHubName, 'INSTANCEID'),
    baseUrl: `${origin}${WEBHOOK_PREFIX.replace(/\/$/, '')}`,
    requiredQueryStringParameters: `taskHub=${taskHubName}&connection=Storage`,
    rpcBaseUrl: `${origin}${RPC_PREFIX}`,
  };
}

function managementUrls(origin: string, taskHubName: string, id: string): Record<string, string> {
  const hub = `taskHub=${taskHubName}&connection=Storage`;
  const instance = `${origin}${WEBHOOK_PREFIX}instances/${id}`;
  return {
    id,
    statusQueryGetUri: `${instance}?${hub}`,
    sendEventPostUri: `${instance}/raiseEvent/{eventName}?${hub}`,
    terminatePostUri: `${instance}/terminate?reason={text}&${hub}`,
    rewindPostUri: `${instance}/rewind?reason={text}&${hub}`,
    purgeHistoryDeleteUri: `${instance}?${hub}`,
    restartPostUri: `${instance}/restart?${hub}`,
    suspendPostUri: `${instance}/suspend?reason={text}&${hub}`,
    resumePostUri: `${instance}/resume?reason={text}&${hub}`,
  };
}

function parseJsonBody(body: string): { ok: true; json: string | null } | { ok: false } {
  if (body.trim() === '') return { ok: true, json: null };
  try {
    JSON.parse(body);
    return { ok: true, json: body };
  } catch {
    return { ok: false };
  }
}

function parseJsonText(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

const RUNNING: ReadonlySet<RuntimeStatus> = new Set(['Running', 'Pending', 'ContinuedAsNew', 'Suspended']);

export class ManagementApi {
  constructor(
    private readonly engine: DurableEngine,
    private readonly store: HostStore,
    private readonly taskHubName: string,
    /** called after every change, so the dispatcher runs what became due */
    private readonly changed: () => void,
  ) {}

  status(row: InstanceRow, options: { showInput?: boolean; showHistory?: boolean; showHistoryOutput?: boolean } = {}): Record<string, unknown> {
    const status: Record<string, unknown> = {
      name: row.name,
      instanceId: row.instanceId,
      runtimeStatus: row.status,
      input: options.showInput === false ? null : parseJsonText(row.input),
      customStatus: parseJsonText(row.customStatus),
      output: parseJsonText(row.output),
      createdTime: new Date(row.createdAt).toISOString(),
      lastUpdatedTime: new Date(row.updatedAt).toISOString(),
    };
    if (options.showHistory) status.historyEvents = formatHistoryEvents(this.store.history.events(row.instanceId), options.showHistoryOutput === true);
    return status;
  }

  handle(call: ApiCall): ApiResult {
    const segments = call.path.split('/').filter((s) => s !== '').map(decodeURIComponent);
    const [resource, ...rest] = segments;
    const method = call.method.toUpperCase();
    try {
      if (resource === 'orchestrators' && method === 'POST' && rest.length >= 1 && rest.length <= 2) return this.start(rest[0]!, rest[1], call);
      if (resource === 'instances') {
        if (rest.length === 0) {
          if (method === 'GET') return this.list(call);
          if (method === 'DELETE') return this.purgeBy(call);
        } else {
          const [instanceId, operation, eventName] = rest as [string, string | undefined, string | undefined];
          if (!operation && method === 'GET') return this.getStatus(instanceId, call);
          if (!operation && method === 'DELETE') return this.purgeOne(instanceId);
          if (operation === 'raiseEvent' && method === 'POST' && eventName) return this.raise(instanceId, eventName, call);
          if (operation === 'terminate' && method === 'POST') return this.terminate(instanceId, call);
          if (operation && ['suspend', 'resume', 'rewind', 'restart'].includes(operation) && method === 'POST') {
            return { status: 501, body: { message: `The local durable host does not implement ${operation}.` } };
          }
        }
      }
      if (resource === 'entities' && rest.length === 2) {
        const [name, key] = rest as [string, string];
        if (method === 'POST') return this.signal(name, key, call);
        if (method === 'GET') return this.readEntity(name, key);
      }
      return { status: 404, body: { message: `No durable task API at ${method} ${call.path}` } };
    } catch (error) {
      return { status: 500, body: { message: error instanceof Error ? error.message : String(error) } };
    }
  }

  private start(functionName: string, requestedId: string | undefined, call: ApiCall): ApiResult {
    const input = parseJsonBody(call.body);
    if (!input.ok) return { status: 400, body: { message: 'The request content is not valid JSON.' } };
    const instanceId = requestedId ?? randomUUID().replace(/-/g, '');
    try {
      this.engine.startInstance(functionName, instanceId, input.json);
    } catch (error) {
      if (error instanceof ConflictError) return { status: 409, body: { message: error.message } };
      throw error;
    }
    this.changed();
    const urls = managementUrls(call.origin, this.taskHubName, instanceId);
    return { status: 202, headers: { Location: urls.statusQueryGetUri!, 'Retry-After': '10' }, body: { ...urls, id: instanceId } };
  }

  private getStatus(instanceId: string, call: ApiCall): ApiResult {
    const row = this.store.instances.get(instanceId);
    if (!row) return { status: 404, body: { message: `No instance with ID '${instanceId}' found.` } };
    const flag = (name: string, fallback: boolean) => {
      const v = call.query.get(name);
      return v === null ? fallback : v.toLowerCase() === 'true';
    };
    const body = this.status(row, {
      showInput: flag('showInput', true),
      showHistory: flag('showHistory', false),
      showHistoryOutput: flag('showHistoryOutput', false),
    });
    if (RUNNING.has(row.status)) {
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
        return { status: 400, body: { message: 'Invalid continuation token.' } };
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
    const input = parseJsonBody(call.body);
    if (!input.ok) return { status: 400, body: { message: 'Only JSON event data is supported.' } };
    const outcome = this.engine.raiseEvent(instanceId, eventName, input.json);
    if (outcome === 'notFound') return { status: 404, body: { message: `No instance with ID '${instanceId}' found.` } };
    if (outcome === 'gone') return { status: 410, body: { message: 'The instance is no longer running.' } };
    this.changed();
    return { status: 202 };
  }

  private terminate(instanceId: string, call: ApiCall): ApiResult {
    const outcome = this.engine.terminate(instanceId, call.query.get('reason'));
    if (outcome === 'notFound') return { status: 404, body: { message: `No instance with ID '${instanceId}' found.` } };
    if (outcome === 'gone') return { status: 410, body: { message: 'The instance is no longer running.' } };
    this.changed();
    return { status: 202 };
  }

  private purgeOne(instanceId: string): ApiResult {
    const deleted = this.engine.purge([instanceId]);
    return deleted === 0 ? { status: 404, body: { instancesDeleted: 0 } } : { status: 200, body: { instancesDeleted: deleted } };
  }

  private purgeBy(call: ApiCall): ApiResult {
    const filter = this.filter(call);
    if (filter.createdFrom === undefined || Number.isNaN(filter.createdFrom)) {
      return { status: 400, body: { message: 'A createdTimeFrom query parameter is required to purge by filter.' } };
    }
    const rows = this.store.instances.query(filter).filter((r) => TERMINAL_STATUSES.has(r.status) || filter.statuses !== undefined);
    const deleted = this.engine.purge(rows.map((r) => r.instanceId));
    return deleted === 0 ? { status: 404, body: { instancesDeleted: 0 } } : { status: 200, body: { instancesDeleted: deleted } };
  }

  private signal(name: string, key: string, call: ApiCall): ApiResult {
    const input = parseJsonBody(call.body);
    if (!input.ok) return { status: 400, body: { message: 'The request content is not valid JSON.' } };
    const operation = call.query.get('op') ?? '';
    this.engine.signalEntity(name, key, operation, input.json);
    this.changed();
    return { status: 202 };
  }

  private readEntity(name: string, key: string): ApiResult {
    const entity = this.engine.readEntity(name, key);
    if (!entity.exists) return { status: 404, body: { message: `No entity with ID '@${name}@${key}' found.` } };
    return { status: 200, body: entity.state };
  }
}
