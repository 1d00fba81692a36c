/**
 * `npm run demo`: one complete call against a running `npm start` (MaxConf with both simulators),
 * each party played the way it really talks to MaxConf:
 *
 *   IDIM        POST /room/create?uuiData=… with a bearer token
 *   BCSC app    joins the room through Pexip's own client package, `@pexip/infinity-api`
 *   Genesys     a simulated agent answers the SIP call Pexip placed
 *   Agent App   GET /public/room/{name} with the agent's Genesys token, then a video-only join
 *   citizen     hangs up; MaxConf tears the room down
 *
 * and prints the session's timeline as support staff see it. Options: `--url` (default
 * http://127.0.0.1:$PORT), `--data-dir` (default MAXCONF_DATA_DIR, then `.maxconf/`; the one the
 * MaxConf at the URL trusts is used), `--timeout <seconds>` per step (default 120).
 *
 * `--browser`: the same call with real media in headless Chromium instead (local/cli/demoBrowser.ts):
 * the citizen on a page with the fake camera, the agent in the simulated Genesys desktop with the
 * Agent App widget (answer, hold, resume, end).
 */
import { loadConfig } from '../../src/config';
import { encodeUui } from '../../src/domain/uui';
import { DemoError, locateDemoTarget } from './demoTarget';
import { loadPexipClientApi, type PexipClientApi } from './pexipClientApi';

export interface DemoOptions {
  /** MaxConf's base URL */
  url: string;
  /** the Pexip simulator (management and conference node) */
  pexipUrl: string;
  /** the Genesys simulator (its control API mints agent tokens) */
  genesysUrl: string;
  idimToken: string;
  supportToken: string;
  stepTimeoutMs: number;
  write(line: string): void;
  pexip: PexipClientApi;
}

export interface DemoResult {
  roomName: string;
  outcome: string | null;
  roomGone: boolean;
}

interface SessionView {
  phase: string;
  outcome: string | null;
  agentUserId: string | null;
  conversationId: string | null;
  queue: { estimatedWaitSeconds?: number | null; position?: number | null } | null;
  timeline: { at: string; kind: string; what: string; detail?: string }[];
}

// a minimal WebRTC offer: the simulator answers any well-formed SDP with audio and video sections
const OFFER = ['v=0', 'o=- 1 2 IN IP4 127.0.0.1', 's=-', 't=0 0', 'm=audio 9 UDP/TLS/RTP/SAVPF 111', 'a=mid:0', 'm=video 9 UDP/TLS/RTP/SAVPF 96', 'a=mid:1', ''].join('\r\n');
const VIDEO_ONLY_OFFER = ['v=0', 'o=- 1 2 IN IP4 127.0.0.1', 's=-', 't=0 0', 'm=video 9 UDP/TLS/RTP/SAVPF 96', 'a=mid:0', ''].join('\r\n');

