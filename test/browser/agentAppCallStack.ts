import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { CITIZEN_PAGE } from '../../local/browser/citizenPage';
import { locateDemoTarget, type DemoTarget } from '../../local/cli/demoTarget';
import type { RoomInspection } from '../../local/pexip-simulator';
import { encodeUui } from '../../src/domain/uui';
import { ensureBuilt, freePort, ROOT } from '../host/builtHost';

/**
 * One `npm start` (the built dist/local/start.js: MaxConf, the vendors process, the Agent App it
 * serves) for a whole browser test file, and the parties around the agent: IDIM over MaxConf's
 * API, the citizen as a Chromium page joining the Pexip simulator with its fake camera, the room
 * as the simulator reports it.
 */
export interface CallStack {
  maxconfUrl: string;
  pexipUrl: string;
  genesysUrl: string;
  agentAppUrl: string;
  agents: { id: string; name: string; desktop: string }[];
  citizenPageUrl: string;
  /** what `npm run demo` finds for this `npm start` */
  target: DemoTarget;
  createRoom(): Promise<{ name: string; guestPin: string }>;
  room(alias: string): Promise<RoomInspection | undefined>;
  genesys(path: string, body?: unknown): Promise<Response>;
  stop(): Promise<void>;
}

const START = join(ROOT, 'dist', 'local', 'start.js');


function waitForLine(child: ChildProcess, prefix: string, timeoutMs: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`npm start printed no "${prefix}" in ${timeoutMs / 1000} s: ${err}`)), timeoutMs);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.split('\n').some((l) => l.startsWith(prefix))) {
        clearTimeout(timer);
        resolve(out.split('\n'));
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`npm start exited (${code}): ${err}`)));
  });
}

export async function startCallStack(): Promise<CallStack> {
  ensureBuilt([START]);
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'maxconf-agentapp-'));
  const env = { ...process.env, PORT: String(port), MAXCONF_DATA_DIR: dataDir, LOG_LEVEL: 'warn', MAXCONF_ENV: 'local' };
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', START], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const lines = await waitForLine(child, 'MaxConf is running at', 60_000).catch((error: unknown) => {
    child.kill('SIGTERM');
    throw error;
  });
  const agentAppUrl = /^Agent App at (\S+?)\/? /.exec(lines.find((l) => l.startsWith('Agent App at')) ?? '')?.[1];
  if (!agentAppUrl) child.kill('SIGTERM');
  if (!agentAppUrl) throw new Error(`npm start did not serve the Agent App: ${lines.join(' | ')}`);
  const maxconfUrl = `http://127.0.0.1:${port}`;
  const vendors = JSON.parse(readFileSync(join(dataDir, 'vendors.json'), 'utf8')) as { env: Record<string, string> };
  // the local profile's dev issuer (src/config: AUTH_ISSUER / AUTH_AUDIENCE unset)
  const target = await locateDemoTarget({ url: maxconfUrl, dataDirs: [dataDir], auth: { issuer: 'maxconf-local-dev', audience: 'api://maxconf-local' } }).catch((error: unknown) => {
    child.kill('SIGTERM');
    throw error;
  });
  const genesysFile = JSON.parse(readFileSync(join(dataDir, 'genesys-simulator.json'), 'utf8')) as { agents: CallStack['agents'] };
  const basic = `Basic ${Buffer.from(`${vendors.env.PEXIP_USERNAME}:${vendors.env.PEXIP_PASSWORD}`).toString('base64')}`;
  const citizenServer: Server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(CITIZEN_PAGE));
  await new Promise<void>((r) => citizenServer.listen(0, '127.0.0.1', r));
  return {
    maxconfUrl,
    pexipUrl: target.pexipUrl,
    genesysUrl: target.genesysUrl,
    agentAppUrl,
    agents: genesysFile.agents,
    target,
    // localhost, not 127.0.0.1: the citizen's page is cross-origin to the node, as the BCSC app is
    citizenPageUrl: `http://localhost:${(citizenServer.address() as AddressInfo).port}/`,
    async createRoom() {
      const res = await fetch(`${maxconfUrl}/room/create?uuiData=${encodeUui('idtest', `app${Date.now().toString(36)}`)}`, { method: 'POST', headers: { authorization: `Bearer ${target.idimToken}` } });
      if (res.status !== 200) throw new Error(`POST /room/create answered ${res.status}: ${await res.text()}`);
      const body = (await res.json()) as { name: string; guest_pin: string };
      return { name: body.name, guestPin: body.guest_pin };
    },
    async room(alias) {
      const res = await fetch(`${target.pexipUrl}/_sim/rooms/${encodeURIComponent(alias)}`, { headers: { authorization: basic } });
      return res.status === 200 ? ((await res.json()) as RoomInspection) : undefined;
    },
    genesys: (path, body) => fetch(`${target.genesysUrl}${path}`, { method: body === undefined ? 'GET' : 'POST', headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }),
    async stop() {
      await new Promise((r) => citizenServer.close(r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Polls until `check` answers a value (not undefined/false), or fails saying what it waited for. */
export async function until<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}${last ? ` (${String(last)})` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The agent's widget inside the desktop page. */
export function widget(desktop: Page) {
  return desktop.frameLocator('iframe[title="Interaction widget"]');
}
