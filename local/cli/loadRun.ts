import type { PexipClientApi } from './pexipClientApi';
import { runSession, type SessionRecord } from './loadRunSession';
import type { LoadStack } from './loadRunStack';

/**
 * The run both `npm run load` and `npm run chaos` make: agents for every concurrent call, one
 * idle session alone (the baseline), then N sessions at once (at most `concurrency` in flight),
 * a progress line while they run, and at the end the rooms still on Pexip.
 */
export interface RunOptions {
  stack: LoadStack;
  pexip: PexipClientApi;
  sessions: number;
  concurrency: number;
  stepTimeoutMs: number;
  /** a stack started here: wait for this many warm rooms on Pexip, the last one propagated, before the idle session */
  warmPool?: { size: number; propagationMs: number };
  /** Genesys's per-token limit on the simulator (production-like: 300 a minute) */
  genesysRequestsPerMinute?: number;
  write(line: string): void;
  /** after the idle session, before the load (chaos turns the fault knobs on here) */
  beforeLoad?(): Promise<void>;
  /** called whenever a session passes a stage; chaos kills the host from here */
  onStage?(counts: StageCounts): void;
}

export type StageCounts = Record<'created' | 'joined' | 'queued' | 'in_call' | 'done', number>;

export interface RunResult {
  idle: SessionRecord;
  records: SessionRecord[];
  /** rooms of this run's ended sessions still on the Pexip simulator after every session ended */
  leakedRooms: string[];
  /** 429s the Genesys simulator answered (each one retried or not: see the sessions' outcomes) */
  genesys429: number;
  wallMs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function json(url: string, init: RequestInit = {}): Promise<unknown> {
  const res = await fetch(url, { ...init, headers: { 'content-type': 'application/json', ...init.headers } }).catch((error: unknown) => {
    throw new Error(`${init.method ?? 'GET'} ${url}: ${error instanceof Error ? error.message : String(error)}`);
  });
  if (res.status >= 300) throw new Error(`${init.method ?? 'GET'} ${url} answered ${res.status}`);
  return (await res.json()) as unknown;
}

/** Enough logged-on agents for every call in flight, each answering only when told (the driver answers once queued). */
async function prepareAgents(genesysUrl: string, wanted: number): Promise<void> {
  const state = (await json(`${genesysUrl}/sim/state`)) as { agents: { id: string }[] };
  const ids = state.agents.map((a) => a.id);
  while (ids.length < wanted) ids.push(((await json(`${genesysUrl}/sim/agents`, { method: 'POST', body: '{}' })) as { id: string }).id);
  for (const id of ids) await json(`${genesysUrl}/sim/agents/${encodeURIComponent(id)}/manual-answer`, { method: 'POST', body: '{}' });
}

/** Names of rooms on the Pexip simulator (one list call, all pages). */
async function pexipRoomNames(stack: LoadStack): Promise<Set<string>> {
  for (;;) {
    const res = await fetch(`${stack.pexipUrl}/api/admin/configuration/v1/conference/?limit=0`, { headers: { authorization: stack.pexipAuth } }).catch((error: unknown) => {
      throw new Error(`the Pexip simulator's room list: ${error instanceof Error ? error.message : String(error)}`);
    });
    // chaos answers some management requests 503 on purpose
    if (res.status >= 500) {
      await sleep(500);
      continue;
    }
    if (res.status === 429) {
      await sleep(1000 * Number(res.headers.get('retry-after') ?? 1));
      continue;
    }
    if (res.status !== 200) throw new Error(`the Pexip simulator's room list answered ${res.status}`);
    return new Set(((await res.json()) as { objects: { name: string }[] }).objects.map((o) => o.name));
  }
}

/** A run's rooms still on Pexip once every session ended, after giving teardowns `graceMs` to finish. */
async function leakedRooms(stack: LoadStack, rooms: string[], graceMs: number): Promise<string[]> {
  const end = Date.now() + graceMs;
  for (;;) {
    const names = await pexipRoomNames(stack);
    const left = rooms.filter((r) => names.has(r));
    if (left.length === 0 || Date.now() > end) return left;
    await sleep(2000);
  }
}

/**
 * Waits until the warm pool's rooms are on Pexip, then for its propagation delay: a pool in
 * production was filled long before the calls come, so the run must not measure a pool that is
 * still being made (or citizens waiting 90 s for a room to reach the conference node).
 */
async function warmPoolReady(stack: LoadStack, pool: { size: number; propagationMs: number }, write: (line: string) => void, timeoutMs: number): Promise<void> {
  if (pool.size === 0) return;
  const started = Date.now();
  for (;;) {
    const rooms = (await pexipRoomNames(stack)).size;
    if (rooms >= pool.size) break;
    if (Date.now() - started > timeoutMs) throw new Error(`the warm pool reached ${rooms} of ${pool.size} rooms in ${timeoutMs / 1000} s`);
    await sleep(2000);
  }
  write(`warm pool: ${pool.size} rooms on Pexip after ${((Date.now() - started) / 1000).toFixed(0)} s; waiting ${pool.propagationMs / 1000} s for them to propagate…`);
  await sleep(pool.propagationMs);
}

export async function runLoad(o: RunOptions): Promise<RunResult> {
  const { stack } = o;
  if (o.warmPool) await warmPoolReady(stack, o.warmPool, o.write, Math.max(o.stepTimeoutMs, 20 * 60_000));
  await prepareAgents(stack.genesysUrl, Math.min(o.sessions, o.concurrency) + 1);
  if (o.genesysRequestsPerMinute) await json(`${stack.genesysUrl}/sim/rate-limit`, { method: 'POST', body: JSON.stringify({ requestsPerMinute: o.genesysRequestsPerMinute }) });
  const base = { stack, pexip: o.pexip, stepTimeoutMs: o.stepTimeoutMs };

  o.write('idle session (alone, the baseline)…');
  const idle = await runSession({ ...base, pollMs: 100, onProgress: () => undefined }, 0);

  await o.beforeLoad?.();
  const counts: StageCounts = { created: 0, joined: 0, queued: 0, in_call: 0, done: 0 };
  const started = Date.now();
  const progress = setInterval(() => {
    const s = ((Date.now() - started) / 1000).toFixed(0);
    o.write(`  ${s.padStart(4)} s  created ${counts.created}/${o.sessions}  joined ${counts.joined}  queued ${counts.queued}  in_call ${counts.in_call}  done ${counts.done}`);
  }, 5000);
  const driver = {
    ...base,
    // a read every 500 ms for a few sessions, 2.5 s for 100 in flight: the reads must not be the load under test
    // (each is a JWT check and index reads on the host; latencies come from the timeline's own stamps
    // and the run's own clock at its actions, so the poll period does not blur them)
    pollMs: Math.max(500, Math.min(o.concurrency, o.sessions) * 25),
    onProgress: (_index: number, stage: string) => {
      if (stage in counts) counts[stage as keyof StageCounts]++;
      o.onStage?.(counts);
    },
  };
  const records: SessionRecord[] = [];
  let next = 1;
  const worker = async () => {
    while (next <= o.sessions) records.push(await runSession(driver, next++));
  };
  o.write(`${o.sessions} sessions, at most ${o.concurrency} at once…`);
  try {
    await Promise.all(Array.from({ length: Math.min(o.concurrency, o.sessions) }, worker));
  } finally {
    clearInterval(progress);
  }
  const wallMs = Date.now() - started;
  records.sort((a, b) => a.index - b.index);
  // a session stuck without an outcome still holds its room by right: it is counted as stuck, not leaked
  const rooms = [idle, ...records].filter((r) => r.outcome !== null).map((r) => r.room).filter((r): r is string => r !== undefined);
  const leaked = await leakedRooms(stack, rooms, 30_000);
  const genesys = (await json(`${stack.genesysUrl}/sim/state`)) as { rateLimit?: { refused?: number } };
  return { idle, records, leakedRooms: leaked, genesys429: genesys.rateLimit?.refused ?? 0, wallMs };
}
