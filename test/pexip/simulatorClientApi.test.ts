import {
  callsWebrtcParticipant,
  clientMuteParticipant,
  disconnect,
  disconnectCall,
  muteParticipant,
  participants,
  requestToken,
  theme,
  unmuteParticipant,
  videoMuteParticipant,
  videoUnmuteParticipant,
  withPin,
  withToken,
} from '@pexip/infinity-api';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { manualClock, startPexipSimulator, type ManualClock, type PexipSimulator } from '../../local/pexip-simulator';
import { createPexipClient } from '../../src/adapters/pexip';
import { silentLogger, testConfig } from './helpers';

const OFFER = 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\na=setup:actpass\r\n';
const ORIGIN = 'http://localhost:5173';

/** Reads an SSE stream in the background, keeping each event's name and data. */
function follow(url: string): { events: { event: string; data: any }[]; close(): void } {
  const events: { event: string; data: any }[] = [];
  const abort = new AbortController();
  void fetch(url, { signal: abort.signal, headers: { origin: ORIGIN } })
    .then(async (res) => {
      const reader = res.body!.getReader();
      let buffer = '';
      for (;;) {
        const chunk = await reader.read();
        if (chunk.done) return;
        buffer += new TextDecoder().decode(chunk.value);
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event = /^event: (.+)$/m.exec(frame)?.[1];
          const data = /^data: (.+)$/m.exec(frame)?.[1];
          if (event) events.push({ event, data: data ? JSON.parse(data) : undefined });
        }
      }
    })
    .catch(() => undefined);
  return { events, close: () => abort.abort() };
}

