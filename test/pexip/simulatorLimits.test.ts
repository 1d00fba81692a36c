import { manualClock, startPexipSimulator, type ManualClock, type PexipSimulator } from '../../local/pexip-simulator';
import { parseVendorKnobs, PRODUCTION_MANAGEMENT_RATE_LIMIT, PRODUCTION_PROPAGATION_DELAY_MS } from '../../local/vendorKnobs';

const AUTH = { authorization: `Basic ${Buffer.from('admin:pw').toString('base64')}` };

describe('Pexip simulator: production-like limits and knobs', () => {
  let clock: ManualClock;
  let sim: PexipSimulator;
  afterEach(async () => sim.stop());

  const list = () => fetch(`${sim.url}/api/admin/configuration/v1/conference/`, { headers: AUTH });

  it('the management rate limit answers 429 with Retry-After past the limit, and lets requests through again as it refills', async () => {
    clock = manualClock();
    sim = await startPexipSimulator({ basic: { username: 'admin', password: 'pw' }, clock, managementRateLimit: { requests: 3, perMs: 6_000 } });
    for (let i = 0; i < 3; i++) expect((await list()).status).toBe(200);
    const limited = await list();
    expect(limited.status).toBe(429);
    // one request comes back every 2 s
    expect(limited.headers.get('retry-after')).toBe('2');
    // status and command share the management budget; the client API does not
    expect((await fetch(`${sim.url}/api/admin/status/v1/conference/`, { headers: AUTH })).status).toBe(429);
    expect((await fetch(`${sim.url}/api/client/v2/conferences/x/request_token`, { method: 'POST', body: '{"display_name":"x"}' })).status).toBe(404);
    clock.advance(2_000);
    expect((await list()).status).toBe(200);
    expect((await list()).status).toBe(429);
    expect(sim.rateLimited()).toBe(3);
  });

  it('the control routes change the knobs of a running simulator, with the management credentials, and refuse bad values naming the field', async () => {
    sim = await startPexipSimulator({ basic: { username: 'admin', password: 'pw' } });
    const put = (path: string, body: unknown, headers: Record<string, string> = AUTH) => fetch(`${sim.url}/_sim/${path}`, { method: 'PUT', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect((await put('rate_limit', { requests: 1, perSeconds: 60 }, {})).status).toBe(401);
    expect((await put('rate_limit', { requests: 1, perSeconds: 60 })).status).toBe(204);
    expect((await list()).status).toBe(200);
    expect((await list()).status).toBe(429);
    // the control routes themselves are never limited
    expect((await put('rate_limit', null)).status).toBe(204);
    expect((await list()).status).toBe(200);

    expect((await put('faults', { errorRate: { configuration: 1 } })).status).toBe(204);
    expect((await list()).status).toBe(503);
    const bad = await put('faults', { sink: { drop: 2 } });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toContain('sink.drop');
    expect((await put('faults', {})).status).toBe(204);
    expect((await list()).status).toBe(200);
  });

  it('the vendors process reads its knobs from the environment; --production-like means 90 s propagation and a management limit', () => {
    expect(parseVendorKnobs({}).pexip).toEqual({ propagationDelayMs: 3000, managementRateLimit: undefined, faults: {}, seed: undefined, sinkBulk: false });
    expect(parseVendorKnobs({}, ['--production-like']).pexip).toMatchObject({ propagationDelayMs: PRODUCTION_PROPAGATION_DELAY_MS, managementRateLimit: PRODUCTION_MANAGEMENT_RATE_LIMIT, sinkBulk: true });
    expect(parseVendorKnobs({ PEXIP_SIM_SINK_BULK: 'false' }, ['--production-like']).pexip.sinkBulk).toBe(false);
    expect(parseVendorKnobs({ PEXIP_SIM_SINK_BULK: 'true' }).pexip.sinkBulk).toBe(true);
    const chaos = parseVendorKnobs({ PEXIP_SIM_SINK_DROP: '0.1', PEXIP_SIM_SINK_DUPLICATE: '0.05', PEXIP_SIM_SINK_REORDER: '0.2', PEXIP_SIM_SINK_DELAY_MS: '30000', PEXIP_SIM_ERROR_RATE: '0.02', PEXIP_SIM_RATE_LIMIT: '300/60', PEXIP_SIM_SEED: '7' }, ['--production-like']);
    expect(chaos.pexip).toEqual({
      propagationDelayMs: PRODUCTION_PROPAGATION_DELAY_MS,
      managementRateLimit: { requests: 300, perMs: 60_000 },
      faults: { errorRate: { configuration: 0.02, status: 0.02, command: 0.02 }, sink: { drop: 0.1, duplicate: 0.05, reorder: 0.2, delayMs: 30_000 } },
      seed: 7,
      sinkBulk: true,
    });
    expect(parseVendorKnobs({ PEXIP_SIM_RATE_LIMIT: 'off' }, ['--production-like']).pexip.managementRateLimit).toBeUndefined();
    expect(() => parseVendorKnobs({ PEXIP_SIM_SINK_DROP: '1.5' })).toThrow(/^PEXIP_SIM_SINK_DROP: /);
    expect(() => parseVendorKnobs({ PEXIP_SIM_RATE_LIMIT: 'lots' })).toThrow(/^PEXIP_SIM_RATE_LIMIT: /);
    expect(() => parseVendorKnobs({ PEXIP_SIM_SINK_BULK: 'yes' })).toThrow(/^PEXIP_SIM_SINK_BULK: /);
  });
});
