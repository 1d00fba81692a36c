import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { callsWebrtcParticipant, requestToken, withPin, withToken } from '@pexip/infinity-api';
import { startGenesysSimulator, type GenesysSimulator } from '../../local/genesys-simulator';
import { startPexipSimulator, type PexipSimulator } from '../../local/pexip-simulator';
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

describe('MaxConf killed with SIGKILL during calls in every phase', () => {
  let genesys: GenesysSimulator;
  let pexip: PexipSimulator;
  let child: ChildProcess | undefined;

  beforeAll(() => ensureBuilt([SERVE, MAIN]), 120_000);
  afterAll(async () => {
    child?.kill('SIGKILL');
    await pexip?.stop();
    await genesys?.stop();
  });

  it('every session still ends with the right outcome after a restart, and no session room is left', async () => {
    genesys = await startGenesysSimulator({ answerDelayMs: 0, agents: 2, agentsBusy: true });
    pexip = await startPexipSimulator({ propagationDelayMs: 0, sipDestination: genesys.sipDestination });
    const dataDir = mkdtempSync(join(tmpdir(), 'maxconf-session-crash-'));
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
    };
    pexip.setEventSink(`${url}/public/event_sink`, SINK);
    genesys.setEventSink(async (envelope) => {
      const res = await fetch(`${url}/genesys/events`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': API_KEY }, body: JSON.stringify(envelope) });
      if (res.status >= 300) throw new Error(`genesys/events answered ${res.status}`);
    });
    child = await startMaxConf(dataDir, port, env);
    const idim = await mintDevToken({ dataDir, issuer: 'maxconf-local-dev', audience: 'api://maxconf-local', roles: [ROLES.idim] });
    const support = await mintDevToken({ dataDir, issuer: 'maxconf-local-dev', audience: 'api://maxconf-local', roles: [ROLES.support] });
    const session = async (name: string) => (await (await fetch(`${url}/sessions/${name}`, { headers: { authorization: `Bearer ${support}` } })).json()) as { phase: string; outcome: string | null };
    const create = async () => {
      const res = await fetch(`${url}/room/create?uuiData=${encodeUui('idtest', `crash${Math.random().toString(36).slice(2, 8)}`)}`, { method: 'POST', headers: { authorization: `Bearer ${idim}` } });
      expect(res.status).toBe(200);
      return (await res.json()) as { name: string; guest_pin: string };
    };
    const joinCall = async (room: { name: string; guest_pin: string }) => {
      const token = await requestToken({ fetcher: withPin(fetch, room.guest_pin), params: { conferenceAlias: room.name }, body: { display_name: 'c' }, host: pexip.url });
      if (token.status !== 200) throw new Error('join refused');
      const { token: t, participant_uuid: participantUuid } = token.data.result;
      await callsWebrtcParticipant({ fetcher: withToken(fetch, t), params: { conferenceAlias: room.name, participantUuid }, body: { call_type: 'WEBRTC', sdp: OFFER, media_type: 'video' }, host: pexip.url });
      return participantUuid;
    };

    // one session per phase
    const waiting = await create();
    const queued = await create();
    await joinCall(queued);
    const inCall = await create();
    await joinCall(inCall);
    const dropped = await create();
    const droppedCitizen = await joinCall(dropped);
    await until('three calls queued', async () => (await Promise.all([queued, inCall, dropped].map((r) => session(r.name)))).every((s) => s.phase === 'queued'));
    const agents = genesys.control.state().agents as { id: string }[];
    genesys.control.answer(inCall.name, agents[0]!.id);
    await until('one call answered', async () => (await session(inCall.name)).phase === 'in_call');
    pexip.dropParticipant(droppedCitizen, 'network');
    await until('one citizen reconnecting', async () => (await session(dropped.name)).phase === 'reconnecting');
    expect((await session(waiting.name)).phase).toBe('waiting_for_citizen');

    child.kill('SIGKILL');
    await new Promise((r) => child!.once('exit', r));
    child = await startMaxConf(dataDir, port, env);

    // after the restart: each session is driven to its end (the agent hangs up last, so the freed
    // agent is not offered a call that is still waiting)
    const del = await fetch(`${url}/room/${queued.name}`, { method: 'DELETE', headers: { authorization: `Bearer ${idim}` } });
    expect(del.status).toBe(204);
    const expected: Record<string, string> = {
      [waiting.name]: 'citizen_no_show',
      [queued.name]: 'ended_by_idim',
      [inCall.name]: 'completed',
      [dropped.name]: 'citizen_left',
    };
    await until('the calls without an agent ended', async () => {
      const all = await Promise.all([waiting, queued, dropped].map((r) => session(r.name)));
      return all.every((s) => s.phase === 'ended');
    });
    expect((await session(inCall.name)).phase).toBe('in_call');
    genesys.control.agentHangUp(inCall.name);
    await until('every session ended', async () => {
      const all = await Promise.all(Object.keys(expected).map((name) => session(name)));
      return all.every((s) => s.phase === 'ended');
    });
    for (const [name, outcome] of Object.entries(expected)) expect((await session(name)).outcome).toBe(outcome);
    const left = pexip.rooms().map((r) => r.name);
    for (const name of Object.keys(expected)) expect(left).not.toContain(name);
  }, 120_000);
});
