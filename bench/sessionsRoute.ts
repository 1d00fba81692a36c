/**
 * `GET /sessions?pageSize=20` through the real route, handler and session index (Azurite, as
 * `npm start` uses it) at 100 sessions and at 10,000: p50/p99 over a few hundred sequential calls
 * each, and the p99 ratio measured in the same run (goal ≤ 2×, issue 13). The index is seeded
 * directly through the SessionIndex adapter (one session every 4 minutes back from now, so
 * 10,000 span 28 days of day partitions), not by running sessions. `npm run bench` runs it on
 * its own host as one row; alone:
 *
 *   npm run build && node dist/bench/sessionsRoute.js [--small 100] [--large 10000] [--calls 300]
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { startAzurite } from '../local/azurite';
import { startLocalHost } from '../local/durable-host';
import { startGenesysSimulator } from '../local/genesys-simulator';
import { startPexipSimulator } from '../local/pexip-simulator';
import { mintDevToken, ROLES } from '../src/adapters/auth';
import { createTableSessionIndex } from '../src/adapters/storage/sessionIndex';
import { exportHostSettings } from '../src/config';
import type { SessionIndex, SessionRecord } from '../src/contracts/sessionIndex';
import { createLogger } from '../src/logging/logger';

export interface RouteFigures {
  p50: number;
  p99: number;
}

export interface SessionsRouteResult {
  small: { sessions: number } & RouteFigures;
  large: { sessions: number } & RouteFigures;
  ratio: number;
  seedPerSecond: number;
}

const SPACING_MS = 4 * 60_000;
const SEED_CONCURRENCY = 32;

function recordOf(i: number, now: number): SessionRecord {
  const createdAt = new Date(now - i * SPACING_MS).toISOString();
  const ended = i > 10;
  return {
    sessionId: `mcbench-${i.toString(16).padStart(12, '0')}`,
    videoCallId: `vcbench${i}`,
    conversationId: `${String(i).padStart(8, '0')}-bench-4000-8000-000000000000`,
    phase: ended ? 'ended' : 'queued',
    ...(ended ? { outcome: 'completed' as const, endedAt: new Date(now - i * SPACING_MS + 20 * 60_000).toISOString(), teardown: { ok: true } } : {}),
    createdAt,
    updatedAt: createdAt,
    agentUserId: 'agent-bench',
    dialAttempts: 1,
    participants: { citizens: ['p-citizen'], agentVideo: ['p-agent'], sip: 'p-sip' },
    queue: { position: 3, estimatedWaitSeconds: 90, at: createdAt },
    revision: 20,
  };
}

async function seed(index: SessionIndex, from: number, to: number, now: number, progress: (line: string) => void): Promise<number> {
  const started = performance.now();
  let next = from;
  await Promise.all(
    Array.from({ length: SEED_CONCURRENCY }, async () => {
      while (next < to) {
        const i = next++;
        await index.upsert(recordOf(i, now));
        if ((i + 1) % 1000 === 0) progress(`seeded ${i + 1} sessions`);
      }
    }),
  );
  return (to - from) / ((performance.now() - started) / 1000);
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;

async function measure(url: string, token: string, calls: number, expected: number): Promise<RouteFigures> {
  const one = async () => {
    const started = performance.now();
    const res = await fetch(`${url}/sessions?pageSize=20`, { headers: { authorization: `Bearer ${token}` } });
    const body = (await res.json()) as { sessions?: unknown[] };
    const ms = performance.now() - started;
    if (res.status !== 200 || body.sessions?.length !== expected) throw new Error(`GET /sessions answered ${res.status} with ${body.sessions?.length} sessions, not ${expected}`);
    return ms;
  };
  for (let n = 0; n < 20; n++) await one(); // warm-up
  const times: number[] = [];
  for (let n = 0; n < calls; n++) times.push(await one());
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

/** Sessions a caller already ran (npm run bench's creates) count towards the 100. */
async function countRecent(index: SessionIndex, now: number): Promise<number> {
  let n = 0;
  let token: string | undefined;
  do {
    const page = await index.list({ from: new Date(now - 7 * 86_400_000), to: new Date(now + 60_000), pageSize: 200, ...(token ? { continuationToken: token } : {}) });
    n += page.items.length;
    token = page.continuationToken;
  } while (token);
  return n;
}

