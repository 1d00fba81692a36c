import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { environmentSnapshot } from '../src/config';
import type { VendorsReady } from './vendors';
import { processAlive, readVendorsFile } from './vendorsFile';

/** The vendor simulators as the host sees them: their settings, and whether the host owns their process. */
export interface VendorsHandle {
  env: Record<string, string>;
  /** stops the child vendors process; attached vendors are left running */
  stop(): Promise<void>;
  /** called once if an owned vendors process dies while the host still needs it */
  onUnexpectedExit(listener: (reason: string) => void): void;
}

const READY_TIMEOUT_MS = 60_000;

/** `npm start`: runs `vendors.js` as a child (with `extraEnv` added to its environment), waits for its settings over IPC. */
export function spawnVendors(extraEnv: Record<string, string> = {}): Promise<VendorsHandle> {
  const child = spawn(process.execPath, [...process.execArgv, join(__dirname, 'vendors.js'), ...process.argv.slice(2).filter((a) => a === '--production-like')], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: { ...environmentSnapshot(), ...extraEnv },
  });
  let stopping = false;
  let exitListener: ((reason: string) => void) | undefined;
  const exited = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(signal ? `signal ${signal}` : `code ${code}`)));
  return new Promise<VendorsHandle>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the vendors process did not report ready within ${READY_TIMEOUT_MS / 1000} s`));
    }, READY_TIMEOUT_MS);
    void exited.then((how) => {
      clearTimeout(timer);
      reject(new Error(`the vendors process exited (${how}) before it was ready`));
      if (!stopping) exitListener?.(`the vendors process exited (${how})`);
    });
    child.on('message', (message: VendorsReady) => {
      if (message?.type !== 'vendors-ready') return;
      clearTimeout(timer);
      resolve({
        env: message.env,
        onUnexpectedExit(listener) {
          exitListener = listener;
        },
        async stop() {
          stopping = true;
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          await exited;
        },
      });
    });
  });
}

/** `npm start -- --vendors-file <path>`: a vendors process started on its own (`npm run vendors`). */
export function attachVendors(file: string): VendorsHandle {
  const settings = readVendorsFile(file);
  if (!processAlive(settings.pid)) throw new Error(`the vendors process of ${file} (pid ${settings.pid}) is not running: start it with \`npm run vendors\``);
  return { env: settings.env, stop: async () => undefined, onUnexpectedExit: () => undefined };
}
