import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { requestToken, callsWebrtcParticipant, refreshToken, withPin, withToken } from '@pexip/infinity-api';
import { manualClock, startPexipSimulator, type ManualClock, type PexipSimulator, type SinkEnvelope } from '../../local/pexip-simulator';
import { createPexipClient, type PexipClient } from '../../src/adapters/pexip';
import type { SipCaller, SipDestination } from '../../src/contracts/sip';
import { silentLogger, testConfig } from './helpers';

const OFFER = 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=setup:actpass\r\n';

/** A plain receiver that keeps every envelope it is sent (bulk batches flattened). */
async function captureSink(): Promise<{ url: string; envelopes: SinkEnvelope[]; bodies: unknown[]; server: Server }> {
  const envelopes: SinkEnvelope[] = [];
  const bodies: unknown[] = [];
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      const body = JSON.parse(text) as SinkEnvelope & { data: unknown };
      bodies.push(body);
      if (body.event === 'eventsink_bulk') envelopes.push(...(body.data as SinkEnvelope[]));
      else envelopes.push(body);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/sink`, envelopes, bodies, server };
}

describe('Pexip simulator rules', () => {
  let clock: ManualClock;
  let sim: PexipSimulator;
  let sink: Awaited<ReturnType<typeof captureSink>>;
  let client: PexipClient;
  const answered: SipCaller[] = [];
  let answer: 'yes' | 'busy' = 'yes';
  const destination: SipDestination = {
    async invite(_invite, caller) {
      if (answer === 'busy') return { answered: false, status: 486, reason: 'Busy Here' };
      answered.push(caller);
      return { answered: true, dialogue: { hangUp: () => undefined } };
    },
  };

  async function start(options: { propagationDelayMs?: number; nodes?: string[]; bulk?: boolean } = {}) {
    clock = manualClock();
    sim = await startPexipSimulator({ basic: { username: 'admin', password: 'pw' }, clock, sipDestination: destination, propagationDelayMs: options.propagationDelayMs ?? 0, ...(options.nodes ? { nodes: options.nodes } : {}) });
    sink = await captureSink();
    sim.setEventSink(sink.url, { username: 'u', password: 'p' }, { bulk: options.bulk ?? false });
    client = createPexipClient(testConfig({ PEXIP_MANAGEMENT_URL: sim.url, PEXIP_USERNAME: 'admin', PEXIP_PASSWORD: 'pw' }), silentLogger);
  }
  afterEach(async () => {
    answered.length = 0;
    answer = 'yes';
    await sim.stop();
    await new Promise((r) => sink.server.close(r));
  });

  async function joinAs(room: string, pin: string) {
    const t = await requestToken({ fetcher: withPin(fetch, pin), params: { conferenceAlias: room }, body: { display_name: 'x' }, host: sim.url });
    if (t.status !== 200) throw new Error(`join refused ${t.status}`);
    const r = t.data.result;
    await callsWebrtcParticipant({ fetcher: withToken(fetch, r.token), params: { conferenceAlias: room, participantUuid: r.participant_uuid }, body: { call_type: 'WEBRTC', sdp: OFFER }, host: sim.url });
    return r;
  }
  const events = async () => {
    await sim.flushEvents();
    return sink.envelopes.filter((e) => e.event !== 'eventsink_started');
  };

  it('a new room reaches the nodes only after the propagation delay (90 s)', async () => {
    await start({ propagationDelayMs: 90_000 });
    await client.rooms.createRoom({ name: 'mctest-new', guestPin: '1234', hostPin: '987654' });
    const early = await requestToken({ fetcher: withPin(fetch, '1234'), params: { conferenceAlias: 'mctest-new' }, body: { display_name: 'x' }, host: sim.url });
    expect(early.status).toBe(404);
    await expect(client.calls.dialOut({ roomName: 'mctest-new' })).rejects.toMatchObject({ status: 400 });
    clock.advance(90_000);
    expect((await requestToken({ fetcher: withPin(fetch, '1234'), params: { conferenceAlias: 'mctest-new' }, body: { display_name: 'x' }, host: sim.url })).status).toBe(200);
  });

  it('a guest waits until the SIP chair answers; the conference ends 60 s after the last host leaves', async () => {
    await start();
    await client.rooms.createRoom({ name: 'mctest-w', guestPin: '1234', hostPin: '987654' });
    const citizen = await joinAs('mctest-w', '1234');
    expect(citizen.current_service_type).toBe('waiting_room');
    const { participantId } = await client.calls.dialOut({ roomName: 'mctest-w', uui: 'abcd;encoding=hex' });
    await new Promise((r) => setImmediate(r));
    let list = await events();
    expect(list.map((e) => e.event)).toEqual(['conference_started', 'participant_connected', 'participant_connected', 'participant_updated', 'conference_updated']);
    expect(list[3]!.data).toMatchObject({ uuid: citizen.participant_uuid, service_type: 'conference' });
    expect(list[2]!.data).toMatchObject({ uuid: participantId, call_direction: 'out', protocol: 'SIP', role: 'chair', destination_alias: 'sip:sbc_vbv_test@byoc.example' });
    expect(list.map((e) => e.seq)).toEqual([2, 3, 4, 5, 6]);

    // Genesys hangs up: only the guest remains, 60 s later the conference ends
    answered[0]!.remoteHangUp('agent hung up');
    clock.advance(59_000);
    expect(sim.participants('mctest-w')).toHaveLength(1);
    // the citizen keeps refreshing meanwhile
    clock.advance(1_000);
    list = await events();
    // the SIP leg leaves, the citizen is back in the waiting room, then is let go with the conference
    expect(list.slice(-4).map((e) => e.event)).toEqual(['participant_disconnected', 'participant_updated', 'participant_disconnected', 'conference_ended']);
    expect(list.at(-3)!.data).toMatchObject({ uuid: citizen.participant_uuid, service_type: 'waiting_room' });
    expect(list.at(-2)!.data).toMatchObject({ disconnect_reason: 'All conference hosts departed hosted conference' });
    expect(sim.rooms().map((r) => r.name)).toContain('mctest-w'); // VMRs never expire
  });

  it('a short citizen blip alone in the room ends the conference (conference_ended), and a rejoin starts it again', async () => {
    await start();
    await client.rooms.createRoom({ name: 'mctest-b', guestPin: '1234', hostPin: '987654' });
    const first = await joinAs('mctest-b', '1234');
    sim.dropParticipant(first.participant_uuid, 'Media node disconnected');
    await joinAs('mctest-b', '1234');
    expect((await events()).map((e) => e.event)).toEqual(['conference_started', 'participant_connected', 'participant_disconnected', 'conference_ended', 'conference_started', 'participant_connected']);
  });

  it('a refused dial-out is reported as a disconnect of a leg that never connected', async () => {
    await start();
    answer = 'busy';
    await client.rooms.createRoom({ name: 'mctest-r', guestPin: '1234', hostPin: '987654' });
    await joinAs('mctest-r', '1234');
    await client.calls.dialOut({ roomName: 'mctest-r' });
    await new Promise((r) => setImmediate(r));
    const leg = (await events()).find((e) => e.event === 'participant_disconnected');
    expect(leg?.data).toMatchObject({ call_direction: 'out', connect_time: null, duration: 0, disconnect_reason: 'Call rejected (486 Busy Here)' });
  });

  it('a token not refreshed expires; refreshing keeps the participant', async () => {
    await start();
    await client.rooms.createRoom({ name: 'mctest-t', guestPin: '1234', hostPin: '987654' });
    const kept = await joinAs('mctest-t', '987654');
    const dropped = await joinAs('mctest-t', '1234');
    clock.advance(60_000);
    const refreshed = await refreshToken({ fetcher: withToken(fetch, kept.token), params: { conferenceAlias: 'mctest-t' }, host: sim.url });
    expect(refreshed.status).toBe(200);
    clock.advance(61_000);
    const left = (await events()).filter((e) => e.event === 'participant_disconnected');
    expect(left.map((e) => (e.data as { uuid: string }).uuid)).toEqual([dropped.participant_uuid]);
    expect(left[0]!.data).toMatchObject({ disconnect_reason: 'Timer expired awaiting token refresh' });
  });

  it('the SSE events stream syncs participants and sends disconnect when the conference ends', async () => {
    await start();
    await client.rooms.createRoom({ name: 'mctest-s', guestPin: '1234', hostPin: '987654' });
    const p = await joinAs('mctest-s', '987654');
    const response = await fetch(`${sim.url}/api/client/v2/conferences/mctest-s/events?token=${p.token}`);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const reader = response.body!.getReader();
    await client.calls.disconnectConference('mctest-s');
    let text = '';
    for (;;) {
      const chunk = await reader.read();
      if (chunk.done) break;
      text += new TextDecoder().decode(chunk.value);
    }
    const names = [...text.matchAll(/^event: (\S+)$/gm)].map((m) => m[1]);
    expect(names.slice(0, 4)).toEqual(['participant_sync_begin', 'participant_create', 'participant_sync_end', 'conference_update']);
    expect(names.at(-1)).toBe('disconnect');
    expect(text).toContain('"reason":"Conference terminated by an administrator"');
  });

  it('each node reports its own conference events; seq is per node and restarts with the sink; bulk mode batches', async () => {
    await start({ nodes: ['10.0.0.1', '10.0.0.2'], bulk: true });
    await client.rooms.createRoom({ name: 'mctest-n', guestPin: '1234', hostPin: '987654' });
    await joinAs('mctest-n', '987654');
    await joinAs('mctest-n', '1234');
    const list = await events();
    expect(list.filter((e) => e.event === 'conference_started').map((e) => e.node).sort()).toEqual(['10.0.0.1', '10.0.0.2']);
    expect(sink.bodies.some((b) => (b as { event: string }).event === 'eventsink_bulk')).toBe(true);
    sim.restartEventSink();
    await client.calls.disconnectConference('mctest-n');
    const after = (await events()).filter((e) => e.event === 'conference_ended');
    expect(after.map((e) => e.seq).every((s) => s <= 3)).toBe(true);
  });

  it('sink fault knobs: duplicate and drop', async () => {
    await start();
    sim.setFaults({ sink: { duplicate: 1 } });
    await client.rooms.createRoom({ name: 'mctest-f', guestPin: '1234', hostPin: '987654' });
    await joinAs('mctest-f', '987654');
    const doubled = await events();
    expect(doubled.map((e) => e.event)).toEqual(['conference_started', 'conference_started', 'participant_connected', 'participant_connected', 'conference_updated', 'conference_updated']);
    sim.setFaults({ sink: { drop: 1 } });
    await client.calls.disconnectConference('mctest-f');
    expect(await events()).toHaveLength(6);
  });

  it('error-rate knob answers 503 on the chosen endpoint family only', async () => {
    await start();
    sim.setFaults({ errorRate: { command: 1 } });
    const res = await fetch(`${sim.url}/api/admin/command/v1/participant/dial/`, { method: 'POST', headers: { authorization: `Basic ${Buffer.from('admin:pw').toString('base64')}` }, body: '{}' });
    expect(res.status).toBe(503);
    expect((await fetch(`${sim.url}/api/admin/configuration/v1/conference/`, { headers: { authorization: `Basic ${Buffer.from('admin:pw').toString('base64')}` } })).status).toBe(200);
    expect((await fetch(`${sim.url}/api/admin/configuration/v1/conference/`)).status).toBe(401);
  });
});
