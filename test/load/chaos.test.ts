import { join } from 'node:path';
import { ensureBuilt, ROOT } from '../host/builtHost';
import { killPoints } from '../../local/cli/chaos';
import { runCommand } from './command';

const CHAOS = join(ROOT, 'dist', 'local', 'cli', 'chaos.js');

describe('chaos kill points', () => {
  it('are the same for the same seed, differ for another, and stay inside the run', () => {
    expect(killPoints(7, 150, 3)).toEqual(killPoints(7, 150, 3));
    expect(killPoints(7, 150, 3)).not.toEqual(killPoints(8, 150, 3));
    const points = killPoints(7, 150, 3);
    expect(points).toHaveLength(3);
    expect(new Set(points).size).toBe(3);
    expect(points.every((p) => p >= 1 && p <= 120)).toBe(true);
  });
});

/**
 * The suite's slice: duplicates, reordering, Pexip 503s and a host SIGKILL. Without sink drops
 * (`--sink-drop 0`): a lost `participant_connected` still stalls a session on today's main (no
 * reconciler yet), which `npm run chaos -- --seed S` with its default 10 % drop shows.
 */
describe('npm run chaos (8 sessions, 1 SIGKILL, seed 7)', () => {
  beforeAll(() => ensureBuilt([CHAOS]), 120_000);

  it('every joined session completes across the kill, no room is left, none is stuck; exits 0', async () => {
    const { code, out } = await runCommand(CHAOS, ['--seed', '7', '--sessions', '8', '--kills', '1', '--sink-drop', '0', '--timeout', '60']);
    if (code !== 0) throw new Error(`chaos exited ${code}\n${out}`);
    expect(out).toContain('SIGKILL after');
    expect(out).toMatch(/host SIGKILLed and restarted \(attached\)/);
    expect(out).toMatch(/must complete (\d+), completed \1\n/);
    expect(out).toContain('sessions with no outcome 0, with two or more 0');
    expect(out).toContain('leaked rooms 0');
    expect(out).toContain('chaos: every invariant held');
  }, 300_000);

  it('needs a seed', async () => {
    const { code, out } = await runCommand(CHAOS, ['--sessions', '2']);
    expect(code).toBe(2);
    expect(out).toContain('--seed S is required');
  }, 30_000);
});
