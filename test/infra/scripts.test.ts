/**
 * The deploy scripts the workflows call, run for real against small local HTTP servers that
 * answer like the Durable Functions HTTP API and a MaxConf slot.
 */
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { ROOT } from './helpers';

type Handler = (req: IncomingMessage, res: ServerResponse, url: URL) => void;

async function serve(handler: Handler): Promise<{ url: string; server: Server; requests: URL[] }> {
  const requests: URL[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(url);
    handler(req, res, url);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, requests };
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

function runScript(script: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'scripts/deploy', script), ...args], { env: { ...process.env, GITHUB_ACTIONS: '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const ENTITY = { name: 'roomPool', instanceId: '@roompool@main', runtimeStatus: 'Running' };
const CALL = { name: 'callSession', instanceId: 'mc-abc123', runtimeStatus: 'Running', createdTime: '2026-11-25T06:00:00Z' };

describe('drain-gate.js', () => {
  let stub: Awaited<ReturnType<typeof serve>> | undefined;
  afterEach(() => stub?.server.close());

  it('passes when only entities are running, asking for Running and Pending with the system key', async () => {
    stub = await serve((_req, res) => json(res, 200, [ENTITY]));
    const r = await runScript('drain-gate.js', ['--base-url', stub.url, '--system-key-env', 'DURABLE_KEY', '--timeout', '0'], { DURABLE_KEY: 'k-123' });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const asked = stub.requests[0]!;
    expect(asked.pathname).toBe('/runtime/webhooks/durabletask/instances');
    expect(asked.searchParams.get('runtimeStatus')).toBe('Running,Pending');
    expect(asked.searchParams.get('code')).toBe('k-123');
    expect(r.stdout).not.toContain('k-123');
  });

  it('refuses (exit 1) while a call session is in flight and names it', async () => {
    stub = await serve((_req, res) => json(res, 200, [ENTITY, CALL]));
    const r = await runScript('drain-gate.js', ['--base-url', stub.url, '--timeout', '0']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('callSession mc-abc123 Running');
    expect(r.stderr).toContain('not swapping');
  });

  it('waits for the session to finish, then passes', async () => {
    let calls = 0;
    stub = await serve((_req, res) => json(res, 200, ++calls < 3 ? [CALL] : []));
    const r = await runScript('drain-gate.js', ['--base-url', stub.url, '--timeout', '10', '--interval', '0.05']);
    expect(r.code).toBe(0);
    expect(calls).toBe(3);
  });

  it('follows continuation tokens: a session on the second page still blocks', async () => {
    stub = await serve((req, res) =>
      req.headers['x-ms-continuation-token'] === 'page2' ? json(res, 200, [CALL]) : json(res, 200, [ENTITY], { 'x-ms-continuation-token': 'page2' }),
    );
    const r = await runScript('drain-gate.js', ['--base-url', stub.url, '--timeout', '0']);
    expect(r.code).toBe(1);
  });

  it('ignores orchestrations named with --ignore-name', async () => {
    stub = await serve((_req, res) => json(res, 200, [{ ...CALL, name: 'poolKeeper' }]));
    const r = await runScript('drain-gate.js', ['--base-url', stub.url, '--timeout', '0', '--ignore-name', 'poolKeeper']);
    expect(r.code).toBe(0);
  });

  it('fails closed (exit 2) when the slot cannot be asked', async () => {
    stub = await serve((_req, res) => json(res, 500, { error: 'boom' }));
    const r = await runScript('drain-gate.js', ['--base-url', stub.url, '--timeout', '0']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('HTTP 500');
  });
});

describe('smoke-check.js', () => {
  let stub: Awaited<ReturnType<typeof serve>> | undefined;
  afterEach(() => stub?.server.close());

  const slot = (authEnforced: boolean): Handler => (req, res, url) => {
    if (url.pathname === '/health') return json(res, 200, { status: 'alive', timestamp: new Date().toISOString() });
    if (url.pathname === '/sessions') {
      const ok = req.headers.authorization === 'Bearer t-1';
      return json(res, ok || !authEnforced ? 200 : 401, ok || !authEnforced ? [] : { type: 'unauthorized' });
    }
    return json(res, 404, {});
  };

  it('passes on a healthy slot that enforces auth and accepts the token', async () => {
    stub = await serve(slot(true));
    const r = await runScript('smoke-check.js', ['--base-url', stub.url, '--token-env', 'SMOKE_TOKEN', '--attempts', '1'], { SMOKE_TOKEN: 't-1' });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(stub.requests.map((u) => u.pathname)).toEqual(['/health', '/sessions', '/sessions']);
  });

  it('fails on a slot that answers the no-op without a token', async () => {
    stub = await serve(slot(false));
    const r = await runScript('smoke-check.js', ['--base-url', stub.url, '--token-env', 'SMOKE_TOKEN', '--attempts', '1'], { SMOKE_TOKEN: 't-1' });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('expected 401');
  });

  it('fails when /health is not alive', async () => {
    stub = await serve((_req, res) => json(res, 503, { status: 'starting' }));
    const r = await runScript('smoke-check.js', ['--base-url', stub.url, '--health-only', '--attempts', '2', '--interval', '0.05']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('not alive after 2 attempts');
  });
});
