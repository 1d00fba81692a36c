/**
 * The support read model at 100 and at 10,000 sessions: `list({ pageSize: 20 })` (newest first,
 * a 7-day window), get by room name and find by Genesys conversation id, each p50/p99 over about
 * 300 calls, and the ratio of the 10,000-session figures to the 100-session ones measured in the
 * same run (goal: list p99 within 2×). Runs against Azurite in this process, filled through the
 * adapter itself, one session every 4 minutes back from now (about 360 a day, so 10,000 span 28
 * days of day partitions).
 *
 *   npm run build && node dist/bench/sessionIndex.js [--small 100] [--large 10000] [--calls 300]
 */
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { startAzurite } from '../local/azurite';
import { createTableSessionIndex, type TableSessionIndex } from '../src/adapters/storage/sessionIndex';
import type { SessionRecord } from '../src/contracts/sessionIndex';

const { values } = parseArgs({ options: { small: { type: 'string', default: '100' }, large: { type: 'string', default: '10000' }, calls: { type: 'string', default: '300' } } });
const SMALL = Number(values.small);
const LARGE = Number(values.large);
const CALLS = Number(values.calls);
const SPACING_MS = 4 * 60_000;
const FILL_CONCURRENCY = 32;
const NOW = Date.now();

const sessionId = (i: number) => `maxconf-bench-${String(i).padStart(6, '0')}`;
const conversationId = (i: number) => `${String(i).padStart(8, '0')}-bench-4000-8000-000000000000`;

function recordOf(i: number): SessionRecord {
  const createdAt = new Date(NOW - i * SPACING_MS).toISOString();
  const ended = i > 10;
  return {
    sessionId: sessionId(i),
    videoCallId: `vc-${i}`,
    conversationId: conversationId(i),
    phase: ended ? 'ended' : 'queued',
    ...(ended ? { outcome: 'completed' as const, endedAt: new Date(NOW - i * SPACING_MS + 20 * 60_000).toISOString(), teardown: { ok: true } } : {}),
    createdAt,
    updatedAt: createdAt,
    agentUserId: 'agent-bench',
    dialAttempts: 1,
    queue: { position: 3, estimatedWaitSeconds: 90, at: createdAt },
    revision: 20,
  };
}

async function fill(index: TableSessionIndex, from: number, to: number): Promise<number> {
  const started = performance.now();
  let next = from;
  await Promise.all(
    Array.from({ length: FILL_CONCURRENCY }, async () => {
      while (next < to) {
        const i = next++;
        await index.upsert(recordOf(i));
        if ((i + 1) % 1000 === 0) process.stderr.write(`filled ${i + 1} sessions\n`);
      }
    }),
  );
  return (to - from) / ((performance.now() - started) / 1000);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function measure(call: (n: number) => Promise<unknown>): Promise<{ p50: number; p99: number }> {
  for (let n = 0; n < 20; n++) await call(n); // warm-up
  const times: number[] = [];
  for (let n = 0; n < CALLS; n++) {
    const started = performance.now();
    await call(n);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99) };
}

type Figures = Record<'list' | 'get' | 'findByConversation', { p50: number; p99: number }>;

async function figures(index: TableSessionIndex, sessions: number): Promise<Figures> {
  const window = { from: new Date(NOW - 7 * 86_400_000), to: new Date(NOW + 60_000) };
  const pick = (n: number) => (n * 7919) % sessions; // spread over every session, the same sequence each run
  const list = await measure(async () => {
    const page = await index.list({ ...window, pageSize: 20 });
    if (page.items.length !== Math.min(20, sessions)) throw new Error(`list answered ${page.items.length} sessions`);
  });
  const get = await measure(async (n) => {
    if (!(await index.get(sessionId(pick(n))))) throw new Error('get missed');
  });
  const findByConversation = await measure(async (n) => {
    if (!(await index.findByConversationId(conversationId(pick(n))))) throw new Error('find missed');
  });
  return { list, get, findByConversation };
}

async function main(): Promise<void> {
  const azurite = await startAzurite();
  try {
    const index = await createTableSessionIndex({ account: { connectionString: azurite.connectionString }, prefix: 'bench' });
    const smallRate = await fill(index, 0, SMALL);
    const small = await figures(index, SMALL);
    const largeRate = await fill(index, SMALL, LARGE);
    const large = await figures(index, LARGE);

    const ms = (v: number) => v.toFixed(2).padStart(8);
    console.log(`session index on Azurite (in process), ${CALLS} calls each; fill ${smallRate.toFixed(0)} and ${largeRate.toFixed(0)} upserts/s`);
    console.log(`${'operation'.padEnd(22)}${`p50@${SMALL}`.padStart(10)}${`p99@${SMALL}`.padStart(10)}${`p50@${LARGE}`.padStart(11)}${`p99@${LARGE}`.padStart(11)}  p99 ratio`);
    for (const name of ['list', 'get', 'findByConversation'] as const) {
      const ratio = large[name].p99 / small[name].p99;
      const label = name === 'list' ? 'list(pageSize 20)' : name === 'get' ? 'get(sessionId)' : 'findByConversationId';
      console.log(`${label.padEnd(22)}${ms(small[name].p50)}  ${ms(small[name].p99)}  ${ms(large[name].p50)}   ${ms(large[name].p99)}   ${ratio.toFixed(2)}×${name === 'list' ? (ratio <= 2 ? '  (goal ≤ 2×: met)' : '  (goal ≤ 2×: NOT met)') : ''}`);
    }
  } finally {
    await azurite.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
