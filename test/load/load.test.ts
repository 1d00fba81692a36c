import { join } from 'node:path';
import { ensureBuilt, ROOT } from '../host/builtHost';
import { report } from '../../local/cli/loadRunReport';
import type { RunResult } from '../../local/cli/loadRun';
import type { SessionRecord } from '../../local/cli/loadRunSession';
import { runCommand } from './command';

const LOAD = join(ROOT, 'dist', 'local', 'cli', 'load.js');

const completed = (index: number): SessionRecord => ({
  index,
  room: `mclocal-${index}`,
  joined: true,
  outcome: 'completed',
  outcomes: ['completed'],
  createMs: 10,
  joinToDialMs: 100,
  answerToInCallMs: 200,
  hangupToRoomDeletedMs: 300,
});
const run = (records: SessionRecord[], leakedRooms: string[] = []): RunResult => ({ idle: completed(0), records, leakedRooms, genesys429: 0, wallMs: 1000 });

describe('the load report', () => {
  it('passes a run where every session completed and no room is left', () => {
    const r = report(run([completed(1), completed(2)]), 'load');
    expect(r.failures).toEqual([]);
    expect(r.lines).toContain('outcomes: completed 2');
    expect(r.lines.find((l) => l.startsWith('join→dial'))).toMatch(/100 ms\s+100 ms\s+100 ms\s+1\.0×/);
  });

  it('fails a session not completed, one stuck without an outcome, one with two outcomes and a leaked room', () => {
    const failed = { ...completed(1), outcome: 'dial_failed', outcomes: ['dial_failed'] };
    const stuck = { ...completed(2), outcome: null, outcomes: [] };
    const twice = { ...completed(3), outcome: 'abandoned', outcomes: ['dial_failed', 'abandoned'] };
    const r = report(run([failed, stuck, twice, completed(4)], ['mclocal-4']), 'load');
    expect(r.failures).toHaveLength(4);
    expect(r.failures[0]).toMatch(/^3 sessions not completed/);
    expect(r.failures[1]).toMatch(/^1 sessions with no outcome/);
    expect(r.failures[2]).toMatch(/^1 sessions with two or more outcomes: #3 .*\[dial_failed\+abandoned\]/);
    expect(r.failures[3]).toBe('1 leaked rooms: mclocal-4');
  });

  it('in chaos, a create refused while the host was down is no session; a joined session must still complete', () => {
    const refused: SessionRecord = { index: 1, joined: false, outcome: null, outcomes: [], error: 'POST /room/create answered 503' };
    expect(report(run([refused, completed(2)]), 'chaos').failures).toEqual([]);
    expect(report(run([refused, completed(2)]), 'load').failures[0]).toMatch(/^1 sessions not completed/);
    const joinedNoShow = { ...completed(3), outcome: 'citizen_no_show', outcomes: ['citizen_no_show'] };
    expect(report(run([joinedNoShow]), 'chaos').failures[0]).toMatch(/^1 sessions not completed: #3/);
  });
});

describe('npm run load (10 sessions)', () => {
  beforeAll(() => ensureBuilt([LOAD]), 120_000);

  it('completes every session, leaves no room, prints the latency table against the idle session, exits 0', async () => {
    const { code, out } = await runCommand(LOAD, ['--sessions', '10', '--timeout', '60']);
    if (code !== 0) throw new Error(`load exited ${code}\n${out}`);
    expect(out).toContain('outcomes: completed 10');
    expect(out).toContain('must complete 10, completed 10');
    expect(out).toContain('sessions with no outcome 0, with two or more 0');
    expect(out).toContain('leaked rooms 0');
    for (const label of ['create', 'join→dial', 'answer→in_call', 'hangup→room deleted']) expect(out).toMatch(new RegExp(`^${label}\\s+\\d+ ms\\s+\\d+ ms\\s+\\d+ ms\\s+[\\d.]+×$`, 'm'));
    expect(out).toContain('load: every invariant held');
  }, 240_000);

  it('refuses a bad option with a line naming it (exit 2)', async () => {
    const { code, out } = await runCommand(LOAD, ['--sessions', '0']);
    expect(code).toBe(2);
    expect(out).toMatch(/--sessions: /);
  }, 30_000);
});
