import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { callsWebrtcParticipant, requestToken, withPin, withToken } from '@pexip/infinity-api';
import { startAzurite, type Azurite } from '../../local/azurite';
import { startGenesysSimulator, type GenesysSimulator } from '../../local/genesys-simulator';
import { startPexipSimulator, type PexipSimulator } from '../../local/pexip-simulator';
import type { SipDestination } from '../../src/contracts/sip';
import { mintDevToken, ROLES } from '../../src/adapters/auth';
import { encodeUui } from '../../src/domain/uui';
import { ensureBuilt, freePort, ROOT } from '../host/builtHost';

const SERVE = join(ROOT, 'dist', 'local', 'durable-host', 'serve.js');
const MAIN = join(ROOT, 'dist', 'src', 'functions', 'index.js');
const SINK = { username: 'pexip', password: 'crash-sink-password' };
const API_KEY = 'crash-genesys-events-key-0123456789';
const OFFER = ['v=0', 'o=- 1 2 IN IP4 127.0.0.1', 's=-', 't=0 0', 'm=audio 9 UDP/TLS/RTP/SAVPF 111', 'a=mid:0', ''].join('\r\n');

function startMaxConf(dataDir: string, port: number, env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', SERVE, '--entry', MAIN, '--data-dir', dataDir, '--port', String(port), '--clock', 'real'], {
    cwd: ROOT,
    env: { ...process.env, ...env, MAXCONF_DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    let errors = '';
    child.stderr!.on('data', (c: Buffer) => (errors += c.toString()));
    child.stdout!.on('data', (c: Buffer) => {
      output += c.toString();
      if (output.includes('"ready"')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`MaxConf exited (${code}): ${errors.slice(-2000)}`)));
  });
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 30_000) {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface SessionView {
  phase: string;
  outcome: string | null;
  conversationId: string | null;
  dialAttempts: number;
  teardown: { ok: boolean } | null;
  timeline: { kind: string; what: string; detail?: string }[];
}

const commands = (view: SessionView, what: string) => view.timeline.filter((e) => e.kind === 'command' && e.what === what);

describe('MaxConf killed with SIGKILL during calls in every phase', () => {
  let genesys: GenesysSimulator;
  let pexip: PexipSimulator;
  let child: ChildProcess | undefined;
  // the storage account outlives the process, as on Azure: the index is still there after the kill
  let azurite: Azurite | undefined;

  beforeAll(() => ensureBuilt([SERVE, MAIN]), 120_000);
  afterAll(async () => {
    child?.kill('SIGKILL');
    await pexip?.stop();
    await genesys?.stop();
    await azurite?.stop();
  });

  it('every session still ends with the right outcome after a restart, and no session room is left', async () => {
    genesys = await startGenesysSimulator({ answerDelayMs: 0, agents: 3, agentsBusy: true });
    pexip = await startPexipSimulator({ propagationDelayMs: 0, sipDestination: genesys.sipDestination });
    const dataDir = mkdtempSync(join(tmpdir(), 'maxconf-session-crash-'));
    azurite = await startAzurite();
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const env = {
      ...genesys.env(),
      PEXIP_MANAGEMENT_URL: pexip.url,
      PEXIP_USERNAME: pexip.username,
      PEXIP_PASSWORD: pexip.password,
      PEXIP_EVENT_SINK_USERNAME: SINK.username,
      PEXIP_EVENT_SINK_PASSWORD: SINK.password,
      GENESYS_EVENTS_API_KEY: API_KEY,
      ROOM_POOL_SIZE: '2',
      CITIZEN_JOIN_TIMEOUT_SECONDS: '6',
      RECONNECT_GRACE_SECONDS: '3',
      // 20 s per dial attempt: a leg still ringing across the restart is not given up and redialled
      DIAL_WINDOW_SECONDS: '60',
      // no reaper run during the test: every room must be gone through its session's own teardown
      REAPER_SCHEDULE: '0 0 0 1 1 *',
      AzureWebJobsStorage: azurite.connectionString,
    };
    pexip.setEventSink(`${url}/public/event_sink`, SINK);
    genesys.setEventSink(async (envelope) => {
      const res = await fetch(`${url}/genesys/events`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': API_KEY }, body: JSON.stringify(envelope) });
      if (res.status >= 300) throw new Error(`genesys/events answered ${res.status}`);
    });
    child = await startMaxConf(dataDir, port, env);
    const idim = await mintDevToken({ dataDir, issuer: 'maxconf-local-dev', audience: 'api://maxconf-local', roles: [ROLES.idim] });
    const support = await mintDevToken({ dataDir, issuer: 'maxconf-local-dev', audience: 'api://maxconf-local', roles: [ROLES.support] });
    const session = async (name: string) => (await (await fetch(`${url}/sessions/${name}`, { headers: { authorization: `Bearer ${support}` } })).json()) as SessionView;
    const sessionRooms = new Set<string>();
    const create = async () => {
      const res = await fetch(`${url}/room/create?uuiData=${encodeUui('idtest', `crash${Math.random().toString(36).slice(2, 8)}`)}`, { method: 'POST', headers: { authorization: `Bearer ${idim}` } });
      expect(res.status).toBe(200);
      const room = (await res.json()) as { name: string; guest_pin: string };
      sessionRooms.add(room.name);
      return room;
    };
    const joinCall = async (room: { name: string; guest_pin: string }) => {
      const token = await requestToken({ fetcher: withPin(fetch, room.guest_pin), params: { conferenceAlias: room.name }, body: { display_name: 'c' }, host: pexip.url });
      if (token.status !== 200) throw new Error('join refused');
      const { token: t, participant_uuid: participantUuid } = token.data.result;
      await callsWebrtcParticipant({ fetcher: withToken(fetch, t), params: { conferenceAlias: room.name, participantUuid }, body: { call_type: 'WEBRTC', sdp: OFFER, media_type: 'video' }, host: pexip.url });
      return participantUuid;
    };
    const sipLegs = (room: string, state: 'dialing' | 'connected') =>
      pexip.participants(room).filter((p) => p.protocol === 'SIP' && p.callDirection === 'out' && p.state === state);
    const genesysCalls = (room: string) =>
      (genesys.control.state().conversations as { aniName: string; ended: boolean }[]).filter((c) => c.aniName === room);
    /** the warm pool is full again and nothing is talking to the configuration API */
    const poolSettled = async () => {
      let last = -1;
      await until('the room pool refilled', async () => {
        const count = pexip.requestCounts().configuration;
        const settled = count === last && pexip.rooms().filter((r) => !sessionRooms.has(r.name)).length === 2;
        last = count;
        return settled;
      });
    };

    // one session per phase
    const queued = await create();
    await joinCall(queued);
    const inCall = await create();
    await joinCall(inCall);
    const dropped = await create();
    const droppedCitizen = await joinCall(dropped);
    const ending = await create();
    await joinCall(ending);
    await until('four calls queued', async () => (await Promise.all([queued, inCall, dropped, ending].map((r) => session(r.name)))).every((s) => s.phase === 'queued' && s.conversationId));
    const agents = genesys.control.state().agents as { id: string }[];
    genesys.control.answer(inCall.name, agents[0]!.id);
    await until('one call answered', async () => (await session(inCall.name)).phase === 'in_call');

    // dialing, the dial placed: Genesys does not answer the SIP INVITE until after the restart
    let answerInvites!: () => void;
    const invitesAnswered = new Promise<void>((resolve) => (answerInvites = resolve));
    const slowQueue: SipDestination = {
      async invite(invite, caller) {
        await invitesAnswered;
        return genesys.sipDestination.invite(invite, caller);
      },
    };
    pexip.setSipDestination(slowQueue);
    const ringing = await create();
    await joinCall(ringing);
    await until('a dial placed and ringing', async () => {
      const s = await session(ringing.name);
      return s.phase === 'dialing' && s.timeline.some((e) => e.what === 'dial_queue' && e.kind === 'result') && sipLegs(ringing.name, 'dialing').length === 1;
    });

    // dialing, the dial being placed: Pexip's command API holds the dial request past the kill
    // (5 s: far longer than the few hundred ms to the kill, and over before the test ends)
    const dialRequests = pexip.requestCounts().command;
    pexip.setFaults({ script: { command: [{ status: 503, times: 1, hangMs: 5_000 }] } });
    const placing = await create();
    await joinCall(placing);
    await until('a dial request in flight', async () => (await session(placing.name)).phase === 'dialing' && pexip.requestCounts().command > dialRequests);

    const waiting = await create();
    await poolSettled();

    // ending: support terminated the call; teardown hangs on Pexip's configuration API (the
    // room's lookup before its delete). Nothing else may use that API meanwhile: the pool is full.
    const configRequests = pexip.requestCounts().configuration;
    pexip.setFaults({ script: { configuration: [{ status: 503, times: 1, hangMs: 5_000 }] } });
    const terminate = await fetch(`${url}/sessions/${ending.name}/terminate`, { method: 'POST', headers: { authorization: `Bearer ${support}`, 'content-type': 'application/json' }, body: JSON.stringify({ reason: 'crash test' }) });
    expect(terminate.status).toBe(202);
    await until('teardown under way', async () => (await session(ending.name)).phase === 'ending' && pexip.requestCounts().configuration > configRequests);

    pexip.dropParticipant(droppedCitizen, 'network');
    await until('one citizen reconnecting', async () => (await session(dropped.name)).phase === 'reconnecting');

    // the moment of the kill: one session in every phase
    const phaseAtKill: Record<string, string> = {
      [waiting.name]: 'waiting_for_citizen',
      [ringing.name]: 'dialing',
      [placing.name]: 'dialing',
      [queued.name]: 'queued',
      [inCall.name]: 'in_call',
      [dropped.name]: 'reconnecting',
      [ending.name]: 'ending',
    };
    const atKill = Object.fromEntries(await Promise.all(Object.keys(phaseAtKill).map(async (name) => [name, await session(name)] as const)));
    for (const [name, phase] of Object.entries(phaseAtKill)) expect({ name, phase: atKill[name]!.phase }).toEqual({ name, phase });
    expect(atKill[ringing.name]!.dialAttempts).toBe(1);
    expect(sipLegs(ringing.name, 'connected')).toHaveLength(0);
    expect(atKill[placing.name]!.dialAttempts).toBe(1);
    expect(atKill[placing.name]!.timeline.some((e) => e.what === 'dial_queue' && e.kind === 'result')).toBe(false);
    expect(pexip.participants(placing.name).filter((p) => p.protocol === 'SIP')).toHaveLength(0);
    expect(atKill[ending.name]!.outcome).toBe('terminated_by_support');
    expect(pexip.rooms().map((r) => r.name)).toContain(ending.name);

    child.kill('SIGKILL');
    await new Promise((r) => child!.once('exit', r));
    child = await startMaxConf(dataDir, port, env);
    // the faults go and Genesys answers INVITEs again: the ringing leg connects to the new process
    pexip.setFaults({});
    answerInvites();

    // after the restart: each session is driven to its end (the agents hang up last, so a freed
    // agent is not offered a call that is still waiting)
    const del = await fetch(`${url}/room/${queued.name}`, { method: 'DELETE', headers: { authorization: `Bearer ${idim}` } });
    expect(del.status).toBe(204);
    const answered = [inCall, ringing, placing];
    await until('both dialled calls queued', async () => (await Promise.all([ringing, placing].map((r) => session(r.name)))).every((s) => s.phase === 'queued' && s.conversationId));
    expect(genesys.control.answer(ringing.name, agents[1]!.id)).toBe(true);
    expect(genesys.control.answer(placing.name, agents[2]!.id)).toBe(true);
    const expected: Record<string, string> = {
      [waiting.name]: 'citizen_no_show',
      [queued.name]: 'ended_by_idim',
      [inCall.name]: 'completed',
      [dropped.name]: 'citizen_left',
      [ringing.name]: 'completed',
      [placing.name]: 'completed',
      [ending.name]: 'terminated_by_support',
    };
    await until('the calls without an agent ended', async () => {
      const all = await Promise.all([waiting, queued, dropped, ending].map((r) => session(r.name)));
      return all.every((s) => s.phase === 'ended');
    });
    await until('the dialled calls answered', async () => (await Promise.all(answered.map((r) => session(r.name)))).every((s) => s.phase === 'in_call'));
    for (const room of [ringing, placing]) {
      // one ring in Genesys and one SIP leg in the room, though the process died mid-dial
      expect(sipLegs(room.name, 'connected')).toHaveLength(1);
      expect(genesysCalls(room.name)).toHaveLength(1);
      const view = await session(room.name);
      expect(view.dialAttempts).toBe(1);
      expect(commands(view, 'dial_queue')).toHaveLength(1);
    }
    for (const room of answered) genesys.control.agentHangUp(room.name);
    await until('every session ended', async () => {
      const all = await Promise.all(Object.keys(expected).map((name) => session(name)));
      return all.every((s) => s.phase === 'ended');
    });
    for (const [name, outcome] of Object.entries(expected)) expect((await session(name)).outcome).toBe(outcome);
    const endingView = await session(ending.name);
    expect(endingView.teardown).toMatchObject({ ok: true });
    expect(commands(endingView, 'teardown')).toHaveLength(1);
    // the citizen's call is out of the Genesys queue too
    expect(genesysCalls(ending.name)).toEqual([expect.objectContaining({ ended: true })]);
    const left = pexip.rooms().map((r) => r.name);
    for (const name of Object.keys(expected)) expect(left).not.toContain(name);
  }, 120_000);
});
