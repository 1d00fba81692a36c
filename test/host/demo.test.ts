import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, freePort, ROOT } from './builtHost';

const START = join(ROOT, 'dist', 'local', 'start.js');
const DEMO = join(ROOT, 'dist', 'local', 'cli', 'demo.js');

function run(script: string, env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', script], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = { out: '', err: '' };
  child.stdout.on('data', (chunk: Buffer) => (output.out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output.err += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output, exited };
}

/** The README's first command and the demo it shows: one whole call against `npm start`'s simulators. */
describe('npm run demo against npm start', () => {
  beforeAll(() => ensureBuilt([START, DEMO]), 120_000);

  it('runs a call from IDIM create to teardown and prints its timeline', async () => {
    const port = await freePort();
    const env = { ...process.env, PORT: String(port), MAXCONF_DATA_DIR: mkdtempSync(join(tmpdir(), 'maxconf-demo-')), LOG_LEVEL: 'warn', MAXCONF_ENV: 'local' };
    const start = run(START, env);
    try {
      for (let i = 0; i < 300 && !start.output.out.includes('MaxConf is running at'); i++) await new Promise((r) => setTimeout(r, 100));
      expect(start.output.out).toContain(`MaxConf is running at http://127.0.0.1:${port}`);

      const demo = run(DEMO, env);
      const code = await demo.exited;
      if (code !== 0) throw new Error(`demo exited ${code}\n${demo.output.out}\n${demo.output.err}`);
      const out = demo.output.out;
      expect(out).toMatch(/outcome completed; GET \/room\/\S+ now answers 404/);
      // the timeline shows the whole flow, in order
      const order = ['session_started', 'citizen_joined', 'dial_queue', 'queued', 'agent_connected', 'agent_video_joined', 'citizen_left', 'teardown'];
      const timeline = out.slice(out.indexOf('Timeline'));
      const positions = order.map((what) => timeline.indexOf(` ${what}`));
      expect(positions.every((p) => p > 0)).toBe(true);
      expect([...positions].sort((a, b) => a - b)).toEqual(positions);
      // PINs are what the demo must never print
      expect(out).not.toMatch(/\bpin\b.*\d{4}/i);
    } finally {
      start.child.kill('SIGTERM');
    }
    expect(await start.exited).toBe(0);
  }, 90_000);
});
