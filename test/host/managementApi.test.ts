import type { TestHost } from '../support/localHost';
import { startFixtureHost, webhooks } from './support';

/** The management API as the current Durable Functions extension answers it (HttpApiHandler.cs, DurableClient.cs). */
describe('local durable host: management API semantics of the current extension', () => {
  let host: TestHost;
  let api: ReturnType<typeof webhooks>;
  beforeAll(async () => {
    host = await startFixtureHost();
    api = webhooks(host);
  });
  afterAll(() => host.stop());

  it('refuses to purge a Running instance (412), purges a finished one (200), and knows no unknown one (404)', async () => {
    const id = await api.start('twoEvents', undefined, 'purge-1');
    await host.idle();
    expect(await api.call('DELETE', `instances/${id}`)).toMatchObject({
      status: 412,
      body: 'Only orchestrations in a terminal state can be purged, but the orchestration with instance ID purge-1 has status Running',
    });
    expect((await api.status(id)).runtimeStatus).toBe('Running');

    await api.terminate(id, 'done');
    await host.idle();
    expect(await api.call('DELETE', `instances/${id}`)).toMatchObject({ status: 200, body: { instancesDeleted: 1 } });
    expect(await api.call('DELETE', `instances/${id}`)).toMatchObject({ status: 404, body: undefined });
  });

  it('still needs createdTimeFrom to purge by filter', async () => {
    expect(await api.call('DELETE', 'instances/?runtimeStatus=Completed')).toMatchObject({
      status: 400,
      body: "Please provide value for 'createdTimeFrom' parameter.",
    });
  });

  it('returns showHistory=true in the extension cleaned shape', async () => {
    const id = await api.start('chain', ['a', 'b']);
    await host.idle();
    const plain = await api.call('GET', `instances/${id}?showHistory=true`);
    const events = (plain.body as { historyEvents: Record<string, unknown>[] }).historyEvents;
    expect(events.map((e) => e.EventType)).toEqual(['ExecutionStarted', 'TaskCompleted', 'TaskCompleted', 'ExecutionCompleted']);
    expect(events[0]).toEqual({ EventType: 'ExecutionStarted', FunctionName: 'chain', Input: '["a","b"]', Timestamp: expect.any(String) });
    for (const completed of events.slice(1, 3)) {
      expect(Object.keys(completed).sort()).toEqual(['EventType', 'FunctionName', 'Input', 'ScheduledTime', 'Timestamp']);
      expect(completed.FunctionName).toBe('upper');
      expect(Date.parse(String(completed.ScheduledTime))).toBeLessThanOrEqual(Date.parse(String(completed.Timestamp)));
    }
    expect(events[3]).toEqual({ EventType: 'ExecutionCompleted', OrchestrationStatus: 'Completed', Timestamp: expect.any(String) });
    for (const e of events) {
      expect(e).not.toHaveProperty('EventId');
      expect(e).not.toHaveProperty('IsPlayed');
    }

    // results, parsed from their JSON text, only with showHistoryOutput; inputs dropped with showInput=false
    const withOutput = await api.call('GET', `instances/${id}?showHistory=true&showHistoryOutput=true&showInput=false`);
    const detailed = (withOutput.body as { historyEvents: Record<string, unknown>[] }).historyEvents;
    expect(detailed.map((e) => e.Result)).toEqual([undefined, 'A', 'B', 'A B']);
    expect(detailed.every((e) => !('Input' in e))).toBe(true);
  });

  it.each([
    ['an encoded slash', 'GET', 'instances/x%2F..%2Fy', 'instanceId'],
    ['an encoded ?', 'GET', 'instances/purge-2%3F', 'instanceId'],
    ['an encoded #', 'DELETE', 'instances/purge-2%23', 'instanceId'],
    ['a NUL', 'GET', 'instances/purge-2%00', 'instanceId'],
    ['a control character', 'POST', 'instances/purge-2%05/terminate', 'instanceId'],
    ['malformed percent-encoding', 'GET', 'instances/%E0%A4%A', 'instanceId'],
    ['malformed encoding in an event name', 'POST', 'instances/purge-2/raiseEvent/%zz', 'eventName'],
    ['an encoded slash in an entity key', 'GET', 'entities/counter/a%2Fb', 'entityKey'],
  ])('refuses an id with %s (400 problem+json naming it) instead of resolving it', async (_what, method, path, parameter) => {
    const answer = await api.call(method, path);
    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toBe('application/problem+json');
    expect(answer.body).toMatchObject({ status: 400, title: expect.any(String), detail: expect.stringContaining(`"${parameter}"`) });
  });

  it('answers an unknown instance as the extension does (empty 404) and an unknown route as problem+json', async () => {
    expect(await api.call('GET', 'instances/nobody-here')).toMatchObject({ status: 404, body: undefined });
    const route = await api.call('GET', 'nothing/here');
    expect(route.status).toBe(404);
    expect(route.headers.get('content-type')).toBe('application/problem+json');
  });

  it('refuses an event that is not application/json, as the extension does', async () => {
    const id = await api.start('twoEvents');
    await host.idle();
    const response = await fetch(`${host.url}/runtime/webhooks/durabletask/instances/${id}/raiseEvent/step`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: '"a"',
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ Message: 'Only application/json request content is supported' });
  });
});
