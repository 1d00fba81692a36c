/**
 * `npm run load -- --sessions N`: N concurrent full calls (IDIM create, citizen join, queued,
 * agent answer, hang-up) against MaxConf, with one idle session measured first in the same run.
 * Prints outcomes, leaked rooms, sessions with no or two outcomes and latencies p50/p99 against
 * the idle session's; exits 1 when an invariant fails. See docs/load.md.
 *
 *   --sessions N          sessions (required)
 *   --concurrency C       at most C in flight (default N)
 *   --production-like     Pexip ~90 s propagation and management rate limit, Genesys 300/min per token
 *   --pool P              warm pool size of the MaxConf started here (default N + 2; the run waits for it to be on Pexip and propagated)
 *   --timeout S           per step (default 300)
 *   --url U [--data-dir D]  drive a running `npm start` instead of starting one
 */
import { execute, parseOptions, runMain } from './loadRunCli';

export async function main(argv: string[]): Promise<number> {
  const options = parseOptions(argv, {});
  const { code } = await execute({ options, mode: 'load', write: (line) => process.stdout.write(`${line}\n`) });
  return code;
}

if (require.main === module) runMain('load', main);
