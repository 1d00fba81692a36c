import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, freePort, ROOT } from '../host/builtHost';

const START = join(ROOT, 'dist', 'local', 'start.js');
const VENDORS = join(ROOT, 'dist', 'local', 'vendors.js');

interface Running {
  child: ChildProcess;
  exited: Promise<number | null>;
  output(): string;
}

/** Spawns a built entry and resolves once a stdout line starts with `ready`. */
function run(entry: string, args: string[], env: NodeJS.ProcessEnv, ready: string): Promise<Running> {
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', entry, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const running = { child, exited, output: () => `${out}${err}` };
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      if (out.split('\n').some((l) => l.startsWith(ready))) {
        clearInterval(timer);
        resolve(running);
      }
    }, 20);
    void exited.then((code) => {
      clearInterval(timer);
      reject(new Error(`${entry} exited (${code}) before "${ready}": ${out}${err}`));
    });
  });
}

async function health(port: number): Promise<unknown> {
  const res = await fetch(`http://127.0.0.1:${port}/health`);
  return ((await res.json()) as { dependencies: unknown }).dependencies;
}

describe('the vendors process', () => {
  beforeAll(() => ensureBuilt([START, VENDORS]), 120_000);

  async function environment() {
    const port = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), 'maxconf-vendors-'));
    return { port, dataDir, env: { ...process.env, PORT: String(port), MAXCONF_DATA_DIR: dataDir, LOG_LEVEL: 'warn', MAXCONF_ENV: 'local' } };
  }

  it('outlives a SIGKILLed host: the rooms stay, and a restarted host attaches to the same simulators', async () => {
    const { dataDir, env } = await environment();
    const vendors = await run(VENDORS, [], { ...env, PEXIP_SIM_PROPAGATION_MS: '0' }, 'MaxConf vendors are running');
    // the host's port is picked once the vendors' servers (simulators, Azurite) hold theirs: picked
    // before, one of their free ports could be the very one the host then finds taken
    const port = await freePort();
    env.PORT = String(port);
    const file = join(dataDir, 'vendors.json');
    try {
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const settings = JSON.parse(readFileSync(file, 'utf8')) as { pid: number; env: Record<string, string> };
      expect(settings.pid).toBe(vendors.child.pid);
      const pexip = settings.env.PEXIP_MANAGEMENT_URL!;
      const auth = `Basic ${Buffer.from(`${settings.env.PEXIP_USERNAME}:${settings.env.PEXIP_PASSWORD}`).toString('base64')}`;
      const made = await fetch(`${pexip}/api/admin/configuration/v1/conference/`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'mcvendors-kept', pin: '918273', guest_pin: '4821', allow_guests: true }) });
      expect(made.status).toBe(201);

      const host = await run(START, ['--vendors-file', file], env, 'MaxConf is running at');
      expect(await health(port)).toEqual({ pexip: { ready: true }, genesys: { ready: true } });
      host.child.kill('SIGKILL');
      await host.exited;

      // the vendors did not notice: the room is still there
      expect(vendors.child.exitCode).toBeNull();
      const rooms = (await (await fetch(`${pexip}/api/admin/configuration/v1/conference/?name=mcvendors-kept`, { headers: { authorization: auth } })).json()) as { objects: unknown[] };
      expect(rooms.objects).toHaveLength(1);

      const again = await run(START, ['--attach-vendors'], env, 'MaxConf is running at');
      expect(await health(port)).toEqual({ pexip: { ready: true }, genesys: { ready: true } });
      again.child.kill('SIGTERM');
      expect(await again.exited).toBe(0);
      // an attached host leaves its vendors running when it stops
      expect(vendors.child.exitCode).toBeNull();
    } finally {
      vendors.child.kill('SIGTERM');
    }
    expect(await vendors.exited).toBe(0);
  }, 90_000);

  it('npm start fails clearly when its vendors child dies, and refuses to attach to a vendors process that is gone', async () => {
    const { dataDir, env } = await environment();
    const start = await run(START, [], env, 'MaxConf is running at');
    const settings = JSON.parse(readFileSync(join(dataDir, 'vendors.json'), 'utf8')) as { pid: number };
    process.kill(settings.pid, 'SIGKILL');
    expect(await start.exited).toBe(1);
    expect(start.output()).toContain('MaxConf stopped: the vendors process exited (signal SIGKILL)');

    const attach = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', START, '--attach-vendors'], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    attach.stderr.on('data', (c: Buffer) => (err += c.toString()));
    expect(await new Promise((resolve) => attach.once('exit', resolve))).toBe(1);
    expect(err).toContain(`(pid ${settings.pid}) is not running`);
  }, 90_000);
});
