/**
 * Runs the local durable host for any app entry module in its own process:
 *   node dist/local/durable-host/serve.js --entry <module> --data-dir <dir> [--port 0] [--clock real]
 * Prints one JSON line `{"ready":"http://127.0.0.1:<port>"}` when it listens, and stops cleanly
 * on SIGINT/SIGTERM. The crash test and the benchmark run their fixture apps through it.
 */
import { resolve } from 'node:path';
import { createLogger } from '../../src/logging/logger';
import { installFunctionsCore } from '../functions-core/install';
import { startLocalHost } from './index';

function argument(name: string): string | undefined {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

async function main(): Promise<void> {
  const entry = argument('entry');
  const dataDir = argument('data-dir');
  if (!entry || !dataDir) throw new Error('usage: serve --entry <module> --data-dir <dir> [--port <n>] [--clock real|virtual]');
  const logger = createLogger({ level: argument('log-level') ?? 'warn', base: { component: 'local-host' } });
  const host = await startLocalHost({
    dataDir,
    port: Number(argument('port') ?? 0),
    clock: argument('clock') === 'virtual' ? 'virtual' : 'real',
    logger,
    loadApp: (core) => {
      const uninstall = installFunctionsCore(core);
      try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        require(resolve(entry));
      } finally {
        uninstall();
      }
    },
  });
  process.stdout.write(`${JSON.stringify({ ready: host.url })}\n`);
  const stop = () => {
    host.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
