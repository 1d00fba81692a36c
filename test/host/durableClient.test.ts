import { EventType } from '../../local/durable-host';
import type { TestHost } from '../support/localHost';
import { startFixtureHost, webhooks, type Status } from './support';

describe('local durable host: the durable client from an HTTP handler', () => {
  let host: TestHost;
  let api: ReturnType<typeof webhooks>;
  /** calls the fixture's clientOps route, whose handler uses df's DurableClient */
  const op = async (name: string, id?: string, body: unknown = {}) => {
    const response = await fetch(`${host.url}/ops/${name}${id ? `/${id}` : ''}`, { method: 'POST', body: JSON.stringify(body) });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as unknown) : undefined };
  };

  beforeAll(async () => {
    host = await startFixtureHost();
    api = webhooks(host);
  });
  afterAll(() => host.stop());

  it('routes requests to HTTP triggers by route template and method', async () => {
    const response = await fetch(`${host.url}/hello/ada?q=1`);
    expect(await response.json()).toEqual({ hello: 'ada', q: '1' });
    // the route exists for GET only: 405 with the methods it takes
    const wrongMethod = await fetch(`${host.url}/hello/ada`, { method: 'POST' });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('GET');
  });

  it('starts, reads, raises to, terminates and purges instances through the client', async () => {
    const started = await op('start', 'client-1', { name: 'twoEvents' });
    expect(started).toMatchObject({ status: 200, body: 'client-1' });
    await host.idle();
    expect((await op('status', 'client-1')).body).toMatchObject({ runtimeStatus: 'Running', name: 'twoEvents' });
    expect((await op('raise', 'client-1', { event: 'step', data: { n: 1 } })).status).toBe(200);
    await host.idle();
    expect((await op('status', 'client-1')).body).toMatchObject({ customStatus: { got: 1 } });
    expect((await op('terminate', 'client-1', { reason: 'enough' })).status).toBe(200);
    await host.idle();
    expect((await op('status', 'client-1', { showHistory: true })).body).toMatchObject({ runtimeStatus: 'Terminated', output: 'enough' });
    expect((await op('purge', 'client-1')).body).toEqual({ instancesDeleted: 1 });
    expect((await api.call('GET', 'instances/client-1')).status).toBe(404);
    // getStatus of an unknown instance throws inside the handler: the function answers 500
    expect((await op('status', 'client-1')).status).toBe(500);
  });

  it('runs the orchestration scenarios end to end through the client alone: chain, event beating a timer, timer beating an event, early events in order', async () => {
    const status = async (id: string) => (await op('status', id)).body as Status;
    await op('start', 'dc-chain', { name: 'chain', input: ['x', 'y'] });
    await op('start', 'dc-approved', { name: 'raceEvent', input: { timeoutMs: 600_000 } });
    await op('start', 'dc-timeout', { name: 'raceEvent', input: { timeoutMs: 600_000 } });
    // raised before the instance waits for them: kept, and delivered in order
    await op('start', 'dc-early', { name: 'twoEvents' });
    await op('raise', 'dc-early', { event: 'step', data: 'first' });
    await op('raise', 'dc-early', { event: 'step', data: 'second' });
    await host.idle();
    await op('raise', 'dc-approved', { event: 'approve', data: 'agent-1' });
    await host.idle();
    await host.advance(600_000);
    expect(await status('dc-chain')).toMatchObject({ runtimeStatus: 'Completed', output: 'X Y' });
    expect(await status('dc-approved')).toMatchObject({ runtimeStatus: 'Completed', output: { outcome: 'approved', by: 'agent-1' } });
    expect(await status('dc-timeout')).toMatchObject({ runtimeStatus: 'Completed', output: { outcome: 'timed_out' } });
    expect(await status('dc-early')).toMatchObject({ runtimeStatus: 'Completed', output: ['first', 'second'] });
    // the approved race cancelled its timer: the advance past it added nothing to its history
    expect(host.history('dc-approved').some((e) => e.EventType === EventType.TimerFired)).toBe(false);
  });

  it('signals an entity and reads its state through the client', async () => {
    await op('signal', 'c1', { operation: 'add', input: 4 });
    await op('signal', 'c1', { operation: 'add', input: 6 });
    await host.idle();
    expect((await op('read', 'c1')).body).toEqual({ entityExists: true, entityState: 10 });
    expect((await op('read', 'absent')).body).toEqual({ entityExists: false });
  });

  it('builds check-status links for this host and port', async () => {
    await op('start', 'client-2', { name: 'twoEvents' });
    const check = await op('check', 'client-2');
    expect(check.status).toBe(202);
    const links = check.body as Record<string, string>;
    expect(links.statusQueryGetUri).toMatch(new RegExp(`^${host.url}/runtime/webhooks/durabletask/instances/client-2\\?`));
    const status = await fetch(links.statusQueryGetUri!);
    expect(status.status).toBe(202);
    expect(((await status.json()) as Status).instanceId).toBe('client-2');
    const raised = await fetch(links.sendEventPostUri!.replace('{eventName}', 'step'), { method: 'POST', body: '"x"', headers: { 'content-type': 'application/json' } });
    expect(raised.status).toBe(202);
  });

  it('queries with filters and follows continuation tokens across pages', async () => {
    const ids = await Promise.all(Array.from({ length: 130 }, (_, i) => api.start('twoEvents', undefined, `page-${String(i).padStart(3, '0')}`)));
    await host.idle();
    const running = (await op('query', undefined, { statuses: ['Running'] })).body as string[];
    for (const id of ids) expect(running).toContain(id);
    const page = await api.call('GET', 'instances/?top=50&instanceIdPrefix=page-');
    expect((page.body as Status[]).map((s) => s.instanceId)).toEqual(ids.slice(0, 50));
    const token = page.headers.get('x-ms-continuation-token');
    expect(token).toBeTruthy();
    const next = await fetch(`${host.url}/runtime/webhooks/durabletask/instances/?top=50&instanceIdPrefix=page-`, { headers: { 'x-ms-continuation-token': token! } });
    expect(((await next.json()) as Status[]).map((s) => s.instanceId)).toEqual(ids.slice(50, 100));
  });
});

