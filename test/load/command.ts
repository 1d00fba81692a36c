import { spawn } from 'node:child_process';
import { ROOT } from '../host/builtHost';

/** Runs a built CLI entry on this Node and collects what it printed. */
export function runCommand(entry: string, args: string[]): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', entry, ...args], { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'error' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, out })));
}
