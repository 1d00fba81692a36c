/**
 * `npm run bench:host`: the local durable host with 1,000 concurrent waiting instances.
 * Reports memory per waiting instance and events per second raised (HTTP 202, durably queued)
 * and processed (the orchestrations that took them completed), each as a ratio against a
 * baseline measured in the same run: the same host with 100 instances, and a bare node:sqlite
 * loop committing one insert per transaction (the floor cost of accepting an event durably).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { performance } from 'node:perf_hooks';
import { startLocalHost, type LocalHost } from '../local/durable-host';
import { installFunctionsCore } from '../local/functions-core/install';
import { createLogger } from '../src/logging/logger';

const CONCURRENCY = 32;

interface PhaseResult {
  instances: number;
  heapPerInstance: number;
  rssPerInstance: number;
  startsPerSecond: number;
  raisedPerSecond: number;
  processedPerSecond: number;
  /** how long processing ran on after the last event was accepted */
  drainMs: number;
}

function gc(): void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) throw new Error('run with node --expose-gc (npm run bench:host does)');
  collect();
  collect();
}

async function inBatches<T>(items: T[], work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

async function post(url: string, body: unknown): Promise<void> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  await response.arrayBuffer();
  if (response.status !== 202) throw new Error(`POST ${url}: HTTP ${response.status}`);
}

async function phase(host: LocalHost, label: string, count: number): Promise<PhaseResult> {
  const hooks = `${host.url}/runtime/webhooks/durabletask`;
  const ids = Array.from({ length: count }, (_, i) => `${label}-${i}`);
  await host.idle();
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const rssBefore = process.memoryUsage().rss;

  const startAt = performance.now();
  await inBatches(ids, (id) => post(`${hooks}/orchestrators/waiter/${id}`, null));
  await host.idle();
  const startsPerSecond = count / ((performance.now() - startAt) / 1000);
  gc();
  const heapPerInstance = (process.memoryUsage().heapUsed - heapBefore) / count;
  const rssPerInstance = (process.memoryUsage().rss - rssBefore) / count;

  const raiseAt = performance.now();
  await inBatches(ids, (id) => post(`${hooks}/instances/${id}/raiseEvent/go`, id));
  const raisedAt = performance.now();
  const raisedPerSecond = count / ((raisedAt - raiseAt) / 1000);
  await host.idle();
  const processedPerSecond = count / ((performance.now() - raiseAt) / 1000);
  const drainMs = performance.now() - raisedAt;

  const sample = await (await fetch(`${hooks}/instances/${ids[count - 1]}`)).json();
  if ((sample as { runtimeStatus: string; output: unknown }).output !== ids[count - 1]) throw new Error(`unexpected result ${JSON.stringify(sample)}`);
  return { instances: count, heapPerInstance, rssPerInstance, startsPerSecond, raisedPerSecond, processedPerSecond, drainMs };
}

/** One row insert per committed transaction in WAL mode: what accepting an event costs at the least. */
function bareSqliteInsertsPerSecond(dataDir: string, count: number): number {
  const db = new DatabaseSync(join(dataDir, 'baseline.sqlite'));
  db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)');
  const insert = db.prepare('INSERT INTO t (body) VALUES (?)');
  const at = performance.now();
  for (let i = 0; i < count; i++) {
    db.exec('BEGIN IMMEDIATE');
    insert.run(JSON.stringify({ Name: 'go', Input: `"event-${i}"` }));
    db.exec('COMMIT');
  }
  const perSecond = count / ((performance.now() - at) / 1000);
  db.close();
  return perSecond;
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const rate = (n: number) => `${n.toFixed(0)}/s`;
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'maxconf-bench-'));
  const host = await startLocalHost({
    dataDir,
    port: 0,
    clock: 'real',
    logger: createLogger({ level: 'warn' }),
    loadApp: (core) => {
      const uninstall = installFunctionsCore(core);
      try {
        require(join(__dirname, 'fixtures', 'waitingApp'));
      } finally {
        uninstall();
      }
    },
  });
  try {
    await phase(host, 'warmup', 300);
    const baseline = await phase(host, 'base', 100);
    const full = await phase(host, 'full', 1000);
    const sqlite = bareSqliteInsertsPerSecond(dataDir, 5000);

    const lines = [
      `local durable host, waiting instances (each: a 1-day timer raced with an event), concurrency ${CONCURRENCY}`,
      '',
      `                         100 instances   1,000 instances   ratio 1,000 / 100`,
      `JS heap per instance     ${kb(baseline.heapPerInstance).padStart(13)}   ${kb(full.heapPerInstance).padStart(15)}   ${ratio(full.heapPerInstance, baseline.heapPerInstance)}`,
      `RSS per instance         ${kb(baseline.rssPerInstance).padStart(13)}   ${kb(full.rssPerInstance).padStart(15)}   ${ratio(full.rssPerInstance, baseline.rssPerInstance)}`,
      `starts per second        ${rate(baseline.startsPerSecond).padStart(13)}   ${rate(full.startsPerSecond).padStart(15)}   ${ratio(full.startsPerSecond, baseline.startsPerSecond)}`,
      `events raised per second ${rate(baseline.raisedPerSecond).padStart(13)}   ${rate(full.raisedPerSecond).padStart(15)}   ${ratio(full.raisedPerSecond, baseline.raisedPerSecond)}`,
      `events processed per sec ${rate(baseline.processedPerSecond).padStart(13)}   ${rate(full.processedPerSecond).padStart(15)}   ${ratio(full.processedPerSecond, baseline.processedPerSecond)}`,
      `  (processing runs while events arrive; it finished ${baseline.drainMs.toFixed(0)} ms / ${full.drainMs.toFixed(0)} ms after the last one was accepted)`,
      '',
      `bare node:sqlite, one insert per transaction: ${rate(sqlite)}`,
      `  events raised / bare inserts (1,000 instances):    ${ratio(full.raisedPerSecond, sqlite)}`,
      `  events processed / bare inserts (1,000 instances): ${ratio(full.processedPerSecond, sqlite)}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await host.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
