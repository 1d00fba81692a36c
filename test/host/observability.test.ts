import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { EventType, formatHistory, type HistoryEvent } from '../../local/durable-host/history';
import { createLogger } from '../../src/logging/logger';
import { ensureBuilt, ROOT } from './builtHost';
import { startFixtureHost, webhooks } from './support';

const HISTORY_CLI = join(ROOT, 'dist', 'local', 'durable-host', 'historyCli.js');

/** What an operator sees of the local host: one log line per instance transition, and `npm run host:history`. */
describe('local durable host: transition log lines and the history dump', () => {
  beforeAll(() => ensureBuilt([HISTORY_CLI]), 120_000);

  it('logs started and completed for a good instance, failed with the error for a bad one; the CLI prints the history', async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger({ level: 'info', destination: { write: (s: string) => void lines.push(JSON.parse(s)) } });
    const host = await startFixtureHost({ logger });
    const api = webhooks(host);
    let dataDir: string;
    try {
      const good = await api.start('chain', ['a', 'b'], 'obs-good');
      const bad = await api.start('throws', undefined, 'obs-bad');
      await host.idle();
      expect((await api.status(good)).runtimeStatus).toBe('Completed');
      expect((await api.status(bad)).runtimeStatus).toBe('Failed');
      dataDir = host.dataDir;
    } finally {
      await host.stop();
    }

    const transitions = (id: string) => lines.filter((l) => l.instanceId === id && l.transition).map((l) => l.transition);
    expect(transitions('obs-good')).toEqual(['started', 'completed']);
    expect(transitions('obs-bad')).toEqual(['started', 'failed']);
    const failed = lines.find((l) => l.instanceId === 'obs-bad' && l.transition === 'failed')!;
    expect(failed).toMatchObject({ level: 'error', orchestration: 'throws' });
    expect(String(failed.error)).toContain('boom in orchestrator');

    const cli = spawnSync(process.execPath, ['--disable-warning=ExperimentalWarning', HISTORY_CLI, 'obs-good', '--data-dir', dataDir], { encoding: 'utf8' });
    expect(cli.status).toBe(0);
    expect(cli.stdout).toMatch(/^obs-good\s+chain\s+Completed\s+created \d{4}-/);
    expect(cli.stdout).toContain('output: "A B"');
    expect(cli.stdout.match(/TaskScheduled\s+id=\d+ played Name=upper/g)).toHaveLength(2);
    expect(cli.stdout).toMatch(/ExecutionCompleted/);

    const missing = spawnSync(process.execPath, ['--disable-warning=ExperimentalWarning', HISTORY_CLI, 'no-such-instance', '--data-dir', dataDir], { encoding: 'utf8' });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain("no instance 'no-such-instance'");
  });
});

describe('the history dump', () => {
  it('shows activity inputs and results without the PINs and UUIs they carry', () => {
    const text = formatHistory([
      { EventType: EventType.TaskScheduled, EventId: 0, IsPlayed: true, Timestamp: '2026-12-01T08:00:00.000Z', Name: 'pexipTagRoom', Input: JSON.stringify({ name: 'mc-1', uuiData: '6964;encoding=hex' }) },
      {
        EventType: EventType.TaskCompleted,
        EventId: -1,
        IsPlayed: true,
        Timestamp: '2026-12-01T08:00:01.000Z',
        TaskScheduledId: 0,
        Result: JSON.stringify({ room: { name: 'mc-1', pin: '918273', guest_pin: '4821', aliases: [{ alias: 'mc-1' }] } }),
      },
    ] as HistoryEvent[]);
    expect(text).not.toMatch(/918273|4821|6964;encoding=hex/);
    expect(text).toContain('"name":"mc-1"');
    expect(text).toContain('"guest_pin":"[redacted]"');
  });
});
