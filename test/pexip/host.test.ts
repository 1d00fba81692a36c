import { requestToken, callsWebrtcParticipant, disconnectCall, releaseToken, withPin, withToken } from '@pexip/infinity-api';
import { startPexipSimulator, type PexipSimulator } from '../../local/pexip-simulator';
import type { RoomPoolState } from '../../src/contracts/roomPool';
import { startTestHost, type TestHost } from '../support/localHost';

const OFFER = 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=setup:actpass\r\n';
const SINK = { username: 'pexip-sink', password: 'sink-secret-1' };

/** The real main entry on the local durable host, against the Pexip simulator. */
describe('Pexip pieces inside the local durable host', () => {
  let sim: PexipSimulator;
  let host: TestHost;
  const webhook = (path: string, init?: RequestInit) => fetch(`${host.url}/runtime/webhooks/durabletask/${path}`, init);

  beforeAll(async () => {
    sim = await startPexipSimulator({ basic: { username: 'admin', password: 'pw' } });
    host = await startTestHost({
      PEXIP_MANAGEMENT_URL: sim.url,
      PEXIP_USERNAME: 'admin',
      PEXIP_PASSWORD: 'pw',
      PEXIP_CONFERENCE_HOST: sim.url,
      PEXIP_EVENT_SINK_USERNAME: SINK.username,
      PEXIP_EVENT_SINK_PASSWORD: SINK.password,
      MAXCONF_ROOM_PREFIX: 'mchost-',
      ROOM_POOL_SIZE: '3',
      GENESYS_SIP_URI: 'sip:sbc_vbv_test@byoc.example',
      GENESYS_EVENTS_API_KEY: 'k',
    });
    sim.setEventSink(`${host.url}/public/event_sink`, SINK);
  });
  afterAll(async () => {
    await host?.stop();
    await sim?.stop();
  });

  async function settle(check: () => Promise<boolean>, label: string): Promise<void> {
    for (let i = 0; i < 200; i++) {
      await host.idle();
      if (await check()) return;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`not settled: ${label}`);
  }

  async function pool(): Promise<RoomPoolState | undefined> {
    const r = await webhook('entities/roomPool/default');
    return r.status === 200 ? ((await r.json()) as RoomPoolState) : undefined;
  }

  it('the keeper timer fills the pool at start-up; a claim hands out a tagged room; the pool refills', async () => {
    await host.advance(61_000);
    await settle(async () => (await pool())?.ready.length === 3, 'pool filled');
    expect(sim.rooms()).toHaveLength(3);

    const started = await webhook('orchestrators/claimRoom', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tag: 'https://id.gov.bc.ca/idcheck/protected/video/v1' }) });
    expect(started.status).toBe(202);
    const { id } = (await started.json()) as { id: string };
    let output: { ok: boolean; room?: { name: string; tag: string } } | undefined;
    await settle(async () => {
      const s = (await (await webhook(`instances/${id}`)).json()) as { runtimeStatus: string; output: typeof output };
      output = s.output;
      return s.runtimeStatus === 'Completed';
    }, 'claim completed');
    expect(output).toMatchObject({ ok: true, room: { tag: 'https://id.gov.bc.ca/idcheck/protected/video/v1' } });
    expect((await pool())?.claimed.map((c) => c.name)).toEqual([output?.room?.name]);

    await host.advance(60_000);
    await settle(async () => (await pool())?.ready.length === 3, 'pool refilled');
    expect(sim.rooms()).toHaveLength(4);
  });

  it('50 concurrent claims through the durable runtime get 50 distinct rooms', async () => {
    // v1's bulk create asks for 47 more on top of ROOM_POOL_SIZE=3
    const grow = await webhook('entities/roomPool/default?op=grow', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ count: 47 }) });
    expect(grow.status).toBe(202);
    await host.advance(60_000);
    await settle(async () => (await pool())?.ready.length === 50, 'pool grown to 50');
    const ids = await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        const r = await webhook('orchestrators/claimRoom', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tag: `https://t/${i}` }) });
        return ((await r.json()) as { id: string }).id;
      }),
    );
    const outputs: { ok: boolean; room?: { name: string } }[] = [];
    await settle(async () => {
      outputs.length = 0;
      for (const id of ids) {
        const s = (await (await webhook(`instances/${id}`)).json()) as { runtimeStatus: string; output: { ok: boolean; room?: { name: string } } };
        if (s.runtimeStatus !== 'Completed') return false;
        outputs.push(s.output);
      }
      return true;
    }, '50 claims completed');
    expect(outputs.every((o) => o.ok)).toBe(true);
    expect(new Set(outputs.map((o) => o.room?.name)).size).toBe(50);
  }, 60_000);

  it("the simulator's sink posts reach MaxConf's /public/event_sink and are acknowledged", async () => {
    const pins = sim.rooms()[0]!;
    const room = pins.name;
    const t = await requestToken({ fetcher: withPin(fetch, pins.guest_pin), params: { conferenceAlias: room }, body: { display_name: room }, host: sim.url });
    if (t.status !== 200) throw new Error('join refused');
    const call = await callsWebrtcParticipant({ fetcher: withToken(fetch, t.data.result.token), params: { conferenceAlias: room, participantUuid: t.data.result.participant_uuid }, body: { call_type: 'WEBRTC', sdp: OFFER }, host: sim.url });
    if (call.status !== 200) throw new Error('call refused');
    await disconnectCall({ fetcher: withToken(fetch, t.data.result.token), params: { conferenceAlias: room, participantUuid: t.data.result.participant_uuid, callUuid: call.data.result.call_uuid }, host: sim.url });
    await releaseToken({ fetcher: withToken(fetch, t.data.result.token), params: { conferenceAlias: room }, body: {}, host: sim.url });
    await sim.flushEvents();
    const deliveries = sim.sinkDeliveries();
    expect(deliveries.length).toBeGreaterThanOrEqual(4);
    expect(deliveries.every((d) => d.status === 200)).toBe(true);
    // no session runs in a pool room yet: acknowledged and counted, not raised
    const joined = deliveries.find((d) => !Array.isArray(d.envelope) && d.envelope.event === 'participant_connected');
    expect(joined?.reply).toMatchObject({ received: 1, unknown_session: 1 });
  });

  it('an unauthenticated post is refused by the real route', async () => {
    const r = await fetch(`${host.url}/public/event_sink`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"event":"conference_ended","data":{"name":"mchost-x"}}' });
    expect(r.status).toBe(401);
    expect(r.headers.get('content-type')).toContain('application/problem+json');
  });
});
