import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { environmentSnapshot } from '../../src/config';
import { vendorsFilePath, readVendorsFile } from '../vendorsFile';
import { locateDemoTarget } from './demoTarget';

/**
 * What the load and chaos commands drive: a MaxConf and its simulators, either started here
 * (the vendors process and the host as two processes, the host attached to the vendors, so a
 * SIGKILLed host leaves rooms and conversations alive) or a running `npm start` (`--url`).
 */
export interface LoadStack {
  url: string;
  dataDir: string;
  pexipUrl: string;
  /** Basic credentials of the Pexip simulator's management API */
  pexipAuth: string;
  genesysUrl: string;
  idimToken: string;
  supportToken: string;
  /** only for a stack started here: SIGKILL the host, then start it again attached to the same vendors */
  killAndRestartHost?(): Promise<void>;
  stop(): Promise<void>;
}

export interface StartStackOptions {
  port: number;
  productionLike: boolean;
  /** PEXIP_SIM_* knobs and MaxConf settings (ROOM_POOL_SIZE, …) for both processes */
  env: Record<string, string>;
  /** the dev issuer MaxConf trusts (from its config) */
  auth: { issuer: string; audience: string };
  write(line: string): void;
}

const ROOT = join(__dirname, '..', '..', '..');
const VENDORS = join(ROOT, 'dist', 'local', 'vendors.js');
const START = join(ROOT, 'dist', 'local', 'start.js');

interface Spawned {
  child: ChildProcess;
  exited: Promise<number | null>;
  output(): string;
}

/** Spawns a built entry on this Node and resolves once a stdout line starts with `ready`. */
function spawnUntil(entry: string, args: string[], env: NodeJS.ProcessEnv, ready: string, timeoutMs: number): Promise<Spawned> {
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', entry, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let out = '';
  // keep only the tail: a long run's warnings must not grow without bound
  const keep = (c: Buffer) => (out = `${out}${c.toString()}`.slice(-20_000));
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const spawned = { child, exited, output: () => out };
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + timeoutMs;
    const timer = setInterval(() => {
      if (out.split('\n').some((l) => l.startsWith(ready))) {
        clearInterval(timer);
        resolve(spawned);
      } else if (Date.now() > deadline) {
        clearInterval(timer);
        child.kill('SIGKILL');
        reject(new Error(`${entry} did not print "${ready}" within ${timeoutMs / 1000} s: ${out}`));
      }
    }, 50);
    void exited.then((code) => {
      clearInterval(timer);
      reject(new Error(`${entry} exited (${code}) before "${ready}": ${out}`));
    });
  });
}

function basic(env: Record<string, string>): string {
  return `Basic ${Buffer.from(`${env.PEXIP_USERNAME ?? ''}:${env.PEXIP_PASSWORD ?? ''}`).toString('base64')}`;
}

/** Starts the vendors process and a host attached to it, in a fresh data directory. */
export async function startStack(o: StartStackOptions): Promise<LoadStack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'maxconf-load-'));
  const env: NodeJS.ProcessEnv = { ...environmentSnapshot(), LOG_LEVEL: 'error', MAXCONF_ENV: 'local', ...o.env, PORT: String(o.port), MAXCONF_DATA_DIR: dataDir };
  const vendors = await spawnUntil(VENDORS, o.productionLike ? ['--production-like'] : [], env, 'MaxConf vendors are running', 60_000);
  const startHost = () => spawnUntil(START, ['--attach-vendors'], env, 'MaxConf is running at', 120_000);
  let host: Spawned;
  let restarting: Promise<void> | undefined;
  try {
    host = await startHost();
  } catch (error) {
    vendors.child.kill('SIGTERM');
    throw error;
  }
  const target = await locateDemoTarget({ url: `http://127.0.0.1:${o.port}`, dataDirs: [dataDir], auth: o.auth });
  const settings = readVendorsFile(vendorsFilePath(dataDir));
  return {
    ...target,
    pexipAuth: basic(settings.env),
    killAndRestartHost() {
      restarting = (async () => {
        host.child.kill('SIGKILL');
        await host.exited;
        const started = Date.now();
        host = await startHost();
        o.write(`   host SIGKILLed and restarted (attached) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      })();
      return restarting;
    },
    async stop() {
      await restarting?.catch(() => undefined);
      host.child.kill('SIGTERM');
      await host.exited;
      vendors.child.kill('SIGTERM');
      await vendors.exited;
    },
  };
}

/** A running MaxConf (`npm start`) and the simulators its data directory names. */
export async function attachStack(url: string, dataDirs: string[], auth: { issuer: string; audience: string }): Promise<LoadStack> {
  const target = await locateDemoTarget({ url, dataDirs, auth });
  const settings = readVendorsFile(vendorsFilePath(target.dataDir));
  return { ...target, pexipAuth: basic(settings.env), stop: async () => undefined };
}
