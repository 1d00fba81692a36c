import { ActionType, flatten, jsonOfProcessedInput, type OrchestratorState } from './actions';
import { hasOpenWork, type Book, type Changes } from './book';
import type { EngineContext } from './engineContext';
import { ActionScheduler } from './actionScheduler';
import { customStatusTooLarge } from './customStatus';
import { EpisodeEndings } from './endings';
import { event, EventType, type HistoryEvent } from './history';
import { errorMessage, fromTypedData, triggerBinding } from './invoke';
import { TERMINAL_STATUSES, type InboxMessage, type InstanceRow } from './store';

/** .NET TimeSpan text (`d.hh:mm:ss`), which DF parses with moment.duration. */
export function timeSpan(ms: number): string {
  const totalSeconds = Math.floor(ms / 1000);
  const days = Math.floor(totalSeconds / 86400);
  const h = Math.floor((totalSeconds % 86400) / 3600);
  const m = Math.floor((totalSeconds % 3600) / 60);
  const s = totalSeconds % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${days}.${pad(h)}:${pad(m)}:${pad(s)}`;
}

/**
 * Runs orchestration episodes as DTFx does: OrchestratorStarted, the due inbound events, the
 * orchestrator invoked through the library's own listener with past and new history, its
 * actions numbered and carried out, OrchestratorCompleted; one transaction per episode.
 */
export class EpisodeRunner {
  private readonly scheduler: ActionScheduler;
  private readonly endings: EpisodeEndings;

  constructor(private readonly ctx: EngineContext) {
    this.scheduler = new ActionScheduler(ctx);
    this.endings = new EpisodeEndings(ctx);
  }

  /** Runs one episode of an instance with the inbox messages that are due; false if none were. */
  async run(instanceId: string): Promise<boolean> {
    const { store, functions, clock } = this.ctx;
    const now = clock.now();
    const instance = store.instances.get(instanceId);
    const messages = store.inbox.due(instanceId, now);
    if (messages.length === 0) return false;
    if (!instance || TERMINAL_STATUSES.has(instance.status)) {
      // completions and events for a finished instance go nowhere, as in DTFx
      store.transaction(() => store.inbox.delete(messages.map((m) => m.id)));
      return true;
    }
    const stale = messages.filter((m) => m.executionId !== null && m.executionId !== instance.executionId);
    const current = messages.filter((m) => !stale.includes(m));
    const termination = current.find((m) => m.event.EventType === EventType.ExecutionTerminated);
    if (termination) {
      this.endings.terminateNow(instance, termination, now);
      return true;
    }

    const book = JSON.parse(instance.book) as Book;
    const past = store.history.events(instanceId);
    let candidates: InboxMessage[];
    if (past.length === 0) {
      const start = current.find((m) => m.event.EventType === EventType.ExecutionStarted);
      if (!start) {
        store.transaction(() => store.inbox.delete(stale.map((m) => m.id)));
        return stale.length > 0;
      }
      candidates = [start, ...current.filter((m) => m !== start)];
    } else {
      candidates = current.filter((m) => m.event.EventType !== EventType.ExecutionStarted);
    }
    const batch = this.scheduler.selectBatch(candidates, book, now);
    // a repeated start message for a running execution has nothing to start
    const repeatedStarts = past.length > 0 ? current.filter((m) => m.event.EventType === EventType.ExecutionStarted) : [];
    const consumed = [...stale, ...batch, ...repeatedStarts];

    const episodeStart = event(EventType.OrchestratorStarted, -1, now);
    const inbound: HistoryEvent[] = batch.map((m) => ({ ...m.event, IsPlayed: false }));
    const startedEvent = [...past, ...inbound].find((e) => e.EventType === EventType.ExecutionStarted);
    const fn = functions.orchestration(instance.name);
    const changes: Changes = { events: [episodeStart, ...inbound], inboundCount: 1 + inbound.length, work: [], logs: [] };
    const wasPending = instance.status === 'Pending' || instance.status === 'ContinuedAsNew';
    instance.status = 'Running';
    instance.updatedAt = now;

    if (!fn || !startedEvent) {
      this.endings.fail(instance, changes, `The function '${instance.name}' doesn't exist, is disabled, or is not an orchestrator function.`, now);
      this.endings.commit(instance, book, past.length, changes, consumed, wasPending);
      return true;
    }

    const { state, failure } = await this.invoke(instance, fn, past, episodeStart, inbound, startedEvent);

    // Reload: the instance may have been terminated or purged while the orchestrator ran.
    const latest = store.instances.get(instanceId);
    if (!latest || latest.executionId !== instance.executionId) return true;

    // the extension sets the status before it replays any action, and a status over the limit fails the orchestration
    const statusJson = state?.customStatus !== undefined ? JSON.stringify(state.customStatus) : undefined;
    const statusProblem = statusJson === undefined ? undefined : customStatusTooLarge(statusJson);
    if (statusProblem) {
      this.endings.fail(instance, changes, `Orchestrator function '${instance.name}' failed: ${statusProblem}`, now);
      this.endings.commit(instance, book, past.length, changes, consumed, wasPending);
      return true;
    }
    if (statusJson !== undefined) instance.customStatus = statusJson;
    if (failure !== undefined || !state) {
      this.endings.fail(instance, changes, `Orchestrator function '${instance.name}' failed: ${failure ?? 'no result'}`, now);
      this.endings.commit(instance, book, past.length, changes, consumed, wasPending);
      return true;
    }

    for (const m of batch) this.scheduler.applyInbound(instance, book, m.event, changes, now);

    const problem = this.scheduler.applyActions(instance, book, state, changes, now);
    if (problem) {
      this.endings.fail(instance, changes, `Orchestrator function '${instance.name}' failed: ${problem}`, now);
    } else if (state.isDone) {
      const continueAsNew = flatten(state.actions).find((a) => a.actionType === ActionType.ContinueAsNew);
      if (continueAsNew) {
        this.endings.continueAsNew(instance, changes, consumed, jsonOfProcessedInput(continueAsNew.input), now);
        return true;
      }
      if (!hasOpenWork(book)) this.endings.complete(instance, changes, JSON.stringify(state.output ?? null), now);
    }
    this.endings.commit(instance, book, past.length, changes, consumed, wasPending);
    return true;
  }

  /** The orchestrator's state for this episode, or the failure it reported. */
  private async invoke(
    instance: InstanceRow,
    fn: NonNullable<ReturnType<EngineContext['functions']['orchestration']>>,
    past: HistoryEvent[],
    episodeStart: HistoryEvent,
    inbound: HistoryEvent[],
    startedEvent: HistoryEvent,
  ): Promise<{ state?: OrchestratorState; failure?: string }> {
    const { options, invoker } = this.ctx;
    try {
      const [bindingName] = triggerBinding(fn);
      const trigger = {
        history: [...past.map((e) => ({ ...e, IsPlayed: true })), episodeStart, ...inbound],
        input: startedEvent.Input === null || startedEvent.Input === undefined ? null : JSON.parse(startedEvent.Input as string),
        instanceId: instance.instanceId,
        isReplaying: past.length > 0,
        parentInstanceId: instance.parentInstanceId ?? undefined,
        upperSchemaVersion: 2,
        upperSchemaVersionNew: 3,
        longRunningTimerIntervalDuration: timeSpan(options.longRunningTimerIntervalMs),
        maximumShortTimerDuration: timeSpan(options.maximumShortTimerMs),
        defaultHttpAsyncRequestSleepTimeMillseconds: 30000,
      };
      const result = await invoker.invoke(fn, [{ name: bindingName, data: { string: JSON.stringify(trigger) } }]);
      return { state: fromTypedData(result.returnValue) as OrchestratorState };
    } catch (error) {
      // The library reports an orchestrator exception by throwing, with its state after a marker.
      const text = errorMessage(error);
      const marker = text.indexOf('$OutOfProcData$:');
      if (marker < 0) return { failure: text };
      const failedState = JSON.parse(text.slice(marker + '$OutOfProcData$:'.length)) as OrchestratorState;
      return { state: failedState, failure: failedState.error ?? text.slice(0, marker).trim() };
    }
  }
}
