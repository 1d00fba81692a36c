import { formatHistoryEvents } from './historyView';
import type { HistoryEvent } from './history';
import type { InstanceRow, RuntimeStatus } from './store';

/** The management API's paths and payloads (extension `HttpApiHandler.cs`, `BindingHelper.cs`). */

export const WEBHOOK_PREFIX = '/runtime/webhooks/durabletask/';
export const RPC_PREFIX = '/durabletask/';

/** Statuses the extension answers 202 for, and refuses to purge (412). */
export const NOT_FINISHED: ReadonlySet<RuntimeStatus> = new Set(['Running', 'Pending', 'ContinuedAsNew', 'Suspended']);

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

/** The extension encodes the instance id into these (`WebUtility.UrlEncode`). */
export function managementUrls(origin: string, taskHubName: string, id: string): Record<string, string> {
  const hub = `taskHub=${encodeURIComponent(taskHubName)}&connection=Storage`;
  const instance = `${origin}${WEBHOOK_PREFIX}instances/${encodeURIComponent(id)}`;
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

export function parseJsonBody(body: string): { ok: true; json: string | null } | { ok: false } {
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

export interface StatusOptions {
  showInput?: boolean;
  showHistory?: boolean;
  showHistoryOutput?: boolean;
}

/** An instance's status JSON (`StatusResponsePayload`), with the cleaned history when asked for. */
export function statusPayload(row: InstanceRow, history: () => readonly HistoryEvent[], options: StatusOptions = {}): Record<string, unknown> {
  const showInput = options.showInput !== false;
  const status: Record<string, unknown> = {
    name: row.name,
    instanceId: row.instanceId,
    runtimeStatus: row.status,
    input: showInput ? parseJsonText(row.input) : null,
    customStatus: parseJsonText(row.customStatus),
    output: parseJsonText(row.output),
    createdTime: new Date(row.createdAt).toISOString(),
    lastUpdatedTime: new Date(row.updatedAt).toISOString(),
  };
  // the extension reads no history for an instance that has not started
  if (options.showHistory && row.status !== 'Pending') {
    status.historyEvents = formatHistoryEvents(history(), { showHistoryOutput: options.showHistoryOutput === true, showInput });
  }
  return status;
}
