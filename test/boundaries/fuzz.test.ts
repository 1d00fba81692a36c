import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatReport, runFuzz, type FuzzReport } from '../../local/cli/fuzzRun';
import { mintDevToken, ROLES } from '../../src/adapters/auth';
import { ensureBuilt, freePort, ROOT } from '../host/builtHost';

/**
 * The fuzz's fixed-seed slice: `npm start` as a child process (its own log lines on stdout, read
 * here), two sentinel sessions, then generated bad requests over every route of /openapi.json.
 * `npm run fuzz` runs the same against a running host, longer and with any seed.
 */
const START = join(ROOT, 'dist', 'local', 'start.js');
const SEED = 1312;
const RUNS = 800;
const SINK = { username: 'pexip', password: 'fuzz-sink-password-9f2c' };
const API_KEY = 'fuzz-genesys-events-key-51d7';

describe('the fuzz of every route (fixed seed)', () => {
  let child: ChildProcessWithoutNullStreams | undefined;
  const lines: string[] = [];
  let report: FuzzReport;

  beforeAll(async () => {
    ensureBuilt([START]);
    const port = await freePort();
    const dataDir = mkdtempSync(join(tmpdir(), 'maxconf-fuzz-'));
    const env = {
      ...process.env,
      PORT: String(port),
      MAXCONF_DATA_DIR: dataDir,
      MAXCONF_ENV: 'local',
      // every line the app writes, so a leak at any level is seen
      LOG_LEVEL: 'debug',
      PEXIP_EVENT_SINK_USERNAME: SINK.username,
      PEXIP_EVENT_SINK_PASSWORD: SINK.password,
      GENESYS_EVENTS_API_KEY: API_KEY,
    };
    child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', START], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let partial = '';
    const url = await new Promise<string>((resolve, reject) => {
      child!.stdout.on('data', (chunk: Buffer) => {
        const parts = (partial + chunk.toString()).split('\n');
        partial = parts.pop() ?? '';
        for (const line of parts) {
          lines.push(line);
          const m = /^MaxConf is running at (\S+)/.exec(line);
          if (m) resolve(m[1]!);
        }
      });
      child!.stderr.on('data', (chunk: Buffer) => lines.push(chunk.toString()));
      child!.once('exit', (code) => reject(new Error(`npm start exited (${code}): ${lines.slice(-5).join('\n')}`)));
    });
    const token = (roles: string[]) => mintDevToken({ dataDir, issuer: 'maxconf-local-dev', audience: 'api://maxconf-local', roles });
    report = await runFuzz({
      url,
      runs: RUNS,
      seed: SEED,
      credentials: { idim: await token([ROLES.idim]), support: await token([ROLES.support]), sink: SINK, genesysApiKey: API_KEY },
      logLines: async () => {
        // let the host write what it is still writing
        await new Promise((r) => setTimeout(r, 300));
        return [...lines, partial];
      },
    });
  }, 170_000);

  afterAll(async () => {
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  });

  it('reaches every documented route with the generated requests', () => {
    expect(report.routes).toBeGreaterThanOrEqual(15);
    expect(report.requests).toBe(RUNS);
  });

  it('answers no request with a 5xx, every 4xx with problem+json, every 400 naming its field', () => {
    if (report.failures.length) process.stderr.write(`${formatReport(report)}\n`);
    expect(report.failures.slice(0, 10)).toEqual([]);
    // malformed percent-encoding, answered by the host's router, passes the same checks
    expect(report.hostRouterOnly.slice(0, 10)).toEqual([]);
  });

  it('leaves the sentinel sessions and their rooms exactly as they were', () => {
    expect(report.sentinelChanges).toEqual([]);
  });

  it("writes no log line holding a sentinel's PIN or UUI, a bearer token, the sink password or the events API key", () => {
    expect(report.logChecked).toBe(true);
    expect(lines.length).toBeGreaterThan(20);
    expect(report.leakedLines.slice(0, 5)).toEqual([]);
  });
});
