/**
 * `npm run chaos -- --seed S [--sessions 150] [--kills 3] [--sink-drop 0.1]`: the load run under the simulators'
 * fault knobs (10 % of sink events dropped, 10 % duplicated, 10 % reordered, 5 % of Pexip
 * management requests answered 503) and `--kills` SIGKILLs of the host, each restarted attached
 * to the same vendors process. The seed fixes the simulator's fault draws and when the kills
 * come (after which joined session); thread timing still varies between runs. Invariants: every
 * session whose citizen joined ends `completed`, no room left on Pexip, none stuck without an
 * outcome, none with two. See docs/load.md.
 */
import { seededRandom } from '../vendorKnobs';
import { execute, parseOptions, runMain } from './loadRunCli';
import type { LoadStack } from './loadRunStack';
import type { StageCounts } from './loadRun';

/** The fault knobs; `--sink-drop` overrides the drop rate (0 leaves the lost-event path out). */
export function chaosFaults(sinkDrop: number) {
  return { errorRate: { configuration: 0.05, command: 0.05, status: 0.05 }, sink: { drop: sinkDrop, duplicate: 0.1, reorder: 0.1 } };
}

/** After how many joined sessions each kill comes: distinct, spread over the middle of the run, from the seed. */
export function killPoints(seed: number, sessions: number, kills: number): number[] {
  const random = seededRandom(seed);
  const points = new Set<number>();
  const span = Math.max(1, Math.floor(sessions * 0.8));
  for (let tries = 0; points.size < Math.min(kills, span) && tries < 1000; tries++) points.add(1 + Math.floor(random() * span));
  return [...points].sort((a, b) => a - b);
}

function chaosHooks(stack: LoadStack, points: number[], faults: ReturnType<typeof chaosFaults>, write: (line: string) => void) {
  let pending = [...points];
  let killing: Promise<void> | undefined;
  return {
    async beforeLoad() {
      const res = await fetch(`${stack.pexipUrl}/_sim/faults`, { method: 'PUT', headers: { authorization: stack.pexipAuth, 'content-type': 'application/json' }, body: JSON.stringify(faults) });
      if (res.status !== 204) throw new Error(`the Pexip simulator refused the fault knobs (${res.status})`);
      write(`faults on: ${JSON.stringify(faults)}; kills after ${points.join(', ')} joined sessions`);
    },
    onStage(counts: StageCounts) {
      if (killing || pending.length === 0 || counts.joined < pending[0]!) return;
      write(`   SIGKILL after ${counts.joined} joined sessions`);
      pending = pending.slice(1);
      killing = stack.killAndRestartHost!().finally(() => (killing = undefined));
    },
  };
}

export async function main(argv: string[]): Promise<number> {
  const options = parseOptions(argv, { sessions: '150', kills: '3' });
  if (options.seed === undefined) throw new Error('--seed S is required (the same seed makes the same fault draws and kill points)');
  const write = (line: string) => process.stdout.write(`${line}\n`);
  const points = killPoints(options.seed, options.sessions, options.kills ?? 3);
  write(`chaos, seed ${options.seed}`);
  const { code } = await execute({
    options,
    mode: 'chaos',
    vendorEnv: { PEXIP_SIM_SEED: String(options.seed) },
    write,
    hooks: (stack) => chaosHooks(stack, points, chaosFaults(options['sink-drop'] ?? 0.1), write),
  });
  return code;
}

if (require.main === module) runMain('chaos', main);
