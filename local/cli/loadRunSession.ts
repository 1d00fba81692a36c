import { encodeUui } from '../../src/domain/uui';
import type { PexipClientApi } from './pexipClientApi';
import type { LoadStack } from './loadRunStack';

/**
 * One full call driven from outside MaxConf, as each party talks to it: IDIM creates the room
 * (HTTP API), the citizen joins with `@pexip/infinity-api`, a simulated agent answers once the
 * session is queued (the Genesys simulator's control API), the citizen hangs up, the agent ends
 * the interaction. Every request survives a host that is down for a while (chaos kills it): a
 * refused connection or a 5xx is retried until the step's deadline.
 */
export interface SessionRecord {
  index: number;
  room?: string;
  /** the citizen's media call was placed: from here on the session must reach `completed` */
  joined: boolean;
  outcome: string | null;
  /** distinct outcomes the timeline's teardown commands carry (more than one is a bug) */
  outcomes: string[];
  error?: string;
  /** milliseconds */
  createMs?: number;
  joinToDialMs?: number;
  answerToInCallMs?: number;
  hangupToRoomDeletedMs?: number;
}

interface SessionView {
  phase: string;
  outcome: string | null;
  conversationId: string | null;
  timeline: { at: string; kind: string; what: string; detail?: string }[];
}

export interface SessionDriver {
  stack: LoadStack;
  pexip: PexipClientApi;
  stepTimeoutMs: number;
  /** how often a session's state is read while waiting (grows with the number of sessions, so the poll is not the load) */
  pollMs: number;
  onProgress(index: number, stage: string): void;
}

// a minimal WebRTC offer: the simulator answers any well-formed SDP (no ICE: no sockets are opened)
const OFFER = ['v=0', 'o=- 1 2 IN IP4 127.0.0.1', 's=-', 't=0 0', 'm=audio 9 UDP/TLS/RTP/SAVPF 111', 'a=mid:0', 'm=video 9 UDP/TLS/RTP/SAVPF 96', 'a=mid:1', ''].join('\r\n');

class StepError extends Error {}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** fetch, retried while the host is down or answers 5xx (a host restarting); other answers are returned. */
async function call(url: string, init: RequestInit, until: number): Promise<{ status: number; body: unknown }> {
  for (;;) {
    try {
      const res = await fetch(url, { ...init, signal: AbortSignal.timeout(30_000) });
      const text = await res.text();
      if (res.status < 500 || Date.now() > until) return { status: res.status, body: text ? (JSON.parse(text) as unknown) : undefined };
    } catch (error) {
      if (Date.now() > until) throw new StepError(`${init.method ?? 'GET'} ${new URL(url).pathname}: ${error instanceof Error ? error.message : String(error)}`);
    }
    await sleep(500);
  }
}

function firstAt(view: SessionView, kind: string, what: string): number | undefined {
  const entry = view.timeline.find((e) => e.kind === kind && e.what === what);
  return entry ? Date.parse(entry.at) : undefined;
}

