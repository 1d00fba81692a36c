import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureBuilt, ROOT } from './builtHost';

const SERVE = join(ROOT, 'dist', 'local', 'durable-host', 'serve.js');
const APP = join(ROOT, 'dist', 'bench', 'fixtures', 'waitingApp.js');
const INSTANCES = 200;
const WAIT_MS = 2500;

function startHostProcess(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', SERVE, '--entry', APP, '--data-dir', dataDir, '--port', '0'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    let errors = '';
    child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split('\n').find((l) => l.includes('"ready"'));
      if (line) resolve({ child, url: (JSON.parse(line) as { ready: string }).ready });
    });
    child.once('exit', (code) => reject(new Error(`host process exited (${code}): ${errors}`)));
  });
}

async function post(url: string, body: unknown): Promise<number> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  await response.arrayBuffer();
  return response.status;
}

describe('local durable host: crash recovery', () => {
  beforeAll(() => ensureBuilt([SERVE, APP]), 120_000);

  it(`continues all ${INSTANCES} waiting instances after SIGKILL and restart`, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'maxconf-crash-'));
    const first = await startHostProcess(dataDir);
    const hooks = (url: string) => `${url}/runtime/webhooks/durabletask`;
    const ids = Array.from({ length: INSTANCES }, (_, i) => `crash-${i}`);
    await Promise.all(ids.map((id, n) => post(`${hooks(first.url)}/orchestrators/timerAndEvent/${id}`, { n, waitMs: WAIT_MS })));
    // half the events before the crash, accepted (202) means durably stored
    const before = ids.slice(0, INSTANCES / 2);
    const statuses = await Promise.all(before.map((id) => post(`${hooks(first.url)}/instances/${id}/raiseEvent/add`, 1000)));
    expect(statuses.every((s) => s === 202)).toBe(true);
    // kill while the host is busy taking those events in
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));

    const second = await startHostProcess(dataDir);
    try {
      const after = ids.slice(INSTANCES / 2);
      await Promise.all(after.map((id) => post(`${hooks(second.url)}/instances/${id}/raiseEvent/add`, 1000)));
      const deadline = Date.now() + 60_000;
      let results: { instanceId: string; runtimeStatus: string; output: unknown }[] = [];
      while (Date.now() < deadline) {
        const response = await fetch(`${hooks(second.url)}/instances/?top=1000&instanceIdPrefix=crash-`);
        results = (await response.json()) as typeof results;
        if (results.length === INSTANCES && results.every((r) => r.runtimeStatus === 'Completed')) break;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      const byId = new Map(results.map((r) => [r.instanceId, r]));
      ids.forEach((id, n) => expect(byId.get(id)).toMatchObject({ runtimeStatus: 'Completed', output: n * 2 + 1000 }));
      // each event taken once and one activity result per instance, crash or not
      for (const id of [...ids.slice(0, 10), ...ids.slice(-10)]) {
        const response = await fetch(`${hooks(second.url)}/instances/${id}?showHistory=true`);
        const { historyEvents } = (await response.json()) as { historyEvents: { EventType: string }[] };
        const count = (type: string) => historyEvents.filter((e) => e.EventType === type).length;
        // the cleaned history merges a completed task's TaskScheduled into its TaskCompleted: a
        // TaskScheduled left over would be an activity scheduled twice
        expect([count('EventRaised'), count('TaskScheduled'), count('TaskCompleted'), count('TimerFired')]).toEqual([1, 0, 1, 1]);
      }
    } finally {
      second.child.kill('SIGTERM');
      await new Promise((resolve) => second.child.once('exit', resolve));
    }
  }, 120_000);
});
