import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, freePort, ROOT } from './builtHost';

const START = join(ROOT, 'dist', 'local', 'start.js');

describe('npm start (dist/local/start.js)', () => {
  beforeAll(() => ensureBuilt([START]), 120_000);

  it('serves GET /health on the configured port with both simulators ready, then stops cleanly on SIGTERM', async () => {
    const port = await freePort();
    const env = { ...process.env, PORT: String(port), MAXCONF_DATA_DIR: mkdtempSync(join(tmpdir(), 'maxconf-start-')), LOG_LEVEL: 'warn', MAXCONF_ENV: 'local' };
    const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', START], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        let err = '';
        child.stdout.on('data', (chunk: Buffer) => {
          out += chunk.toString();
          const found = out.split('\n').find((l) => l.startsWith('MaxConf is running at'));
          if (found) resolve(found);
        });
        child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
        void exited.then((code) => reject(new Error(`start exited (${code}): ${err}`)));
      });
      expect(line).toContain(`http://127.0.0.1:${port}`);
      const response = await fetch(`http://127.0.0.1:${port}/health`);
      const body = (await response.json()) as { status: string; dependencies: Record<string, { ready: boolean }> };
      expect(body.status).toBe('alive');
      // both simulators started and MaxConf's production clients reach them
      expect(body.dependencies).toEqual({ pexip: { ready: true }, genesys: { ready: true } });
      expect(response.status).toBe(200);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  }, 60_000);
});
