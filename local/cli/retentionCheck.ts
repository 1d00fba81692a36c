/**
 * `npm run retention:check -- --sessions N`: N short sessions against a MaxConf of its own (local
 * durable host on a virtual clock, both simulators, Azurite), then retention with a 0-day cut,
 * and the durable store and session index counted before, grown and after. Exits 1 when an
 * instance, history, entity or index-row count, or the store's used size, is not back at its
 * baseline. See docs/storage.md ("Retention at scale").
 *
 *   --sessions N       sessions (default 2000)
 *   --join-every K     every K-th session has a citizen join and reach the Genesys queue (default 4; 0 = none)
 *   --concurrency C    sessions in flight at once (default 10)
 *   --max-runs R       retention runs at most (default 5)
 *   --pool P           warm rooms (default 10): creates the pool cannot serve at once make a claim orchestration
 */
import { runRetentionCheck, type StoreFigures } from './retentionRun';

function intOption(argv: string[], name: string, fallback: number): number {
  const i = argv.indexOf(name);
  if (i < 0) return fallback;
  const value = Number(argv[i + 1]);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} needs a whole number, got ${argv[i + 1] ?? 'nothing'}`);
  return value;
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;

function row(label: string, f: StoreFigures): string {
  return `${label.padEnd(9)} instances ${String(f.instances).padStart(6)}  history ${String(f.history).padStart(7)}  entities ${String(f.entities).padStart(5)}  other rows ${String(f.otherRows).padStart(5)}  index rows ${String(f.indexRows).padStart(6)}  store compacted ${kb(f.compactBytes).padStart(9)}  pages used ${kb(f.usedBytes).padStart(9)}  file ${kb(f.fileBytes).padStart(10)}`;
}

export async function main(argv: string[]): Promise<number> {
  const sessions = intOption(argv, '--sessions', 2000);
  if (sessions < 1) throw new Error('--sessions must be at least 1');
  const tty = process.stderr.isTTY;
  let lastLine = 0;
  const result = await runRetentionCheck({
    sessions,
    joinEvery: intOption(argv, '--join-every', 4),
    concurrency: Math.max(1, intOption(argv, '--concurrency', 10)),
    maxRuns: Math.max(1, intOption(argv, '--max-runs', 5)),
    pool: intOption(argv, '--pool', 10),
    write: (line) => process.stdout.write(`${line}\n`),
    progress: (line) => {
      // one line rewritten on a terminal; at most one line every 5 s otherwise
      if (tty) process.stderr.write(`\r${line}\x1b[K`);
      else if (Date.now() - lastLine > 5000 || line.startsWith('retention')) {
        lastLine = Date.now();
        process.stderr.write(`${line}\n`);
      }
    },
  });
  if (tty) process.stderr.write('\n');
  const out = (line: string) => process.stdout.write(`${line}\n`);
  out(`${sessions} sessions (${result.joined} with a citizen), ${result.retentionRuns} retention run(s), ${result.seconds.toFixed(0)} s`);
  out(row('baseline', result.baseline));
  out(row('grown', result.grown));
  out(row('after', result.after));
  out(result.ok ? 'back at baseline' : 'NOT back at baseline');
  return result.ok ? 0 : 1;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`retention:check: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(2);
    },
  );
}
