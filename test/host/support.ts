import { join } from 'node:path';
import { startTestHost, type TestHost, type TestHostOptions } from '../support/localHost';

export const FIXTURE_APP = join(__dirname, 'fixtures', 'app');

export function startFixtureHost(options: TestHostOptions = {}): Promise<TestHost> {
  return startTestHost({}, { entry: FIXTURE_APP, ...options });
}

export interface Status {
  name: string;
  instanceId: string;
  runtimeStatus: string;
  input: unknown;
  output: unknown;
  customStatus: unknown;
  createdTime: string;
  lastUpdatedTime: string;
}

/** The public management API, as an operator's script would call it. */
export function webhooks(host: TestHost) {
  const base = `${host.url}/runtime/webhooks/durabletask`;
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${base}/${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as unknown) : undefined };
  };
  return {
    call,
    async start(name: string, input?: unknown, instanceId?: string): Promise<string> {
      const r = await call('POST', `orchestrators/${name}${instanceId ? `/${instanceId}` : ''}`, input);
      if (r.status !== 202) throw new Error(`start ${name}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
      return (r.body as { id: string }).id;
    },
    async status(instanceId: string): Promise<Status> {
      const r = await call('GET', `instances/${instanceId}`);
      if (r.status !== 200 && r.status !== 202) throw new Error(`status ${instanceId}: HTTP ${r.status}`);
      return r.body as Status;
    },
    raise: (instanceId: string, event: string, data?: unknown) => call('POST', `instances/${instanceId}/raiseEvent/${event}`, data ?? null),
    terminate: (instanceId: string, reason: string) => call('POST', `instances/${instanceId}/terminate?reason=${encodeURIComponent(reason)}`),
  };
}
