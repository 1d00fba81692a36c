import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  callsWebrtcParticipant,
  disconnectCall,
  newCandidate,
  ack,
  refreshToken,
  releaseToken,
  requestToken,
  withPin,
  withToken,
} from '@pexip/infinity-api';
import { startPexipSimulator, type PexipSimulator } from '../../local/pexip-simulator';
import { durableSessionEventPublisher } from '../../src/adapters/durable/sessionEventPublisher';
import { createPexipClient } from '../../src/adapters/pexip';
import { eventSinkHandler } from '../../src/http/eventSink';
import { pexipSinkStateEntity } from '../../entities/pexipSinkState';
import { FakeDurable } from './fakeDurable';
import { silentLogger, testConfig } from './helpers';

const OFFER = ['v=0', 'o=- 1 2 IN IP4 127.0.0.1', 's=-', 't=0 0', 'm=audio 9 UDP/TLS/RTP/SAVPF 111', 'a=setup:actpass', 'a=mid:0', 'm=video 9 UDP/TLS/RTP/SAVPF 96', 'a=setup:actpass', 'a=mid:1', ''].join('\r\n');

/** MaxConf's sink route served over node:http, backed by the durable stand-in with one live session. */
async function startSink(durable: FakeDurable): Promise<{ url: string; server: Server }> {
  const handler = eventSinkHandler({
    credentials: { username: 'pexip-sink', password: 'sink-secret-1' },
    roomPrefix: 'mctest-',
    genesysSipUri: 'sip:sbc_vbv_test@byoc.example',
    logger: silentLogger,
    now: () => new Date(),
    publisher: durableSessionEventPublisher,
  });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void handler(
        {
          method: req.method ?? 'POST',
          url: req.url ?? '/',
          params: {},
          query: new URLSearchParams(),
          header: (n) => {
            const v = req.headers[n.toLowerCase()];
            return Array.isArray(v) ? v[0] : v;
          },
          body: Buffer.concat(chunks).toString('utf8'),
        },
        { invocationId: 'x', durable },
      ).then((r) => {
        res.writeHead(r.status, { 'content-type': 'application/json', ...r.headers }).end(r.body === undefined ? '' : JSON.stringify(r.body));
      });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/public/event_sink`, server };
}

describe('the BCSC app joins a simulated VMR with @pexip/infinity-api', () => {
  let sim: PexipSimulator;
  let sink: { url: string; server: Server };
  let durable: FakeDurable;
  let room: { name: string; guest_pin?: string | null; pin?: string | null };

  beforeEach(async () => {
    sim = await startPexipSimulator({ basic: { username: 'admin', password: 'pw' } });
    durable = new FakeDurable({ orchestrations: {}, activities: {}, entities: { pexipSinkState: pexipSinkStateEntity as never } });
    sink = await startSink(durable);
    sim.setEventSink(sink.url, { username: 'pexip-sink', password: 'sink-secret-1' });
    const client = createPexipClient(testConfig({ PEXIP_MANAGEMENT_URL: sim.url, PEXIP_USERNAME: 'admin', PEXIP_PASSWORD: 'pw' }), silentLogger);
    room = await client.rooms.createRoom({ name: 'mctest-bcsc1', guestPin: '4821', hostPin: '918273', tag: 'https://t/1' });
    durable.instances.set(room.name, { instanceId: room.name, name: 'callSession', runtimeStatus: 'Running', input: null, output: null, customStatus: null, createdTime: '', lastUpdatedTime: '' });
  });
  afterEach(async () => {
    await sim.stop();
    await new Promise((r) => sink.server.close(r));
  });

  it('request token with the guest PIN, WebRTC call, candidate, ack, refresh, hang-up, release: the sink sees join and leave', async () => {
    const host = sim.url;
    const params = { conferenceAlias: room.name };
    const token = await requestToken({ fetcher: withPin(fetch, '4821'), params, body: { display_name: room.name }, host });
    expect(token.status).toBe(200);
    if (token.status !== 200) throw new Error('no token');
    const result = token.data.result;
    expect(result).toMatchObject({ role: 'GUEST', expires: '120', current_service_type: 'waiting_room' });

    const call = await callsWebrtcParticipant({
      fetcher: withToken(fetch, result.token),
      params: { ...params, participantUuid: result.participant_uuid },
      body: { call_type: 'WEBRTC', sdp: OFFER, media_type: 'video' },
      host,
    });
    expect(call.status).toBe(200);
    if (call.status !== 200) throw new Error('no call');
    expect(call.data.result.sdp).toContain('a=setup:passive');
    const callParams = { ...params, participantUuid: result.participant_uuid, callUuid: call.data.result.call_uuid };
    expect((await newCandidate({ fetcher: withToken(fetch, result.token), params: callParams, body: { candidate: 'candidate:1 1 udp 1 127.0.0.1 9 typ host', mid: '0' }, host })).status).toBe(200);
    expect((await ack({ fetcher: withToken(fetch, result.token), params: callParams, body: {}, host })).status).toBe(200);

    const refreshed = await refreshToken({ fetcher: withToken(fetch, result.token), params, host });
    expect(refreshed.status).toBe(200);
    if (refreshed.status !== 200) throw new Error('no refresh');
    const fresh = refreshed.data.result.token;

    expect(sim.participants(room.name)).toEqual([expect.objectContaining({ role: 'guest', protocol: 'WebRTC', callDirection: 'in' })]);
    expect((await disconnectCall({ fetcher: withToken(fetch, fresh), params: callParams, host })).status).toBe(200);
    // as on Pexip, the participant outlives its media call until the token is released
    expect(sim.participants(room.name)).toEqual([expect.objectContaining({ hasMedia: false, state: 'connected' })]);
    expect((await releaseToken({ fetcher: withToken(fetch, fresh), params, body: {}, host })).status).toBe(200);
    expect(sim.participants(room.name)).toEqual([]);
    expect((await releaseToken({ fetcher: withToken(fetch, fresh), params, body: {}, host })).status).toBe(403);

    await sim.flushEvents();
    const raised = durable.raised.map((r) => r.data as { type: string; participantId?: string });
    expect(raised.map((r) => r.type)).toEqual(['conference_started', 'citizen_joined', 'citizen_left', 'conference_ended']);
    expect(raised[1]!.participantId).toBe(result.participant_uuid);
    expect(sim.sinkDeliveries().every((d) => d.status === 200)).toBe(true);
  });

  it('refuses a wrong PIN the way Pexip does, and asks for a PIN when none is given', async () => {
    const wrong = await requestToken({ fetcher: withPin(fetch, '0000'), params: { conferenceAlias: room.name }, body: { display_name: 'x' }, host: sim.url });
    expect(wrong).toEqual({ status: 403, data: { status: 'failed', result: 'Invalid PIN' } });
    const none = await requestToken({ fetcher: fetch, params: { conferenceAlias: room.name }, body: { display_name: 'x' }, host: sim.url });
    expect(none).toMatchObject({ status: 403, data: { status: 'success', result: { pin: 'required', guest_pin: 'required' } } });
    const missing = await requestToken({ fetcher: withPin(fetch, '4821'), params: { conferenceAlias: 'mctest-nope' }, body: { display_name: 'x' }, host: sim.url });
    expect(missing).toEqual({ status: 404, data: { status: 'failed', result: 'Neither conference nor gateway found' } });
    expect(sim.participants(room.name)).toEqual([]);
  });

  it('the host PIN joins as HOST', async () => {
    const host = await requestToken({ fetcher: withPin(fetch, '918273'), params: { conferenceAlias: room.name }, body: { display_name: 'Agent' }, host: sim.url });
    expect(host).toMatchObject({ status: 200, data: { result: { role: 'HOST', current_service_type: 'conference' } } });
  });
});
