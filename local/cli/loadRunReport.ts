import type { RunResult } from './loadRun';
import type { SessionRecord } from './loadRunSession';

/** The figures of a run and the invariants it must hold; pure, so the tests can check them on made-up records. */
export interface Report {
  lines: string[];
  /** one line per invariant that failed; empty when the run passed */
  failures: string[];
}

type Latency = 'createMs' | 'joinToDialMs' | 'answerToInCallMs' | 'hangupToRoomDeletedMs';
const LATENCIES: [Latency, string][] = [
  ['createMs', 'create'],
  ['joinToDialMs', 'join→dial'],
  ['answerToInCallMs', 'answer→in_call'],
  ['hangupToRoomDeletedMs', 'hangup→room deleted'],
];

export function percentile(values: number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

const ms = (v: number | undefined) => (v === undefined ? '—' : `${Math.round(v)} ms`);

/**
 * `load`: every session must complete. `chaos`: every session whose citizen joined must
 * complete (a create refused while the host was down is no session). Both: no room left on
 * Pexip, no session with no or two outcomes.
 */
export function report(result: RunResult, mode: 'load' | 'chaos'): Report {
  const { records, idle } = result;
  const lines: string[] = [];
  const failures: string[] = [];
  const byOutcome = new Map<string, number>();
  for (const r of records) byOutcome.set(r.outcome ?? (r.room ? '(none)' : '(not created)'), (byOutcome.get(r.outcome ?? (r.room ? '(none)' : '(not created)')) ?? 0) + 1);
  lines.push(`sessions ${records.length} in ${(result.wallMs / 1000).toFixed(1)} s`);
  lines.push(`outcomes: ${[...byOutcome].map(([k, v]) => `${k} ${v}`).join(', ')}`);

  const mustComplete = records.filter((r) => (mode === 'load' ? true : r.joined));
  const notCompleted = mustComplete.filter((r) => r.outcome !== 'completed');
  const noOutcome = records.filter((r) => r.room && r.outcome === null);
  const twoOutcomes = records.filter((r) => r.outcomes.length > 1);
  lines.push(`must complete ${mustComplete.length}, completed ${mustComplete.length - notCompleted.length}`);
  lines.push(`sessions with no outcome ${noOutcome.length}, with two or more ${twoOutcomes.length}`);
  lines.push(`leaked rooms ${result.leakedRooms.length}`);
  lines.push(`Genesys 429s served ${result.genesys429}`);

  lines.push('');
  lines.push(`${'latency'.padEnd(22)}${'p50'.padStart(10)}${'p99'.padStart(10)}${'idle'.padStart(10)}${'p99/idle'.padStart(10)}`);
  for (const [key, label] of LATENCIES) {
    const values = records.map((r) => r[key]).filter((v): v is number => v !== undefined);
    const p99 = percentile(values, 99);
    const base = idle[key];
    const ratio = p99 !== undefined && base !== undefined ? `${(p99 / Math.max(base, 1)).toFixed(1)}×` : '—';
    lines.push(`${label.padEnd(22)}${ms(percentile(values, 50)).padStart(10)}${ms(p99).padStart(10)}${ms(base).padStart(10)}${ratio.padStart(10)}`);
  }

  if (idle.outcome !== 'completed') failures.push(`the idle session ended ${idle.outcome ?? 'with no outcome'}${idle.error ? ` (${idle.error})` : ''}`);
  if (notCompleted.length > 0) failures.push(`${notCompleted.length} sessions not completed: ${sample(notCompleted)}`);
  if (noOutcome.length > 0) failures.push(`${noOutcome.length} sessions with no outcome (stuck): ${sample(noOutcome)}`);
  if (twoOutcomes.length > 0) failures.push(`${twoOutcomes.length} sessions with two or more outcomes: ${sample(twoOutcomes)}`);
  if (result.leakedRooms.length > 0) failures.push(`${result.leakedRooms.length} leaked rooms: ${result.leakedRooms.slice(0, 5).join(', ')}`);
  return { lines, failures };
}

function sample(records: SessionRecord[]): string {
  return records
    .slice(0, 5)
    .map((r) => `#${r.index} ${r.room ?? ''} ${r.outcome ?? ''}${r.outcomes.length > 1 ? ` [${r.outcomes.join('+')}]` : ''}${r.error ? ` (${r.error})` : ''}`.replace(/\s+/g, ' ').trim())
    .join('; ');
}