async function api(url: string, method: string, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${url}${path}`, { method, headers });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON: keep the text
  }
  return { status: res.status, body };
}

/** Joins a room as a WebRTC participant with `@pexip/infinity-api`, retrying while the room is not on the node yet. */
async function joinRoom(
  o: DemoOptions,
  room: string,
  pin: string,
  who: { displayName: string; offer: string; mediaType: 'video' },
): Promise<{ participantUuid: string; callUuid: string; token: string; hangUp(): Promise<void> }> {
  const { requestToken, callsWebrtcParticipant, disconnectCall, releaseToken, withPin, withToken } = o.pexip;
  const params = { conferenceAlias: room };
  const end = Date.now() + o.stepTimeoutMs;
  for (let waited = 0; ; waited++) {
    const token = await requestToken({ fetcher: withPin(fetch, pin), params, body: { display_name: who.displayName }, host: o.pexipUrl });
    if (token.status === 200) {
      const { token: t, participant_uuid: participantUuid } = token.data.result;
      const call = await callsWebrtcParticipant({
        fetcher: withToken(fetch, t),
        params: { ...params, participantUuid },
        body: { call_type: 'WEBRTC', sdp: who.offer, media_type: who.mediaType },
        host: o.pexipUrl,
      });
      if (call.status !== 200) throw new DemoError(`Pexip refused the WebRTC call (${call.status})`);
      const callUuid = call.data.result.call_uuid;
      return {
        participantUuid,
        callUuid,
        token: t,
        async hangUp() {
          await disconnectCall({ fetcher: withToken(fetch, t), params: { ...params, participantUuid, callUuid }, host: o.pexipUrl });
          await releaseToken({ fetcher: withToken(fetch, t), params, body: {}, host: o.pexipUrl });
        },
      };
    }
    // a room made on demand reaches the conference node only after Pexip's propagation delay
    if (Date.now() > end) throw new DemoError(`Pexip refused the join for ${o.stepTimeoutMs / 1000} s (${token.status})`);
    if (waited % 5 === 0) o.write(`   the room is not on the conference node yet (Pexip answered ${token.status}); retrying`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

export async function runDemo(o: DemoOptions): Promise<DemoResult> {
  const started = Date.now();
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
  const support = { authorization: `Bearer ${o.supportToken}` };
  const session = async (room: string): Promise<SessionView> => {
    const res = await api(o.url, 'GET', `/sessions/${encodeURIComponent(room)}`, support);
    if (res.status !== 200) throw new DemoError(`GET /sessions/${room} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body as SessionView;
  };
  let lastPhase = '';
  const until = async (room: string, what: string, done: (s: SessionView) => boolean, endingExpected = false): Promise<SessionView> => {
    const end = Date.now() + o.stepTimeoutMs;
    for (;;) {
      const s = await session(room);
      if (s.phase !== lastPhase) {
        const queue = s.queue && s.phase === 'queued' ? ` (estimated wait ${s.queue.estimatedWaitSeconds ?? '?'} s, position ${s.queue.position ?? '?'})` : '';
        o.write(`   phase: ${s.phase}${queue}`);
        lastPhase = s.phase;
      }
      if (done(s)) return s;
      if (s.outcome && !endingExpected) throw new DemoError(`the session ended as ${s.outcome} while waiting for ${what}`);
      if (Date.now() > end) throw new DemoError(`timed out after ${o.stepTimeoutMs / 1000} s waiting for ${what} (phase ${s.phase})`);
      await new Promise((r) => setTimeout(r, 250));
    }
  };

  o.write(`MaxConf demo against ${o.url}`);
  const videoCallId = `demo${Date.now().toString(36)}`;
  o.write(`1. IDIM asks for a room (video call ${videoCallId})`);
  const created = await api(o.url, 'POST', `/room/create?uuiData=${encodeUui('idtest', videoCallId)}`, { authorization: `Bearer ${o.idimToken}` });
  if (created.status !== 200) throw new DemoError(`POST /room/create answered ${created.status}: ${JSON.stringify(created.body)}`);
  const room = created.body as { name: string; guest_pin: string };
  o.write(`   200 in ${elapsed()}: room ${room.name}, tag ${(created.body as { tag: string }).tag}`);

  o.write('2. the citizen joins from the BCSC app (@pexip/infinity-api, guest PIN)');
  const citizen = await joinRoom(o, room.name, room.guest_pin, { displayName: 'Citizen', offer: OFFER, mediaType: 'video' });
  o.write(`   in the room as participant ${citizen.participantUuid}; Pexip dials the Genesys queue`);

  o.write('3. a Genesys agent answers');
  const answered = await until(room.name, 'an agent', (s) => s.phase === 'in_call');
  o.write(`   agent ${answered.agentUserId} on conversation ${answered.conversationId} after ${elapsed()}`);

  o.write("4. the Agent App looks the room up with the agent's Genesys token");
  const minted = await fetch(`${o.genesysUrl}/sim/tokens`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ userId: answered.agentUserId }),
  });
  if (minted.status !== 201) throw new DemoError(`the Genesys simulator did not mint an agent token (${minted.status})`);
  const { access_token: agentToken } = (await minted.json()) as { access_token: string };
  const lookup = await api(o.url, 'GET', `/public/room/${encodeURIComponent(room.name)}`, { 'x-auth-token': agentToken });
  if (lookup.status !== 200) throw new DemoError(`GET /public/room/${room.name} answered ${lookup.status}: ${JSON.stringify(lookup.body)}`);
  const hostPin = (lookup.body as { pin?: string }).pin;
  if (!hostPin) throw new DemoError('the Agent App lookup returned no host PIN');
  o.write('   200 with the host PIN; the agent joins video-only');
  const agent = await joinRoom(o, room.name, hostPin, { displayName: 'Agent', offer: VIDEO_ONLY_OFFER, mediaType: 'video' });

  o.write('5. the citizen hangs up; MaxConf holds the room for a reconnect until the agent ends the interaction');
  await citizen.hangUp();
  await until(room.name, 'the citizen to be gone', (s) => s.phase === 'reconnecting');
  const hangup = await fetch(`${o.genesysUrl}/sim/conversations/${encodeURIComponent(answered.conversationId ?? room.name)}/agent-hangup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  if (hangup.status !== 200) throw new DemoError(`the Genesys simulator did not end the interaction (${hangup.status})`);
  const ended = await until(room.name, 'the end of the session', (s) => s.phase === 'ended' && s.outcome !== null, true);
  await agent.hangUp().catch(() => undefined);
  const after = await api(o.url, 'GET', `/room/${encodeURIComponent(room.name)}`, { authorization: `Bearer ${o.idimToken}` });
  const roomGone = after.status === 404;
  o.write(`   outcome ${ended.outcome}; GET /room/${room.name} now answers ${after.status} after ${elapsed()}`);

  o.write('Timeline (GET /sessions/{id}):');
  const final = await session(room.name);
  const t0 = Date.parse(final.timeline[0]?.at ?? new Date().toISOString());
  for (const entry of final.timeline) {
    const at = ((Date.parse(entry.at) - t0) / 1000).toFixed(3).padStart(8);
    o.write(`  +${at} s  ${entry.kind.padEnd(8)} ${entry.what}${entry.detail ? `  (${entry.detail})` : ''}`);
  }
  return { roomName: room.name, outcome: ended.outcome, roomGone };
}

function flag(argv: string[], name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : undefined;
}

async function main(argv: string[]): Promise<number> {
  const config = loadConfig();
  const timeout = Number(flag(argv, 'timeout') ?? 120);
  if (!Number.isFinite(timeout) || timeout <= 0) throw new DemoError('--timeout must be a positive number of seconds');
  const target = await locateDemoTarget({
    url: flag(argv, 'url') ?? `http://127.0.0.1:${config.port}`,
    dataDirs: [flag(argv, 'data-dir'), config.dataDir, '.maxconf/'].filter((d): d is string => d !== undefined),
    auth: { issuer: config.auth.issuer, audience: config.auth.audience },
  });
  const write = (line: string) => process.stdout.write(`${line}\n`);
  const result = argv.includes('--browser')
    ? // loaded only here: the browser demo needs playwright-core (a dev dependency), the plain one does not
      await (await import('./demoBrowser')).runBrowserDemo({ target, stepTimeoutMs: timeout * 1000, write })
    : await runDemo({
        url: target.url,
        pexipUrl: target.pexipUrl,
        genesysUrl: target.genesysUrl,
        idimToken: target.idimToken,
        supportToken: target.supportToken,
        stepTimeoutMs: timeout * 1000,
        write,
        pexip: loadPexipClientApi(),
      });
  if (result.outcome !== 'completed' || !result.roomGone) {
    process.stderr.write(`demo: expected outcome completed and the room deleted, got ${result.outcome}${result.roomGone ? '' : ' with the room still there'}\n`);
    return 1;
  }
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      process.stderr.write(`demo: ${error instanceof DemoError ? message : `failed: ${message}`}\n`);
      process.exitCode = 1;
    },
  );
}
