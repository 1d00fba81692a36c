import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { requestToken, callsWebrtcParticipant, refreshToken, withPin, withToken } from '@pexip/infinity-api';
import { manualClock, startPexipSimulator, type ManualClock, type PexipSimulator, type SinkEnvelope } from '../../local/pexip-simulator';
import { createPexipClient, type PexipClient } from '../../src/adapters/pexip';
import type { SipCaller, SipDestination } from '../../src/contracts/sip';
import { silentLogger, testConfig } from './helpers';

const OFFER = 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=setup:actpass\r\n';

/**
 * A plain receiver that keeps every envelope it is sent (bulk batches flattened) and when it got
 * it (`performance.now()`); `hold()` keeps its answers back until `release()`, so a post stays in flight.
 */
async function captureSink(): Promise<{ url: string; envelopes: SinkEnvelope[]; arrivedAt: number[]; bodies: unknown[]; server: Server; hold(): void; release(): void }> {
  const envelopes: SinkEnvelope[] = [];
  const arrivedAt: number[] = [];
  const bodies: unknown[] = [];
  const held: (() => void)[] = [];
  let holding = false;
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      const at = performance.now();
      const body = JSON.parse(text) as SinkEnvelope & { data: unknown };
      bodies.push(body);
      const got = body.event === 'eventsink_bulk' ? (body.data as SinkEnvelope[]) : [body];
      envelopes.push(...got);
      arrivedAt.push(...got.map(() => at));
      const answer = () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      if (holding) held.push(answer);
      else answer();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/sink`,
    envelopes,
    arrivedAt,
    bodies,
    server,
    hold: () => {
      holding = true;
    },
    release: () => {
      holding = false;
      for (const answer of held.splice(0)) answer();
    },
  };
}

/** Polls (real time) until `check()` holds. */
async function until(check: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** Node timers count from the event loop's cached time, so they can fire a hair early by performance.now(). */
const TIMER_SLACK_MS = 5;

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

  async function start(options: { propagationDelayMs?: number; nodes?: string[]; bulk?: boolean; random?: () => number } = {}) {
    clock = manualClock();
    sim = await startPexipSimulator({ basic: { username: 'admin', password: 'pw' }, clock, sipDestination: destination, propagationDelayMs: options.propagationDelayMs ?? 0, ...(options.nodes ? { nodes: options.nodes } : {}), ...(options.random ? { random: options.random } : {}) });
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

  it('sink fault knob: reorder delivers events of a node out of emission order, each exactly once; off keeps the order', async () => {
    // every draw of the simulator's random is 0.5: a probability of 1 always fires, 0 never
    await start({ random: () => 0.5 });
    await client.rooms.createRoom({ name: 'mctest-o', guestPin: '1234', hostPin: '987654' });
    await sim.flushEvents();
    sim.setFaults({ sink: { reorder: 1 } });
    // the host's join raises conference_started, participant_connected, conference_updated together
    await joinAs('mctest-o', '987654');
    const burst = await events();
    const emitted = [2, 3, 4];
    expect(burst.map((e) => e.seq)).not.toEqual(emitted);
    expect(burst.map((e) => e.seq).sort((a, b) => a - b)).toEqual(emitted);

    // an event raised while the previous one is still being posted: neither is lost nor doubled
    const guests = [];
    for (let i = 0; i < 2; i++) {
      guests.push(await joinAs('mctest-o', '1234'));
      await sim.flushEvents();
    }
    sink.hold();
    const before = sink.envelopes.length;
    sim.dropParticipant(guests[0]!.participant_uuid);
    await until(() => sink.envelopes.length > before); // its post is in flight, unanswered
    sim.dropParticipant(guests[1]!.participant_uuid);
    sink.release();
    const leaves = (await events()).filter((e) => e.event === 'participant_disconnected');
    expect(leaves.map((e) => (e.data as { uuid: string }).uuid)).toEqual(guests.map((g) => g.participant_uuid));
    const all = await events();
    expect(new Set(all.map((e) => e.seq)).size).toBe(all.length);

    sim.setFaults({ sink: { reorder: 0 } });
    const start2 = sink.envelopes.length;
    await client.rooms.createRoom({ name: 'mctest-o2', guestPin: '1234', hostPin: '987654' });
    await joinAs('mctest-o2', '987654');
    await sim.flushEvents();
    const ordered = sink.envelopes.slice(start2);
    expect(ordered.map((e) => e.event)).toEqual(['conference_started', 'participant_connected', 'conference_updated']);
    expect(ordered.map((e) => e.seq)).toEqual([...ordered.map((e) => e.seq)].sort((a, b) => a - b));
  });

  it('sink fault knob: delayMs holds every post at least that long (real time, not the simulator clock)', async () => {
    await start();
    await client.rooms.createRoom({ name: 'mctest-d', guestPin: '1234', hostPin: '987654' });
    const host = await joinAs('mctest-d', '987654');
    const guest = await joinAs('mctest-d', '1234');
    await sim.flushEvents();
    const delayMs = 150;
    sim.setFaults({ sink: { delayMs } });
    const before = sink.envelopes.length;
    const emittedAt = performance.now();
    // raised synchronously: the guest leaves, then the host, which ends the conference (3 events)
    sim.dropParticipant(guest.participant_uuid);
    sim.dropParticipant(host.participant_uuid);
    await sim.flushEvents();
    const arrived = sink.envelopes.slice(before);
    expect(arrived.map((e) => e.event)).toEqual(['participant_disconnected', 'participant_disconnected', 'conference_ended']);
    // one node's queue posts one at a time, each after its own delay
    sink.arrivedAt.slice(before).forEach((at, i) => expect(at - emittedAt).toBeGreaterThanOrEqual((i + 1) * delayMs - TIMER_SLACK_MS));
  });

  it('latency knob: every API answer takes at least latencyMs', async () => {
    await start();
    const latencyMs = 150;
    sim.setFaults({ latencyMs });
    let t0 = performance.now();
    const res = await fetch(`${sim.url}/api/admin/configuration/v1/conference/`, { headers: { authorization: `Basic ${Buffer.from('admin:pw').toString('base64')}` } });
    expect(res.status).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(latencyMs - TIMER_SLACK_MS);
    t0 = performance.now();
    await client.rooms.createRoom({ name: 'mctest-l', guestPin: '1234', hostPin: '987654' });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(latencyMs - TIMER_SLACK_MS);
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
