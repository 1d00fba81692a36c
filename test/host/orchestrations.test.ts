import { EventType, type HistoryEvent } from '../../local/durable-host';
import type { TestHost } from '../support/localHost';
import { startFixtureHost, webhooks } from './support';

const MINUTE = 60_000;
const DAY = 86_400_000;

function types(history: HistoryEvent[]): string[] {
  return history.map((e) => EventType[e.EventType]);
}

describe('local durable host: orchestration scenarios', () => {
  let host: TestHost;
  let api: ReturnType<typeof webhooks>;
  beforeAll(async () => {
    host = await startFixtureHost();
    api = webhooks(host);
  });
  afterAll(() => host.stop());

  it('runs an activity chain to completion', async () => {
    const id = await api.start('chain', ['a', 'b', 'c']);
    await host.idle();
    expect(await api.status(id)).toMatchObject({ runtimeStatus: 'Completed', output: 'A B C', input: ['a', 'b', 'c'], name: 'chain' });
    const scheduled = host.history(id).filter((e) => e.EventType === EventType.TaskScheduled);
    expect(scheduled.map((e) => [e.EventId, e.Name, e.Input])).toEqual([
      [0, 'upper', '"a"'],
      [1, 'upper', '"b"'],
      [2, 'upper', '"c"'],
    ]);
  });

  it('an event that beats the timer wins, and the timer is cancelled', async () => {
    const id = await api.start('raceEvent', { timeoutMs: 10 * MINUTE });
    await host.idle();
    expect((await api.status(id)).runtimeStatus).toBe('Running');
    await host.advance(MINUTE);
    expect((await api.raise(id, 'approve', { agent: 'a1' })).status).toBe(202);
    await host.idle();
    expect(await api.status(id)).toMatchObject({ runtimeStatus: 'Completed', output: { outcome: 'approved', by: { agent: 'a1' } } });
    const history = host.history(id);
    expect(types(history)).toContain('TimerCreated');
    expect(types(history)).not.toContain('TimerFired');
    // the cancelled timer never wakes the finished instance
    await host.advance(20 * MINUTE);
    expect(host.history(id)).toHaveLength(history.length);
  });

  it('a timer that fires first ends the race with the timeout outcome', async () => {
    const id = await api.start('raceEvent', { timeoutMs: 10 * MINUTE });
    await host.idle();
    await host.advance(10 * MINUTE - 1);
    expect((await api.status(id)).runtimeStatus).toBe('Running');
    await host.advance(1);
    expect(await api.status(id)).toMatchObject({ runtimeStatus: 'Completed', output: { outcome: 'timed_out' } });
    const fired = host.history(id).find((e) => e.EventType === EventType.TimerFired)!;
    const created = host.history(id).find((e) => e.EventType === EventType.TimerCreated)!;
    expect(fired).toMatchObject({ TimerId: created.EventId, FireAt: created.FireAt });
    // a late event for a finished instance is refused with 410
    expect((await api.raise(id, 'approve', 'late')).status).toBe(410);
  });

  it('keeps events raised before the orchestration waits, and delivers them in order', async () => {
    const id = await api.start('twoEvents');
    await api.raise(id, 'step', 'first');
    await api.raise(id, 'step', 'second');
    await host.idle();
    expect(await api.status(id)).toMatchObject({ runtimeStatus: 'Completed', output: ['first', 'second'], customStatus: { got: 1 } });
  });

  it('keeps an event raised while an earlier wait is pending for the next wait', async () => {
    const id = await api.start('twoEvents');
    await host.idle();
    await api.raise(id, 'step', 1);
    await host.idle();
    expect(await api.status(id)).toMatchObject({ runtimeStatus: 'Running', customStatus: { got: 1 } });
    await api.raise(id, 'step', 2);
    await host.idle();
    expect((await api.status(id)).output).toEqual([1, 2]);
  });

  it('retries a failing activity with hidden retry timers, as DTFx writes them', async () => {
    const id = await api.start('retrying', { key: 'r1', failures: 2, attempts: 3 });
    await host.idle();
    await host.advance(1000); // first retry after 1 s
    await host.advance(2000); // second after 2 s (backoff 2)
    expect(await api.status(id)).toMatchObject({ runtimeStatus: 'Completed', output: 'ok after 3' });
    const relevant = host
      .history(id)
      .filter((e) => [EventType.TaskScheduled, EventType.TaskFailed, EventType.TaskCompleted, EventType.TimerCreated, EventType.TimerFired].includes(e.EventType))
      .map((e) => `${EventType[e.EventType]} ${e.EventId === -1 ? (e.TaskScheduledId ?? e.TimerId) : e.EventId}`);
    expect(relevant).toEqual([
      'TaskScheduled 0',
      'TaskFailed 0',
      'TimerCreated 1',
      'TimerFired 1',
      'TaskScheduled 2',
      'TaskFailed 2',
      'TimerCreated 3',
      'TimerFired 3',
      'TaskScheduled 4',
      'TaskCompleted 4',
    ]);
    const timers = host.history(id).filter((e) => e.EventType === EventType.TimerCreated);
    const failedAt = host.history(id).filter((e) => e.EventType === EventType.TaskFailed).map((e) => Date.parse(e.Timestamp));
    expect(Date.parse(String(timers[0]!.FireAt)) - failedAt[0]!).toBe(1000);
    expect(Date.parse(String(timers[1]!.FireAt)) - failedAt[1]!).toBe(2000);
  });

  it('gives up after the last attempt (after a final, immediate retry timer)', async () => {
    const id = await api.start('retrying', { key: 'r2', failures: 5, attempts: 2 });
    await host.idle();
    await host.advance(1000);
    const status = await api.status(id);
    expect(status.runtimeStatus).toBe('Completed');
    expect((status.output as { gaveUp: string }).gaveUp).toContain("Activity function 'flaky' failed: flaky attempt 2 failed");
    const timers = host.history(id).filter((e) => e.EventType === EventType.TimerCreated);
    expect(timers).toHaveLength(2);
    expect(timers[1]!.FireAt).toBe(timers[1]!.Timestamp);
  });

  it('continues as new with fresh history until done', async () => {
    const id = await api.start('countdown', 3);
    await host.idle();
    expect((await api.status(id)).input).toBe(3);
    for (let i = 0; i < 3; i++) await host.advance(1000);
    expect((await api.status(id)).runtimeStatus).toBe('Running');
    await host.advance(1000);
    const status = await api.status(id);
    expect(status).toMatchObject({ runtimeStatus: 'Completed', output: 'liftoff', input: 0 });
    // only the last execution's history is kept
    expect(host.history(id).filter((e) => e.EventType === EventType.ExecutionStarted)).toHaveLength(1);
  });

  it('terminates a running instance and cancels its timers', async () => {
    const id = await api.start('raceEvent', { timeoutMs: 5 * MINUTE });
    await host.idle();
    expect((await api.terminate(id, 'support ended it')).status).toBe(202);
    await host.idle();
    expect(await api.status(id)).toMatchObject({ runtimeStatus: 'Terminated', output: 'support ended it' });
    const length = host.history(id).length;
    await host.advance(10 * MINUTE);
    expect(host.history(id)).toHaveLength(length);
    expect(types(host.history(id))).toContain('ExecutionTerminated');
    expect((await api.terminate(id, 'again')).status).toBe(410);
  });

  it('fails a nondeterministic orchestrator with the error kept', async () => {
    const id = await api.start('nondeterministic');
    await host.idle();
    const status = await api.status(id);
    expect(status.runtimeStatus).toBe('Failed');
    expect(String(status.output)).toMatch(/Non-Deterministic workflow detected.*sequence ID 0 and name 'upper'/);
  });

  it('fails an orchestrator that throws, keeping its error', async () => {
    const id = await api.start('throws');
    await host.idle();
    const status = await api.status(id);
    expect(status.runtimeStatus).toBe('Failed');
    expect(status.output).toBe("Orchestrator function 'throws' failed: boom in orchestrator");
    const last = host.history(id).at(-2)!;
    expect(last).toMatchObject({ EventType: EventType.ExecutionCompleted, OrchestrationStatus: 'Failed' });
  });

  it('splits a long timer into segments and fires at the final time', async () => {
    const id = await api.start('longTimer', { days: 7 });
    await host.idle();
    const startedAt = host.now().getTime();
    await host.advance(3 * DAY);
    expect((await api.status(id)).runtimeStatus).toBe('Running');
    await host.advance(4 * DAY - 1);
    expect((await api.status(id)).runtimeStatus).toBe('Running');
    await host.advance(1);
    expect(await api.status(id)).toMatchObject({ runtimeStatus: 'Completed', output: 'woke' });
    const created = host.history(id).filter((e) => e.EventType === EventType.TimerCreated);
    expect(created.map((e) => [e.EventId, Date.parse(String(e.FireAt)) - startedAt])).toEqual([
      [0, 3 * DAY],
      [1, 7 * DAY],
    ]);
  });

  it('stays Running after returning while an uncancelled timer is open', async () => {
    const id = await api.start('abandonsTimer');
    await host.idle();
    await api.raise(id, 'go');
    await host.idle();
    expect((await api.status(id)).runtimeStatus).toBe('Running');
    await host.advance(MINUTE);
    expect(await api.status(id)).toMatchObject({ runtimeStatus: 'Completed', output: 'done' });
  });

  it('runs sub-orchestrations and Task.all', async () => {
    const id = await api.start('parent', ['p', 'q']);
    await host.idle();
    expect(await api.status(id)).toMatchObject({ runtimeStatus: 'Completed', output: { child: 'P Q', all: ['X', 'Y'] } });
    const created = host.history(id).find((e) => e.EventType === EventType.SubOrchestrationInstanceCreated)!;
    expect(await api.status(String(created.InstanceId))).toMatchObject({ runtimeStatus: 'Completed', name: 'chain' });
  });

  it('stores histories in the reference shape: event ids, IsPlayed and Z timestamps', async () => {
    const id = await api.start('chain', ['z']);
    await host.idle();
    const history = host.history(id);
    expect(types(history)).toEqual([
      'OrchestratorStarted',
      'ExecutionStarted',
      'TaskScheduled',
      'OrchestratorCompleted',
      'OrchestratorStarted',
      'TaskCompleted',
      'ExecutionCompleted',
      'OrchestratorCompleted',
    ]);
    for (const e of history) {
      expect(e.Timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(e.IsPlayed).toBe(true);
      expect(e.EventId).toBe(e.EventType === EventType.TaskScheduled ? 0 : -1);
    }
    expect(history[5]).toMatchObject({ TaskScheduledId: 0, Result: '"Z"' });
    expect(host.historyText(id)).toMatch(/TaskScheduled\s+id=0 played Name=upper/);
  });
});
