import { createServer } from 'node:net';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { loadConfig } from '../../src/config';
import { LOCAL_PROPAGATION_DELAY_MS, PRODUCTION_PROPAGATION_DELAY_MS } from '../vendorKnobs';
import { runLoad, type RunOptions, type RunResult } from './loadRun';
import { report } from './loadRunReport';
import { loadPexipClientApi } from './pexipClientApi';
import { attachStack, startStack, type LoadStack } from './loadRunStack';

/** The options `npm run load` and `npm run chaos` share, parsed with zod (a bad one is a line naming it). */
const common = z.object({
  sessions: z.coerce.number().int().positive(),
  concurrency: z.coerce.number().int().positive().optional(),
  pool: z.coerce.number().int().min(0).optional(),
  timeout: z.coerce.number().positive().default(300),
  url: z.string().url().optional(),
  'data-dir': z.string().optional(),
  'production-like': z.boolean().default(false),
  seed: z.coerce.number().int().optional(),
  kills: z.coerce.number().int().min(0).optional(),
  'sink-drop': z.coerce.number().min(0).max(1).optional(),
});
export type CommonOptions = z.infer<typeof common>;

export class UsageError extends Error {}

export function parseOptions(argv: string[], defaults: Partial<Record<keyof CommonOptions, string>>): CommonOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      sessions: { type: 'string' },
      concurrency: { type: 'string' },
      pool: { type: 'string' },
      timeout: { type: 'string' },
      url: { type: 'string' },
      'data-dir': { type: 'string' },
      'production-like': { type: 'boolean' },
      seed: { type: 'string' },
      kills: { type: 'string' },
      'sink-drop': { type: 'string' },
    },
    strict: true,
  });
  const parsed = common.safeParse({ ...defaults, ...values });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UsageError(`--${issue.path.join('.')}: ${issue.message}`);
  }
  return parsed.data;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface Execution {
  options: CommonOptions;
  mode: 'load' | 'chaos';
  /** PEXIP_SIM_* knobs for a stack started here */
  vendorEnv?: Record<string, string>;
  write(line: string): void;
  /** hooks into the run, given the stack (chaos: faults and kills) */
  hooks?(stack: LoadStack): Pick<RunOptions, 'beforeLoad' | 'onStage'>;
}

/** Starts or attaches to MaxConf, runs the sessions, prints the figures; resolves to the exit code. */
export async function execute(e: Execution): Promise<{ code: number; result: RunResult }> {
  const o = e.options;
  const config = loadConfig();
  const concurrency = o.concurrency ?? o.sessions;
  const auth = { issuer: config.auth.issuer, audience: config.auth.audience };
  let stack: LoadStack;
  if (o.url) {
    if (e.mode === 'chaos') throw new UsageError('chaos kills the host it starts: it cannot run against --url');
    stack = await attachStack(o.url, [o['data-dir'], config.dataDir, '.maxconf/'].filter((d): d is string => d !== undefined), auth);
    e.write(`attached to ${stack.url}`);
  } else {
    // as the profile would size it for this load: every session's room warm and propagated before it
    // arrives (a replacement made during the run needs Pexip's propagation delay before anyone can join it)
    const pool = o.pool ?? o.sessions + 2;
    const port = await freePort();
    e.write(`starting the vendors process and a host attached to it on port ${port} (warm pool ${pool}${o['production-like'] ? ', production-like limits' : ''})…`);
    stack = await startStack({ port, productionLike: o['production-like'], env: { ROOM_POOL_SIZE: String(pool), ...e.vendorEnv }, auth, write: e.write });
  }
  try {
    const result = await runLoad({
      stack,
      ...(o.url ? {} : { warmPool: { size: o.pool ?? o.sessions + 2, propagationMs: o['production-like'] ? PRODUCTION_PROPAGATION_DELAY_MS : LOCAL_PROPAGATION_DELAY_MS } }),
      pexip: loadPexipClientApi(),
      sessions: o.sessions,
      concurrency,
      stepTimeoutMs: o.timeout * 1000,
      ...(o['production-like'] ? { genesysRequestsPerMinute: 300 } : {}),
      write: e.write,
      ...e.hooks?.(stack),
    });
    const { lines, failures } = report(result, e.mode);
    for (const line of lines) e.write(line);
    for (const f of failures) e.write(`FAIL ${f}`);
    e.write(failures.length === 0 ? `${e.mode}: every invariant held` : `${e.mode}: ${failures.length} invariants failed`);
    return { code: failures.length === 0 ? 0 : 1, result };
  } finally {
    await stack.stop();
  }
}

/** The entry both commands share: exit code 1 on a failed invariant, 2 on bad usage or a stack that would not start. */
export function runMain(name: string, main: (argv: string[]) => Promise<number>): void {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (error: unknown) => {
      process.stderr.write(`${name}: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 2;
    },
  );
}
