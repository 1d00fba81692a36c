import { healthHandler, type DependencyProbe } from '../../src/http/health';
import type { ApiRequest } from '../../src/http/types';

const request: ApiRequest = { method: 'GET', url: 'http://localhost/health', params: {}, query: new URLSearchParams(), header: () => undefined, body: undefined };
const now = () => new Date('2026-12-01T08:00:00Z');
const probe = (name: string, check: DependencyProbe['check']): DependencyProbe => ({ name, check });

async function health(probes: DependencyProbe[], probeTimeoutMs?: number) {
  const handler = healthHandler({ now, probes, ...(probeTimeoutMs ? { probeTimeoutMs } : {}) });
  return (await handler(request, undefined as never)) as { status: number; body: any };
}

describe('GET /health', () => {
  it("keeps v1's fields and reports each dependency ready", async () => {
    const res = await health([probe('pexip', async () => ({ ready: true })), probe('genesys', async () => ({ ready: true }))]);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      status: 'alive',
      timestamp: '2026-12-01T08:00:00.000Z',
      ready: true,
      dependencies: { pexip: { ready: true }, genesys: { ready: true } },
    });
  });

  it('answers 503, still alive, naming the dependency that failed and why', async () => {
    const res = await health([probe('pexip', async () => ({ ready: true })), probe('genesys', async () => Promise.reject(new Error('401 from login')))]);
    expect(res.status).toBe(503);
    expect(res.body.status).toBe('alive');
    expect(res.body.ready).toBe(false);
    expect(res.body.dependencies.genesys).toEqual({ ready: false, detail: '401 from login' });
    expect(res.body.dependencies.pexip).toEqual({ ready: true });
  });

  it('probes at most once per 10 s however often it is asked, and shows a recovery after that', async () => {
    let clock = Date.parse('2026-12-01T08:00:00Z');
    let calls = 0;
    let up = false;
    const handler = healthHandler({
      now: () => new Date(clock),
      probes: [probe('genesys', async () => (calls++, up ? { ready: true } : Promise.reject(new Error('down'))))],
    });
    const ask = async () => ((await handler(request, undefined as never)) as { status: number }).status;
    expect(await Promise.all([ask(), ask(), ask()])).toEqual([503, 503, 503]);
    up = true;
    clock += 9_999;
    expect(await ask()).toBe(503);
    expect(calls).toBe(1);
    clock += 1;
    expect(await ask()).toBe(200);
    expect(calls).toBe(2);
  });

  it('does not wait on a dependency that does not answer', async () => {
    const res = await health([probe('pexip', () => new Promise(() => undefined))], 50);
    expect(res.status).toBe(503);
    expect(res.body.dependencies.pexip).toEqual({ ready: false, detail: 'no answer within 50 ms' });
  });
});