export async function runSession(d: SessionDriver, index: number): Promise<SessionRecord> {
  const record: SessionRecord = { index, joined: false, outcome: null, outcomes: [] };
  const { stack } = d;
  const support = { authorization: `Bearer ${stack.supportToken}` };
  const deadline = () => Date.now() + d.stepTimeoutMs;
  const view = async (room: string): Promise<SessionView> => {
    const res = await call(`${stack.url}/sessions/${encodeURIComponent(room)}`, { headers: support }, deadline());
    if (res.status !== 200) throw new StepError(`GET /sessions/${room} answered ${res.status}`);
    return res.body as SessionView;
  };
  const until = async (room: string, what: string, done: (s: SessionView) => boolean): Promise<SessionView> => {
    const end = deadline();
    for (;;) {
      const s = await view(room);
      if (done(s)) return s;
      if (s.outcome) throw new StepError(`ended ${s.outcome} while waiting for ${what}`);
      if (Date.now() > end) throw new StepError(`no ${what} within ${d.stepTimeoutMs / 1000} s (phase ${s.phase})`);
      await sleep(d.pollMs * (0.75 + Math.random() / 2));
    }
  };
  let citizen: { hangUp(): Promise<void> } | undefined;
  const sim = (path: string) => call(`${stack.genesysUrl}/sim${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }, deadline());
  try {
    const t0 = Date.now();
    const created = await call(`${stack.url}/room/create?uuiData=${encodeUui('idtest', `load${index}x${t0.toString(36)}`)}`, { method: 'POST', headers: { authorization: `Bearer ${stack.idimToken}` } }, deadline());
    if (created.status !== 200) throw new StepError(`POST /room/create answered ${created.status}`);
    record.createMs = Date.now() - t0;
    const room = created.body as { name: string; guest_pin: string };
    record.room = room.name;
    d.onProgress(index, 'created');

    citizen = await join(d, room.name, room.guest_pin);
    const joinedAt = Date.now();
    record.joined = true;
    d.onProgress(index, 'joined');

    const queued = await until(room.name, 'queue', (s) => s.phase === 'queued' || s.phase === 'in_call');
    const dialAt = firstAt(queued, 'command', 'dial_queue');
    if (dialAt !== undefined) record.joinToDialMs = Math.max(0, dialAt - joinedAt);
    d.onProgress(index, 'queued');
    const answeredAt = Date.now();
    // the answer may race a redial that has not reached the queue yet: try again until it lands
    for (let answered = false; !answered; ) {
      const res = await sim(`/conversations/${encodeURIComponent(room.name)}/answer`);
      answered = res.status === 200 || (await view(room.name)).phase === 'in_call';
      if (!answered) {
        if (Date.now() - answeredAt > d.stepTimeoutMs) throw new StepError(`the Genesys simulator would not answer (${res.status})`);
        await sleep(500);
      }
    }
    const inCall = await until(room.name, 'in_call', (s) => s.phase === 'in_call');
    const connectedAt = firstAt(inCall, 'event', 'agent_connected');
    if (connectedAt !== undefined) record.answerToInCallMs = Math.max(0, connectedAt - answeredAt);
    d.onProgress(index, 'in_call');

    await citizen.hangUp();
    citizen = undefined;
    await until(room.name, 'the citizen to leave', (s) => s.phase !== 'in_call');
    const hangupAt = Date.now();
    const hungUp = await sim(`/conversations/${encodeURIComponent(room.name)}/agent-hangup`);
    if (hungUp.status !== 200 && hungUp.status !== 409) throw new StepError(`agent hang-up answered ${hungUp.status}`);
    const end = deadline();
    for (;;) {
      const s = await view(room.name);
      if (s.outcome !== null && s.timeline.some((e) => e.kind === 'result' && e.what === 'teardown')) {
        const deletedAt = firstAt(s, 'result', 'teardown');
        if (deletedAt !== undefined) record.hangupToRoomDeletedMs = Math.max(0, deletedAt - hangupAt);
        break;
      }
      if (Date.now() > end) throw new StepError(`no teardown within ${d.stepTimeoutMs / 1000} s (phase ${s.phase})`);
      await sleep(d.pollMs);
    }
  } catch (error) {
    record.error = error instanceof Error ? error.message : String(error);
    // a citizen who gives up closes the app: the session may still end on its own
    await citizen?.hangUp();
  }
  if (record.room) await settle(d, record, view);
  d.onProgress(index, 'done');
  return record;
}

/** The session's final outcome and the outcomes its teardowns name, waiting a while for an outcome to appear. */
async function settle(d: SessionDriver, record: SessionRecord, view: (room: string) => Promise<SessionView>): Promise<void> {
  const end = Date.now() + d.stepTimeoutMs;
  for (;;) {
    try {
      const s = await view(record.room!);
      record.outcome = s.outcome;
      record.outcomes = [...new Set(s.timeline.filter((e) => e.kind === 'command' && e.what === 'teardown' && e.detail).map((e) => e.detail!))];
      if (s.outcome !== null || Date.now() > end) return;
    } catch (error) {
      record.error ??= error instanceof Error ? error.message : String(error);
      return;
    }
    await sleep(d.pollMs * 2);
  }
}

/** The citizen joins with `@pexip/infinity-api` and the guest PIN, retrying while the room is not on the node yet. */
async function join(d: SessionDriver, room: string, pin: string): Promise<{ hangUp(): Promise<void> }> {
  const { requestToken, callsWebrtcParticipant, disconnectCall, releaseToken, withPin, withToken } = d.pexip;
  const host = d.stack.pexipUrl;
  const params = { conferenceAlias: room };
  const end = Date.now() + d.stepTimeoutMs;
  for (;;) {
    const token = await requestToken({ fetcher: withPin(fetch, pin), params, body: { display_name: 'Citizen' }, host }).catch(() => undefined);
    if (token?.status === 200) {
      const { token: t, participant_uuid: participantUuid } = token.data.result;
      const placed = await callsWebrtcParticipant({ fetcher: withToken(fetch, t), params: { ...params, participantUuid }, body: { call_type: 'WEBRTC', sdp: OFFER, media_type: 'video' }, host });
      if (placed.status !== 200) throw new StepError(`Pexip refused the WebRTC call (${placed.status})`);
      const callUuid = placed.data.result.call_uuid;
      return {
        async hangUp() {
          await disconnectCall({ fetcher: withToken(fetch, t), params: { ...params, participantUuid, callUuid }, host }).catch(() => undefined);
          await releaseToken({ fetcher: withToken(fetch, t), params, body: {}, host }).catch(() => undefined);
        },
      };
    }
    // a room made on demand reaches the conference node only after Pexip's propagation delay
    if (Date.now() > end) throw new StepError(`Pexip refused the join for ${d.stepTimeoutMs / 1000} s (${token?.status ?? 'no answer'})`);
    await sleep(1000);
  }
}
