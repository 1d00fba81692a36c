import { randomUUID } from 'node:crypto';
import { ActionType, describe, flatten, jsonOfProcessedInput, KIND_TEXT, type Action, type OrchestratorState } from './actions';
import { allocate, entryOf, type Book, type Changes, type Entry } from './book';
import type { EngineContext } from './engineContext';
import { completionSeq, event, EventType, type HistoryEvent } from './history';
import { createInstance } from './instances';
import type { InboxMessage, InstanceRow } from './store';
import { cancelTimer, createTimer, nextSegment, retryDelay, scheduleHiddenTimer } from './timers';

/**
 * Numbers the orchestrator's actions the way DTFx does and carries them out: checks replayed
 * actions against the book (nondeterminism), schedules new activities, sub-orchestrations,
 * timers and entity messages, and writes the hidden tasks (retry timers, retried attempts,
 * long-timer segments) that inbound completions call for.
 */
export class ActionScheduler {
  constructor(private readonly ctx: EngineContext) {}

  /**
   * DF numbers tasks in the order it processes history, and gives hidden numbers (retry timers,
   * the next attempt, long-timer segments) while processing the completion that needs them. An
   * episode therefore takes the completions that need hidden numbers first, then ordinary events
   * up to the next one that would need one, so the host can number exactly as DF does: hidden
   * numbers first, in order, then the new actions.
   */
  selectBatch(candidates: InboxMessage[], book: Book, now: number): InboxMessage[] {
    const batch: InboxMessage[] = [];
    let i = 0;
    while (i < candidates.length && this.needsHiddenNumber(candidates[i]!.event, book, now)) batch.push(candidates[i++]!);
    while (i < candidates.length && !this.needsHiddenNumber(candidates[i]!.event, book, now)) batch.push(candidates[i++]!);
    return batch;
  }

  private needsHiddenNumber(e: HistoryEvent, book: Book, now: number): boolean {
    const seq = completionSeq(e);
    if (seq === undefined) return false;
    const entry = entryOf(book, seq);
    if (!entry || entry.current !== seq) return false;
    switch (e.EventType) {
      case EventType.TaskFailed:
      case EventType.SubOrchestrationInstanceFailed:
        return entry.retry !== undefined;
      case EventType.TimerFired:
        if (entry.retry?.waitingOnTimer) return entry.retry.failures < entry.retry.options.maxNumberOfAttempts;
        return entry.finalFireAt !== undefined && entry.finalFireAt > now;
      default:
        return false;
    }
  }

  /** Updates the bookkeeping for one inbound completion, writing hidden tasks where DF expects them. */
  applyInbound(instance: InstanceRow, book: Book, e: HistoryEvent, changes: Changes, now: number): void {
    const seq = completionSeq(e);
    if (seq === undefined) return;
    const index = book.bySeq[String(seq)];
    const entry = index === undefined ? undefined : book.entries[index];
    if (!entry || index === undefined || entry.current !== seq) return;
    const { store, options } = this.ctx;
    switch (e.EventType) {
      case EventType.TaskCompleted:
      case EventType.SubOrchestrationInstanceCompleted:
        entry.open = false;
        return;
      case EventType.TaskFailed:
      case EventType.SubOrchestrationInstanceFailed: {
        if (!entry.retry) {
          entry.open = false;
          return;
        }
        // DTFx RetryInterceptor: a timer after every failed attempt, an immediate one after the last
        entry.retry.failures++;
        entry.retry.waitingOnTimer = true;
        scheduleHiddenTimer(store, instance, book, index, now + retryDelay(entry.retry), changes, now);
        return;
      }
      case EventType.TimerFired: {
        if (entry.retry?.waitingOnTimer) {
          entry.retry.waitingOnTimer = false;
          if (entry.retry.failures < entry.retry.options.maxNumberOfAttempts) {
            const next = allocate(book, index);
            entry.current = next;
            if (entry.kind === 'activity') this.scheduleActivity(instance, entry.name, entry.input ?? null, next, changes, now);
            else this.scheduleSubOrchestration(instance, entry, next, changes, now);
          } else {
            entry.open = false;
          }
          return;
        }
        const segmentEnd = nextSegment(entry, now, options);
        if (segmentEnd !== undefined) {
          scheduleHiddenTimer(store, instance, book, index, segmentEnd, changes, now);
          return;
        }
        entry.open = false;
        return;
      }
    }
  }