async function until(check: () => boolean, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('Pexip simulator client API, as a browser uses it', () => {
  let clock: ManualClock;
  let sim: PexipSimulator;
  const room = 'mctest-browser';
  const params = { conferenceAlias: room };

  beforeEach(async () => {
    clock = manualClock();
    sim = await startPexipSimulator({ basic: { username: 'admin', password: 'pw' }, clock, allowedOrigins: [/^http:\/\/localhost(:\d+)?$/] });
    const client = createPexipClient(testConfig({ PEXIP_MANAGEMENT_URL: sim.url, PEXIP_USERNAME: 'admin', PEXIP_PASSWORD: 'pw' }), silentLogger);
    await client.rooms.createRoom({ name: room, guestPin: '4821', hostPin: '918273' });
  });
  afterEach(async () => sim.stop());

  async function join(pin: string, name: string) {
    const t = await requestToken({ fetcher: withPin(fetch, pin), params, body: { display_name: name }, host: sim.url });
    if (t.status !== 200) throw new Error(`join refused ${t.status}`);
    const { token, participant_uuid: uuid, role } = t.data.result;
    const call = await callsWebrtcParticipant({ fetcher: withToken(fetch, token), params: { ...params, participantUuid: uuid }, body: { call_type: 'WEBRTC', sdp: OFFER }, host: sim.url });
    if (call.status !== 200) throw new Error('call refused');
    return { token, uuid, role, callUuid: call.data.result.call_uuid };
  }

  it('answers CORS preflights and every answer for allowed origins, and nothing for others', async () => {
    const url = `${sim.url}/api/client/v2/conferences/${room}/request_token`;
    const preflight = await fetch(url, { method: 'OPTIONS', headers: { origin: ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,pin' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(preflight.headers.get('access-control-allow-headers')).toBe('content-type,pin');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    // an error answer carries the headers too, so the page can read it
    const refused = await fetch(url, { method: 'POST', headers: { origin: ORIGIN, pin: '0000', 'content-type': 'application/json' }, body: '{"display_name":"x"}' });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('access-control-allow-origin')).toBe(ORIGIN);

    const stranger = 'https://evil.example';
    expect((await fetch(url, { method: 'OPTIONS', headers: { origin: stranger, 'access-control-request-method': 'POST' } })).status).toBe(403);
    const plain = await fetch(url, { method: 'POST', headers: { origin: stranger, pin: '4821' }, body: '{"display_name":"x"}' });
    expect(plain.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('the host PIN joins as HOST, the guest PIN as GUEST; theme and conference_status answer as @pexip/infinity expects', async () => {
    const host = await join('918273', 'Agent');
    const guest = await join('4821', 'Citizen');
    expect([host.role, guest.role]).toEqual(['HOST', 'GUEST']);
    expect((await theme({ fetcher: withToken(fetch, host.token), params, host: sim.url })).status).toBe(204);
    const status = await fetch(`${sim.url}/api/client/v2/conferences/${room}/conference_status`, { headers: { token: host.token } });
    expect(await status.json()).toMatchObject({ status: 'success', result: { started: true, locked: false } });
    const list = await participants({ fetcher: withToken(fetch, guest.token), params, host: sim.url });
    expect(list.status).toBe(200);
    expect((list.data as any).result.map((p: { display_name: string }) => p.display_name).sort()).toEqual(['Agent', 'Citizen']);
  });

  it('a host mutes, video-mutes and client-mutes a guest: the SSE stream, the status API and the event sink all see it; a guest may not', async () => {
    const sink = createServer((req, res) => req.resume().on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end('{}')));
    await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r));
    sim.setEventSink(`http://127.0.0.1:${(sink.address() as AddressInfo).port}/sink`, { username: 'u', password: 'p' });
    const host = await join('918273', 'Agent');
    const guest = await join('4821', 'Citizen');
    const stream = follow(`${sim.url}/api/client/v2/conferences/${room}/events?token=${host.token}`);
    await until(() => stream.events.some((e) => e.event === 'participant_sync_end'));
    const target = { ...params, participantUuid: guest.uuid };
    expect(await muteParticipant({ fetcher: withToken(fetch, host.token), params: target, host: sim.url })).toEqual({ status: 200, data: { status: 'success', result: true } });
    expect((await videoMuteParticipant({ fetcher: withToken(fetch, host.token), params: target, host: sim.url })).status).toBe(200);
    expect((await clientMuteParticipant({ fetcher: withToken(fetch, host.token), params: target, host: sim.url })).status).toBe(200);
    await until(() => stream.events.filter((e) => e.event === 'participant_update').length >= 3);
    expect(stream.events.filter((e) => e.event === 'participant_update').at(-1)!.data).toMatchObject({ uuid: guest.uuid, is_muted: 'YES', is_video_muted: true, is_client_muted: true });
    expect(sim.participants(room).find((p) => p.uuid === guest.uuid)).toMatchObject({ isMuted: true, isVideoMuted: true, isClientMuted: true });
    const status = await fetch(`${sim.url}/api/admin/status/v1/participant/?conference=${room}`, { headers: { authorization: `Basic ${Buffer.from('admin:pw').toString('base64')}` } });
    expect(((await status.json()) as any).objects.find((p: { id: string }) => p.id === guest.uuid)).toMatchObject({ is_muted: true });
    await sim.flushEvents();
    const updates = sim.sinkDeliveries().flatMap((d) => (Array.isArray(d.envelope) ? d.envelope : [d.envelope])).filter((e) => e.event === 'participant_updated');
    expect(updates.at(-1)!.data).toMatchObject({ uuid: guest.uuid, is_muted: true, is_video_muted: true });
    sink.close();

    await unmuteParticipant({ fetcher: withToken(fetch, host.token), params: target, host: sim.url });
    await videoUnmuteParticipant({ fetcher: withToken(fetch, host.token), params: target, host: sim.url });
    expect(sim.participants(room).find((p) => p.uuid === guest.uuid)).toMatchObject({ isMuted: false, isVideoMuted: false });

    const refused = await muteParticipant({ fetcher: withToken(fetch, guest.token), params: { ...params, participantUuid: host.uuid }, host: sim.url });
    expect(refused).toEqual({ status: 403, data: { status: 'failed', result: 'Invalid role' } });
    stream.close();
  });

  it('a participant outlives its media call: hanging up keeps it (has_media false) until the sendBeacon release with ?token=', async () => {
    const guest = await join('4821', 'Citizen');
    const host = await join('918273', 'Agent');
    const stream = follow(`${sim.url}/api/client/v2/conferences/${room}/events?token=${host.token}`);
    await until(() => stream.events.some((e) => e.event === 'participant_sync_end'));
    await disconnectCall({ fetcher: withToken(fetch, guest.token), params: { ...params, participantUuid: guest.uuid, callUuid: guest.callUuid }, host: sim.url });
    expect(sim.participants(room).find((p) => p.uuid === guest.uuid)).toMatchObject({ hasMedia: false, state: 'connected' });
    await until(() => stream.events.some((e) => e.event === 'participant_update' && e.data.uuid === guest.uuid && e.data.has_media === false));

    // navigator.sendBeacon: no token header, the token in the query, a Blob body
    const beacon = await fetch(`${sim.url}/api/client/v2/conferences/${room}/release_token?token=${encodeURIComponent(guest.token)}`, { method: 'POST', headers: { origin: ORIGIN, 'content-type': 'text/plain;charset=UTF-8' }, body: '{"reason":"Browser closed"}' });
    expect(beacon.status).toBe(200);
    expect(sim.participants(room).map((p) => p.uuid)).toEqual([host.uuid]);
    await until(() => stream.events.some((e) => e.event === 'participant_delete' && e.data.uuid === guest.uuid));
    stream.close();
  });

  it('a hung-up participant that stops refreshing is dropped when its token expires', async () => {
    const guest = await join('4821', 'Citizen');
    await disconnectCall({ fetcher: withToken(fetch, guest.token), params: { ...params, participantUuid: guest.uuid, callUuid: guest.callUuid }, host: sim.url });
    clock.advance(119_000);
    expect(sim.participants(room)).toHaveLength(1);
    clock.advance(1_000);
    expect(sim.participants(room)).toHaveLength(0);
  });

  it('only a host can end the conference from the client API, and every stream is told', async () => {
    const host = await join('918273', 'Agent');
    const guest = await join('4821', 'Citizen');
    const stream = follow(`${sim.url}/api/client/v2/conferences/${room}/events?token=${guest.token}`);
    await until(() => stream.events.some((e) => e.event === 'participant_sync_end'));
    expect((await disconnect({ fetcher: withToken(fetch, guest.token), params, host: sim.url }).catch((e: Error) => e.message))).toBe('Unexpected status 403');
    expect((await disconnect({ fetcher: withToken(fetch, host.token), params, host: sim.url })).status).toBe(200);
    await until(() => stream.events.some((e) => e.event === 'disconnect'));
    expect(sim.participants(room)).toEqual([]);
  });
});
