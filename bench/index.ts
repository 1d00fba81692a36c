/**
 * `npm run bench`: MaxConf's speed goals, each a ratio against a baseline measured in the same
 * run, on the local durable host (real clock) with the Pexip and Genesys simulators. Load comes
 * from autocannon, in this process like the servers, so subject and baseline share the handicap.
 *
 * - sink noise: `participant_updated` of a leg the session already has, posted to
 *   `/public/event_sink`, against a bare node:http server parsing the same JSON (goal ≥ 0.5×);
 * - accepted events: a new leg on a live session each post, against the same bare server
 *   (goal ≥ 0.05×);
 * - warm create p99: `POST /room/create` from a full warm pool, one at a time, against the
 *   simulator's own room create p99 (goal ≤ 3×), the two alternating request by request, each
 *   started on an idle host;
 * - support list p99: `GET /sessions?pageSize=20` at 10,000 sessions against its p99 at 100, the
 *   session index seeded through its adapter (goal ≤ 2×; bench/sessionsRoute.ts).
 *
 * The machine is shared and its load changes by the second, so the rates are measured in
 * BENCH_ROUNDS (3) rounds of bare, noise, accepted, BENCH_DURATION_S (3) seconds each, each
 * round started on an idle host, and each figure is the mean over its rounds.
 *
 * Prints one table and exits non-zero when a goal fails. BENCH_CPU_PROFILE=<dir> writes a CPU
 * profile of each measured phase there.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { startAzurite } from '../local/azurite';
import { startLocalHost, type LocalHost } from '../local/durable-host';
import { startGenesysSimulator } from '../local/genesys-simulator';
import { startPexipSimulator } from '../local/pexip-simulator';
import { mintDevToken, ROLES } from '../src/adapters/auth';
import { encodeUui } from '../src/domain/uui';
import { benchSessionsRoute } from './sessionsRoute';
import { createLogger } from '../src/logging/logger';

const SINK = { username: 'pexip', password: 'bench-sink-password' };
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = 10;
const CREATES = 30;
const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;

interface Row {
  figure: string;
  measured: string;
  baseline: string;
  ratio: number;
  goal: string;
  pass: boolean;
}

function participant(room: string, uuid: string, event: 'participant_connected' | 'participant_updated') {
  return {
    node: '10.0.0.5',
    seq: 1,
    version: 2,
    time: Math.floor(Date.now() / 1000),
    event,
    data: { uuid, conference: room, call_direction: 'in', protocol: 'WebRTC', role: 'chair', display_name: 'Bench Agent', connect_time: 1 },
  };
}

/** The floor: node:http reading the body and parsing it as JSON, nothing else. */
async function bareServer(): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { event?: string };
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ message: 'ok', event: parsed.event ?? null }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

async function rate(url: string, options: { headers?: Record<string, string>; body?: string; setupRequest?: autocannon.Request['setupRequest'] }): Promise<Rate> {
  const result = await autocannon({
    url,
    method: 'POST',
    connections: CONNECTIONS,
    duration: DURATION_S,
    headers: { 'content-type': 'application/json', ...options.headers },
    ...(options.setupRequest ? { requests: [{ method: 'POST', setupRequest: options.setupRequest }] } : { body: options.body ?? '' }),
  });
  if (result.non2xx > 0 || result.errors > 0) throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { perSecond: result.requests.average, p99: result.latency.p99 };
}

/**
 * With BENCH_CPU_PROFILE=<dir>, each measured phase is CPU-profiled on its own (one process runs
 * the servers and the load, so the profile shows all of it) and written as <dir>/<phase>.cpuprofile.
 */
const PROFILE_DIR = process.env.BENCH_CPU_PROFILE;
let inspector: Session | undefined;
async function profiled<T>(phase: string, work: () => Promise<T>): Promise<T> {
  if (!PROFILE_DIR) return work();
  if (!inspector) {
    inspector = new Session();
    inspector.connect();
    await inspector.post('Profiler.enable');
    await inspector.post('Profiler.setSamplingInterval', { interval: 200 });
  }
  await inspector.post('Profiler.start');
  try {
    return await work();
  } finally {
    const { profile } = await inspector.post('Profiler.stop');
    writeFileSync(join(PROFILE_DIR, `${phase}.cpuprofile`), JSON.stringify(profile));
  }
}

interface Rate {
  perSecond: number;
  p99: number;
}