  /** Checks the replayed actions against the numbered history and carries out the new ones; a problem text fails the instance. */
  applyActions(instance: InstanceRow, book: Book, state: OrchestratorState, changes: Changes, now: number): string | undefined {
    const numbered: Action[] = [];
    for (const action of flatten(state.actions)) {
      switch (action.actionType) {
        case ActionType.ContinueAsNew:
        case ActionType.WaitForExternalEvent:
          break;
        case ActionType.CallHttp:
        case ActionType.LockEntities:
        case ActionType.ReleaseEntities:
          return `the local durable host does not support ${ActionType[action.actionType]} (callHttp and entity locks)`;
        default:
          numbered.push(action);
      }
    }
    for (let i = 0; i < book.entries.length; i++) {
      const entry = book.entries[i]!;
      const action = numbered[i];
      const replayed = action ? describe(action) : undefined;
      if (!replayed || replayed.kind !== entry.kind || replayed.name.toLowerCase() !== entry.name.toLowerCase()) {
        return (
          `Non-Deterministic workflow detected: A previous execution of this orchestration scheduled ${KIND_TEXT[entry.kind]} ` +
          `with sequence ID ${entry.seq} and name '${entry.name}', but the current replay execution ` +
          (replayed ? `scheduled ${KIND_TEXT[replayed.kind]} named '${replayed.name}' instead.` : `hasn't (yet?) scheduled this task.`) +
          ' Was a change made to the orchestrator code after this instance had already started running?'
        );
      }
      if (action!.actionType === ActionType.CreateTimer && action!.isCanceled) cancelTimer(this.ctx.store, instance, entry, changes);
    }
    for (let i = book.entries.length; i < numbered.length; i++) this.applyNewAction(instance, book, numbered[i]!, changes, now);
    return undefined;
  }

  private applyNewAction(instance: InstanceRow, book: Book, action: Action, changes: Changes, now: number): void {
    const { kind, name } = describe(action);
    const seq = book.nextSeq;
    const entry: Entry = { kind, name, seq, current: seq, open: false };
    book.entries.push(entry);
    allocate(book, book.entries.length - 1);
    switch (action.actionType) {
      case ActionType.CallActivity:
      case ActionType.CallActivityWithRetry:
        entry.open = true;
        entry.input = jsonOfProcessedInput(action.input);
        if (action.retryOptions) entry.retry = { options: action.retryOptions, failures: 0, waitingOnTimer: false };
        this.scheduleActivity(instance, name, entry.input, seq, changes, now);
        break;
      case ActionType.CallSubOrchestrator:
      case ActionType.CallSubOrchestratorWithRetry:
        entry.open = true;
        entry.input = action.input === undefined ? null : JSON.stringify(action.input);
        entry.childInstanceId = action.instanceId || `${instance.instanceId}:${seq.toString(16).toUpperCase().padStart(4, '0')}`;
        if (action.retryOptions) entry.retry = { options: action.retryOptions, failures: 0, waitingOnTimer: false };
        this.scheduleSubOrchestration(instance, entry, seq, changes, now);
        break;
      case ActionType.CreateTimer:
        createTimer(this.ctx.store, this.ctx.options, instance, entry, seq, action, changes, now);
        break;
      case ActionType.CallEntity:
      case ActionType.SignalEntity:
        this.sendEntityMessage(instance, action, seq, changes, now);
        break;
    }
  }

  private sendEntityMessage(instance: InstanceRow, action: Action, seq: number, changes: Changes, now: number): void {
    const signal = action.actionType === ActionType.SignalEntity;
    const target = String(action.instanceId);
    const requestId = randomUUID();
    const inputJson = action.input === undefined ? null : JSON.stringify(action.input);
    const request = { id: requestId, op: action.operation, signal, input: inputJson, parent: instance.instanceId, parentExecution: instance.executionId };
    changes.events.push(event(EventType.EventSent, seq, now, { InstanceId: target, Name: action.operation, Input: JSON.stringify(request) }));
    changes.work.push(() =>
      this.ctx.store.entities.addMessage({
        entityId: target,
        visibleAt: now,
        operation: String(action.operation),
        input: inputJson,
        isSignal: signal,
        requestId,
        parentInstanceId: signal ? null : instance.instanceId,
        parentExecutionId: signal ? null : instance.executionId,
      }),
    );
  }

  private scheduleActivity(instance: InstanceRow, name: string, inputJson: string | null, seq: number, changes: Changes, now: number): void {
    changes.events.push(event(EventType.TaskScheduled, seq, now, { Name: name, Version: '', Input: inputJson }));
    const { instanceId, executionId } = instance;
    changes.work.push(() => this.ctx.store.activities.add({ instanceId, executionId, seq, name, input: inputJson }));
  }

  private scheduleSubOrchestration(instance: InstanceRow, entry: Entry, seq: number, changes: Changes, now: number): void {
    const childId = entry.childInstanceId!;
    changes.events.push(
      event(EventType.SubOrchestrationInstanceCreated, seq, now, { Name: entry.name, Version: '', InstanceId: childId, Input: entry.input ?? null }),
    );
    const parent = { instanceId: instance.instanceId, executionId: instance.executionId, seq };
    changes.work.push(() => createInstance(this.ctx.store, entry.name, childId, entry.input ?? null, now, parent));
  }
}
