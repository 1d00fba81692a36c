import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { locateDemoTarget } from '../../local/cli/demoTarget';
import type { RoomInspection } from '../../local/pexip-simulator';
import { mintDevToken, ROLES } from '../../src/adapters/auth';
import { encodeUui } from '../../src/domain/uui';
import { ensureBuilt, freePort, ROOT } from '../host/builtHost';

/**
 * One `npm start` (the built dist/local/start.js with the Customer App and the Agent App it
 * serves) for the Customer App's whole-call test: IDIM creates a room and gets the join link,
 * support reads the session, the room is read as the Pexip simulator reports it. The queue is
 * open all day (CUSTOMER_APP_HOURS=always), so the test runs outside office hours too.
 */
export interface CustomerCallStack {
  maxconfUrl: string;
  customerAppUrl: string;
  agents: { id: string; name: string; desktop: string }[];
  createRoom(): Promise<{ name: string; joinUrl: string }>;
  session(id: string): Promise<{ phase: string; outcome: string | null; dialAttempts: number; queue: { position?: number } | null } | undefined>;
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

export async function startCustomerCallStack(env: Record<string, string> = {}): Promise<CustomerCallStack> {
  ensureBuilt([START]);
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'maxconf-customerapp-'));
  // the join link's base is the Customer App npm start serves
  const { CUSTOMER_APP_URL: _ignored, ...inherited } = process.env;
  const childEnv = { ...inherited, PORT: String(port), MAXCONF_DATA_DIR: dataDir, LOG_LEVEL: 'warn', MAXCONF_ENV: 'local', CUSTOMER_APP_HOURS: 'always', ...env };
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', START], { cwd: ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const fail = (error: unknown): never => {
    child.kill('SIGTERM');
    throw error;
  };
  const lines = await waitForLine(child, 'MaxConf is running at', 60_000).catch(fail);
  const customerAppUrl = /^Customer App at (\S+?)\/? /.exec(lines.find((l) => l.startsWith('Customer App at')) ?? '')?.[1];
  if (!customerAppUrl) fail(new Error(`npm start did not serve the Customer App: ${lines.join(' | ')}`));
  const maxconfUrl = `http://127.0.0.1:${port}`;
  const vendors = JSON.parse(readFileSync(join(dataDir, 'vendors.json'), 'utf8')) as { env: Record<string, string> };
  const target = await locateDemoTarget({ url: maxconfUrl, dataDirs: [dataDir], auth: { issuer: 'maxconf-local-dev', audience: 'api://maxconf-local' } }).catch(fail);
  const support = await mintDevToken({ dataDir, issuer: 'maxconf-local-dev', audience: 'api://maxconf-local', roles: [ROLES.support] });
  const genesysFile = JSON.parse(readFileSync(join(dataDir, 'genesys-simulator.json'), 'utf8')) as { agents: CustomerCallStack['agents'] };
  const basic = `Basic ${Buffer.from(`${vendors.env.PEXIP_USERNAME}:${vendors.env.PEXIP_PASSWORD}`).toString('base64')}`;
  return {
    maxconfUrl,
    customerAppUrl: customerAppUrl!,
    agents: genesysFile.agents,
    async createRoom() {
      const res = await fetch(`${maxconfUrl}/room/create?uuiData=${encodeUui('idtest', `cust${Date.now().toString(36)}`)}`, { method: 'POST', headers: { authorization: `Bearer ${target.idimToken}` } });
      if (res.status !== 200) throw new Error(`POST /room/create answered ${res.status}: ${await res.text()}`);
      const body = (await res.json()) as { name: string; join_url?: string };
      if (!body.join_url) throw new Error('POST /room/create answered no join_url');
      return { name: body.name, joinUrl: body.join_url };
    },
    async session(id) {
      const res = await fetch(`${maxconfUrl}/sessions/${encodeURIComponent(id)}`, { headers: { authorization: `Bearer ${support}` } });
      return res.status === 200 ? ((await res.json()) as Awaited<ReturnType<CustomerCallStack['session']>>) : undefined;
    },
    async room(alias) {
      const res = await fetch(`${target.pexipUrl}/_sim/rooms/${encodeURIComponent(alias)}`, { headers: { authorization: basic } });
      return res.status === 200 ? ((await res.json()) as RoomInspection) : undefined;
    },
    genesys: (path, body) => fetch(`${target.genesysUrl}${path}`, { method: body === undefined ? 'GET' : 'POST', headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }),
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