/** Against a running MaxConf whose session index is `connectionString` (prefix `maxconf`). */
export async function benchSessionsRoute(o: { url: string; connectionString: string; supportToken: string; small: number; large: number; calls: number; progress(line: string): void }): Promise<SessionsRouteResult> {
  const index = await createTableSessionIndex({ account: { connectionString: o.connectionString } });
  const now = Date.now();
  const existing = await countRecent(index, now);
  const expected = (n: number) => Math.min(20, n);
  const small = Math.max(0, o.small - existing);
  const rate = await seed(index, 0, small, now, o.progress);
  const smallFigures = await measure(o.url, o.supportToken, o.calls, expected(o.small));
  await seed(index, small, o.large - existing, now, o.progress);
  const largeFigures = await measure(o.url, o.supportToken, o.calls, expected(o.large));
  return {
    small: { sessions: o.small, ...smallFigures },
    large: { sessions: o.large, ...largeFigures },
    ratio: largeFigures.p99 / smallFigures.p99,
    seedPerSecond: rate,
  };
}

/** A host of its own: the real app on the local durable host, Azurite in memory, both simulators idle (an empty warm pool). */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { small: { type: 'string', default: '100' }, large: { type: 'string', default: '10000' }, calls: { type: 'string', default: '300' } } });
  const dataDir = mkdtempSync(join(tmpdir(), 'maxconf-bench-sessions-'));
  const azurite = await startAzurite({});
  const genesys = await startGenesysSimulator({});
  const pexip = await startPexipSimulator({ propagationDelayMs: 0, sipDestination: genesys.sipDestination });
  exportHostSettings({
    ...genesys.env(),
    MAXCONF_ENV: 'local',
    LOG_LEVEL: 'warn',
    MAXCONF_DATA_DIR: dataDir,
    AzureWebJobsStorage: azurite.connectionString,
    ROOM_POOL_SIZE: '0',
    PEXIP_MANAGEMENT_URL: pexip.url,
    PEXIP_USERNAME: pexip.username,
    PEXIP_PASSWORD: pexip.password,
    PEXIP_CONFERENCE_HOST: new URL(pexip.url).host,
  });
  const host = await startLocalHost({ dataDir, port: 0, clock: 'real', logger: createLogger({ level: 'warn' }) });
  try {
    const supportToken = await mintDevToken({ dataDir, issuer: 'maxconf-local-dev', audience: 'api://maxconf-local', roles: [ROLES.support] });
    const r = await benchSessionsRoute({
      url: host.url,
      connectionString: azurite.connectionString,
      supportToken,
      small: Number(values.small),
      large: Number(values.large),
      calls: Number(values.calls),
      progress: (line) => process.stderr.write(`${line}\n`),
    });
    const ms = (v: number) => v.toFixed(2);
    process.stdout.write(
      `GET /sessions?pageSize=20 through the route on the local host, session index on Azurite (seeded ${r.seedPerSecond.toFixed(0)} upserts/s), ${values.calls} calls each\n` +
        `  ${r.small.sessions} sessions: p50 ${ms(r.small.p50)} ms, p99 ${ms(r.small.p99)} ms\n` +
        `  ${r.large.sessions} sessions: p50 ${ms(r.large.p50)} ms, p99 ${ms(r.large.p99)} ms\n` +
        `  p99 ratio ${r.ratio.toFixed(2)}× (goal ≤ 2×: ${r.ratio <= 2 ? 'met' : 'NOT met'})\n`,
    );
    process.exitCode = r.ratio <= 2 ? 0 : 1;
  } finally {
    await host.stop();
    await pexip.stop();
    await genesys.stop();
    await azurite.stop();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
}