describe('local durable host: the public webhooks under /runtime/webhooks/durabletask/', () => {
  let host: TestHost;
  let api: ReturnType<typeof webhooks>;
  beforeAll(async () => {
    host = await startFixtureHost();
    api = webhooks(host);
  });
  afterAll(() => host.stop());

  it('start, status (202 while running, 200 when done), raiseEvent, terminate and purge', async () => {
    const started = await api.call('POST', 'orchestrators/twoEvents/hook-1', { any: 'input' });
    expect(started.status).toBe(202);
    expect(started.headers.get('location')).toContain('/runtime/webhooks/durabletask/instances/hook-1');
    await host.idle();
    const running = await api.call('GET', 'instances/hook-1');
    expect(running).toMatchObject({ status: 202, body: { runtimeStatus: 'Running', input: { any: 'input' } } });
    expect((await api.call('POST', 'orchestrators/twoEvents/hook-1')).status).toBe(409);
    expect((await api.raise('hook-1', 'step', 'a')).status).toBe(202);
    expect((await api.raise('hook-1', 'step', 'b')).status).toBe(202);
    await host.idle();
    const done = await api.call('GET', 'instances/hook-1?showHistory=true&showHistoryOutput=true');
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ runtimeStatus: 'Completed', output: ['a', 'b'] });
    expect((done.body as { historyEvents: { EventType: string }[] }).historyEvents.map((e) => e.EventType)).toContain('EventRaised');
    expect((await api.raise('hook-1', 'step', 'c')).status).toBe(410);
    expect((await api.raise('nobody', 'step', 'c')).status).toBe(404);

    await api.start('twoEvents', undefined, 'hook-2');
    const badEvent = await fetch(`${host.url}/runtime/webhooks/durabletask/instances/hook-2/raiseEvent/step`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: 'not json',
    });
    expect(badEvent.status).toBe(400);
    expect(await badEvent.json()).toEqual({ Message: 'Invalid JSON content' });
    expect((await api.terminate('hook-2', 'stop')).status).toBe(202);
    await host.idle();
    expect((await api.status('hook-2')).runtimeStatus).toBe('Terminated');

    expect(await api.call('DELETE', 'instances/hook-1')).toMatchObject({ status: 200, body: { instancesDeleted: 1 } });
    expect((await api.call('DELETE', 'instances/hook-1')).status).toBe(404);
    expect((await api.call('DELETE', 'instances/')).status).toBe(400);
    const purged = await api.call('DELETE', `instances/?createdTimeFrom=2000-01-01T00:00:00Z&runtimeStatus=Terminated`);
    expect(purged).toMatchObject({ status: 200, body: { instancesDeleted: 1 } });
  });

  it('signals entities and reads their state', async () => {
    expect((await api.call('POST', 'entities/counter/w1?op=add', 3)).status).toBe(202);
    await host.idle();
    expect(await api.call('GET', 'entities/counter/w1')).toMatchObject({ status: 200, body: 3 });
  });

  it('serves the same API at the client binding rpcBaseUrl (/durabletask/)', async () => {
    const started = await fetch(`${host.url}/durabletask/orchestrators/chain`, { method: 'POST', body: '["rpc"]', headers: { 'content-type': 'application/json' } });
    const { id } = (await started.json()) as { id: string };
    await host.idle();
    const status = await fetch(`${host.url}/durabletask/instances/${id}`);
    expect(await status.json()).toMatchObject({ runtimeStatus: 'Completed', output: 'RPC' });
  });
});
