import { callsWebrtcParticipant, disconnectCall, releaseToken, requestToken, withPin, withToken } from '@pexip/infinity-api';
import { startGenesysSimulator, type GenesysSimulator, type GenesysSimulatorOptions } from '../../local/genesys-simulator';
import { startPexipSimulator, type PexipSimulator } from '../../local/pexip-simulator';
import { mintDevToken, ROLES } from '../../src/adapters/auth';
import { encodeUui } from '../../src/domain/uui';
import { startTestHost, type TestHost } from '../support/localHost';

/**
 * MaxConf end to end, as in `npm start`: the real main entry on the local durable host (virtual
 * clock), the Pexip simulator dialling the Genesys simulator, events flowing back through the
 * sink route and the Genesys queue. Tests act as IDIM, the BCSC app, agents and support staff.
 */
export interface Stack {
  host: TestHost;
  pexip: PexipSimulator;
  genesys: GenesysSimulator;
  idim: string;
  support: string;
  stop(): Promise<void>;
  /** lets every simulator and the host finish what is in flight */
  settle(): Promise<void>;
  api(method: string, path: string, options?: { token?: string; body?: unknown; headers?: Record<string, string> }): Promise<{ status: number; body: any }>;
  createRoom(videoCallId?: string): Promise<{ name: string; guest_pin: string; id: number }>;
  join(roomName: string, pin: string): Promise<Citizen>;
  session(roomName: string): Promise<any>;
  until(what: string, check: () => Promise<boolean>, timeoutMs?: number): Promise<void>;
}

export interface Citizen {
  participantId: string;
  leave(): Promise<void>;
}

const OFFER = ['v=0', 'o=- 1 2 IN IP4 127.0.0.1', 's=-', 't=0 0', 'm=audio 9 UDP/TLS/RTP/SAVPF 111', 'a=mid:0', 'm=video 9 UDP/TLS/RTP/SAVPF 96', 'a=mid:1', ''].join('\r\n');
const SINK = { username: 'pexip', password: 'stack-sink-password' };
const QUEUE = 'genesys-events';

export async function startStack(options: { genesys?: GenesysSimulatorOptions; env?: Record<string, string> } = {}): Promise<Stack> {
  const genesys = await startGenesysSimulator({ answerDelayMs: 0, agents: 1, agentsBusy: true, ...options.genesys });
  const pexip = await startPexipSimulator({ propagationDelayMs: 0, sipDestination: genesys.sipDestination });
  const host = await startTestHost({
    ...genesys.env(),
    PEXIP_MANAGEMENT_URL: pexip.url,
    PEXIP_USERNAME: pexip.username,
    PEXIP_PASSWORD: pexip.password,
    PEXIP_CONFERENCE_HOST: new URL(pexip.url).host,
    PEXIP_EVENT_SINK_USERNAME: SINK.username,
    PEXIP_EVENT_SINK_PASSWORD: SINK.password,
    GENESYS_EVENTS_QUEUE: QUEUE,
    ROOM_POOL_SIZE: '2',
    ...options.env,
  });
  pexip.setEventSink(`${host.url}/public/event_sink`, SINK);
  genesys.setEventSink((envelope) => host.enqueue(QUEUE, envelope));
  const token = (roles: string[]) => mintDevToken({ dataDir: host.dataDir, issuer: 'maxconf-local-dev', audience: 'api://maxconf-local', roles });
  const idim = await token([ROLES.idim]);
  const support = await token([ROLES.support]);

  const settle = async () => {
    for (let i = 0; i < 3; i += 1) {
      await pexip.flushEvents();
      await genesys.control.eventsDelivered();
      await host.idle();
    }
  };

  const api: Stack['api'] = async (method, path, { token: bearer, body, headers } = {}) => {
    const res = await fetch(`${host.url}${path}`, {
      method,
      headers: {
        ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body: parsed };
  };

  const stack: Stack = {
    host,
    pexip,
    genesys,
    idim,
    support,
    settle,
    api,
    async stop() {
      await host.stop();
      await pexip.stop();
      await genesys.stop();
    },
    async createRoom(videoCallId = `vc${Math.random().toString(36).slice(2, 10)}`) {
      const res = await api('POST', `/room/create?uuiData=${encodeUui('idtest', videoCallId)}`, { token: idim });
      if (res.status !== 200) throw new Error(`create answered ${res.status}: ${JSON.stringify(res.body)}`);
      await settle();
      return res.body;
    },
    async join(roomName, pin) {
      const params = { conferenceAlias: roomName };
      const token = await requestToken({ fetcher: withPin(fetch, pin), params, body: { display_name: roomName }, host: pexip.url });
      if (token.status !== 200) throw new Error(`join refused: ${JSON.stringify(token.data)}`);
      const { token: t, participant_uuid: participantUuid } = token.data.result;
      const call = await callsWebrtcParticipant({
        fetcher: withToken(fetch, t),
        params: { ...params, participantUuid },
        body: { call_type: 'WEBRTC', sdp: OFFER, media_type: 'video' },
        host: pexip.url,
      });
      if (call.status !== 200) throw new Error('call refused');
      await settle();
      return {
        participantId: participantUuid,
        async leave() {
          // as @pexip/infinity leaves: hang up the media call, then release the token (the participant's disconnect)
          await disconnectCall({ fetcher: withToken(fetch, t), params: { ...params, participantUuid, callUuid: call.data.result.call_uuid }, host: pexip.url });
          await releaseToken({ fetcher: withToken(fetch, t), params, body: {}, host: pexip.url });
          await settle();
        },
      };
    },
    async session(roomName) {
      const res = await api('GET', `/sessions/${roomName}`, { token: support });
      return res.body;
    },
    async until(what, check, timeoutMs = 10_000) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        await settle();
        if (await check()) return;
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
  return stack;
}