/** Mean rate over the rounds (each ran for the same time), and the worst round's p99. */
function pooled(runs: Rate[]): Rate {
  return { perSecond: runs.reduce((sum, r) => sum + r.perSecond, 0) / runs.length, p99: Math.max(...runs.map((r) => r.p99)) };
}

/** Nearest-rank percentile. */
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function until(what: string, check: () => Promise<boolean>, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'maxconf-bench-'));
  const genesys = await startGenesysSimulator({ answerDelayMs: 0, agents: 1, agentsBusy: true });
  const pexip = await startPexipSimulator({ propagationDelayMs: 0, sipDestination: genesys.sipDestination });
  const azurite = await startAzurite({});
  Object.assign(process.env, {
    MAXCONF_ENV: 'local',
    LOG_LEVEL: 'warn',
    MAXCONF_DATA_DIR: dataDir,
    AzureWebJobsStorage: azurite.connectionString,
    ...genesys.env(),
    PEXIP_MANAGEMENT_URL: pexip.url,
    PEXIP_USERNAME: pexip.username,
    PEXIP_PASSWORD: pexip.password,
    PEXIP_CONFERENCE_HOST: new URL(pexip.url).host,
    PEXIP_EVENT_SINK_USERNAME: SINK.username,
    PEXIP_EVENT_SINK_PASSWORD: SINK.password,
    ROOM_POOL_SIZE: String(CREATES + 5),
  });
  let host: LocalHost | undefined;
  const bare = await bareServer();
  try {
    host = await startLocalHost({ dataDir, port: 0, clock: 'real', logger: createLogger({ level: 'warn' }) });
    const hostUrl = host.url;
    pexip.setEventSink(`${hostUrl}/public/event_sink`, SINK);
    const idim = await mintDevToken({ dataDir, issuer: 'maxconf-local-dev', audience: 'api://maxconf-local', roles: [ROLES.idim] });
    const sinkAuth = { authorization: basic(SINK.username, SINK.password) };
    const sinkUrl = `${hostUrl}/public/event_sink`;

    const poolReady = async () => {
      const res = await fetch(`${hostUrl}/runtime/webhooks/durabletask/entities/roomPool/default`);
      if (res.status !== 200) return 0;
      const state = (await res.json()) as { ready?: unknown[] } | null;
      return state?.ready?.length ?? 0;
    };
    await until('the warm pool to fill', async () => (await poolReady()) >= CREATES);

    let call = 0;
    const createPath = () => `/room/create?uuiData=${encodeUui('bench', `vc${process.pid}x${call++}`)}`;
    const create = async () => {
      const res = await fetch(`${hostUrl}${createPath()}`, { method: 'POST', headers: { authorization: `Bearer ${idim}` } });
      if (res.status !== 200) throw new Error(`create answered ${res.status}`);
      return (await res.json()) as { name: string };
    };

    // warm create, one at a time from a full pool, against the simulator's own create: the two
    // alternate request by request, each from an idle host (no durable work due), so both
    // see the same machine load and neither pays for the background work a create leaves (its
    // session's first steps, the pool refill); that cost under concurrency is `npm run load`'s
    let made = 0;
    const simCreate = async () => {
      const res = await fetch(`${pexip.url}/api/admin/configuration/v1/conference/`, {
        method: 'POST',
        headers: { authorization: basic(pexip.username, pexip.password), 'content-type': 'application/json' },
        body: JSON.stringify({ name: `benchsim${made++}`, service_type: 'conference', allow_guests: true, guest_pin: '2345', pin: '1234' }),
      });
      await res.arrayBuffer();
      if (res.status !== 201) throw new Error(`simulator create answered ${res.status}`);
    };
    const warmMs: number[] = [];
    const simMs: number[] = [];
    const timed = async (into: number[], work: () => Promise<unknown>) => {
      const at = performance.now();
      await work();
      into.push(performance.now() - at);
    };
    await simCreate(); // the first request opens the connection for each; neither is counted
    await profiled('warm-create', async () => {
      for (let i = 0; i < CREATES; i++) {
        await host!.idle();
        await timed(warmMs, create);
        await host!.idle();
        await timed(simMs, simCreate);
      }
    });
    const warm = { p50: percentile(warmMs, 50), p99: percentile(warmMs, 99) };
    const sim = { p50: percentile(simMs, 50), p99: percentile(simMs, 99) };

    // live sessions, each with one agent leg already reported
    const rooms = [await create(), await create(), await create(), await create()].map((r) => r.name);
    for (const room of rooms) {
      const res = await fetch(sinkUrl, { method: 'POST', headers: { ...sinkAuth, 'content-type': 'application/json' }, body: JSON.stringify(participant(room, `${room}-agent`, 'participant_connected')) });
      if (res.status !== 200 || ((await res.json()) as { accepted: number }).accepted !== 1) throw new Error('the first leg was not accepted');
    }
    const noiseBody = JSON.stringify(participant(rooms[0]!, `${rooms[0]}-agent`, 'participant_updated'));

    let leg = 0;
    const acceptedBody = (r: autocannon.Request): autocannon.Request => {
      const n = leg++;
      return { ...r, path: '/public/event_sink', body: JSON.stringify(participant(rooms[n % rooms.length]!, `leg-${n}`, 'participant_connected')) };
    };
    // rounds of bare, noise, accepted: the machine's load changes by the second, and each figure
    // is the mean over rounds that interleave with its baseline's
    const bareRuns: Rate[] = [];
    const noiseRuns: Rate[] = [];
    const acceptedRuns: Rate[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // the sessions finish with the last round's events first, so the baseline runs on an idle host
      await host.idle();
      bareRuns.push(await profiled(`bare-${round}`, () => rate(bare.url, { body: noiseBody })));
      noiseRuns.push(await profiled(`sink-noise-${round}`, () => rate(sinkUrl, { headers: sinkAuth, body: noiseBody })));
      acceptedRuns.push(await profiled(`sink-accepted-${round}`, () => rate(hostUrl, { headers: sinkAuth, setupRequest: acceptedBody })));
    }
    const bareNoise = pooled(bareRuns);
    const sinkNoise = pooled(noiseRuns);
    const sinkAccepted = pooled(acceptedRuns);

    const support = await mintDevToken({ dataDir, issuer: 'maxconf-local-dev', audience: 'api://maxconf-local', roles: [ROLES.support] });
    const list = await benchSessionsRoute({ url: hostUrl, connectionString: azurite.connectionString, supportToken: support, small: 100, large: 10_000, calls: 300, progress: (line) => process.stderr.write(`${line}\n`) });

    const rows: Row[] = [
      row('sink noise (req/s)', sinkNoise.perSecond, bareNoise.perSecond, 'bare node:http', (r) => r >= 0.5, '≥ 0.5×', `p99 ${sinkNoise.p99} ms vs ${bareNoise.p99} ms`),
      row('accepted events (req/s)', sinkAccepted.perSecond, bareNoise.perSecond, 'bare node:http', (r) => r >= 0.05, '≥ 0.05×', `p99 ${sinkAccepted.p99} ms`),
      row('warm create p99 (ms)', warm.p99, sim.p99, 'simulator create p99', (r) => r <= 3, '≤ 3×', `p50 ${warm.p50.toFixed(1)} ms vs ${sim.p50.toFixed(1)} ms`),
      row('GET /sessions?pageSize=20 p99 (ms)', list.large.p99, list.small.p99, `at ${list.small.sessions} sessions`, (r) => r <= 2, '≤ 2×', `at ${list.large.sessions} sessions; p50 ${list.large.p50.toFixed(1)} vs ${list.small.p50.toFixed(1)} ms`),
    ];
    process.stdout.write(table(rows));
    process.exitCode = rows.every((r) => r.pass) ? 0 : 1;
  } finally {
    inspector?.disconnect();
    bare.server.close();
    await host?.stop();
    await pexip.stop();
    await genesys.stop();
    await azurite.stop();
  }
}

function row(figure: string, measured: number, baseline: number, baselineName: string, meets: (ratio: number) => boolean, goal: string, note: string): Row & { note: string } {
  const ratio = measured / baseline;
  return { figure, measured: measured.toFixed(1), baseline: `${baseline.toFixed(1)} (${baselineName})`, ratio, goal, pass: meets(ratio), note };
}

function table(rows: (Row & { note?: string })[]): string {
  const header = ['figure', 'MaxConf', 'baseline (same run)', 'ratio', 'goal', 'result', 'note'];
  const cells = rows.map((r) => [r.figure, r.measured, r.baseline, `${r.ratio.toFixed(3)}×`, r.goal, r.pass ? 'PASS' : 'FAIL', r.note ?? '']);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) => `| ${c.map((v, i) => v.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line), ''].join('\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
