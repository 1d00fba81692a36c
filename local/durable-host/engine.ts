import { randomUUID } from 'node:crypto';
import type { Logger } from '../../src/logging/logger';
import type { AppFunctions } from './functions';
import { completionSeq, event, EventType, iso, type HistoryEvent } from './history';
import { errorMessage, fromTypedData, triggerBinding, type FunctionInvoker } from './invoke';
import {
  TERMINAL_STATUSES,
  type ActivityWork,
  type HostStore,
  type InboxMessage,
  type InstanceRow,
  type RuntimeStatus,
} from './store';

/**
 * The Durable Task side of the protocol: it keeps each instance's history, runs orchestration
 * episodes through the library's own orchestrator listener, numbers the actions it returns the
 * way DTFx does, and carries them out (activities, timers, sub-orchestrations, entity messages).
 * Semantics that durable-functions leaves to the host live here: sequence numbers, hidden retry
 * timers, long-timer segments, nondeterminism detection, open tasks keeping an instance Running.
 */

export interface EngineOptions {
  /** DF splits timers longer than this into segments (Azure Storage: 6 days) */
  maximumShortTimerMs: number;
  /** segment length of a split timer (Azure Storage: 3 days) */
  longRunningTimerIntervalMs: number;
  taskHubName: string;
}

export interface Clock {
  now(): number;
}

/** DF action types (durable-functions `ActionType`). */
enum ActionType {
  CallActivity = 0,
  CallActivityWithRetry = 1,
  CallSubOrchestrator = 2,
  CallSubOrchestratorWithRetry = 3,
  ContinueAsNew = 4,
  CreateTimer = 5,
  WaitForExternalEvent = 6,
  CallEntity = 7,
  CallHttp = 8,
  SignalEntity = 9,
  WhenAny = 11,
  WhenAll = 12,
  LockEntities = 13,
  ReleaseEntities = 14,
}

interface Action {
  actionType: ActionType;
  functionName?: string;
  input?: unknown;
  retryOptions?: RetryOptionsJson;
  instanceId?: string;
  version?: string;
  fireAt?: string;
  isCanceled?: boolean;
  externalEventName?: string;
  operation?: string;
  compoundActions?: Action[];
}

interface RetryOptionsJson {
  firstRetryIntervalInMilliseconds: number;
  maxNumberOfAttempts: number;
  backoffCoefficient?: number;
  maxRetryIntervalInMilliseconds?: number;
  retryTimeoutInMilliseconds?: number;
}

interface OrchestratorState {
  isDone: boolean;
  actions: Action[][];
  output?: unknown;
  error?: string;
  customStatus?: unknown;
}

type EntryKind = 'activity' | 'subOrchestration' | 'timer' | 'entityCall' | 'entitySignal';

/** One numbered action of the current execution, in the order DF numbered it. */
interface Entry {
  kind: EntryKind;
  name: string;
  /** the sequence number the action got when first scheduled */
  seq: number;
  /** the number of the task this action waits on now (differs after hidden retry timers / timer segments) */
  current: number;
  /** an activity, sub-orchestration or timer not finished: keeps a returned orchestration Running */
  open: boolean;
  canceled?: boolean;
  input?: string | null;
  retry?: { options: RetryOptionsJson; failures: number; waitingOnTimer: boolean };
  finalFireAt?: number;
  childInstanceId?: string;
}

interface Book {
  nextSeq: number;
  entries: Entry[];
  /** sequence number → entry index, hidden numbers included */
  bySeq: Record<string, number>;
}

export const EMPTY_BOOK = (): Book => ({ nextSeq: 0, entries: [], bySeq: {} });

/** What one episode changes, applied in a single transaction at its end. */
interface Changes {
  events: HistoryEvent[];
  /** how many of `events` are the episode's start and inbound events (kept when the episode fails) */
  inboundCount: number;
  work: (() => void)[];
  /** transition log lines, written once the episode is committed */
  logs: (() => void)[];
}

export class ConflictError extends Error {}

export class DurableEngine {
  constructor(
    private readonly store: HostStore,
    private readonly functions: AppFunctions,
    private readonly invoker: FunctionInvoker,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly options: EngineOptions,
  ) {}

  // ------------------------------------------------------------------ client operations

  /** Creates (or, when the old one is finished, replaces) an instance and queues its start. */
  startInstance(name: string, instanceId: string, inputJson: string | null, parent?: { instanceId: string; executionId: string; seq: number }): void {
    const now = this.clock.now();
    this.store.transaction(() => this.createInstance(name, instanceId, inputJson, now, parent));
  }

  private createInstance(
    name: string,
    instanceId: string,
    inputJson: string | null,
    now: number,
    parent?: { instanceId: string; executionId: string; seq: number },
  ): void {
    const existing = this.store.getInstance(instanceId);
    if (existing && !TERMINAL_STATUSES.has(existing.status) && !parent) {
      throw new ConflictError(`An Orchestration instance with the status ${existing.status} already exists.`);
    }
    if (existing) this.store.deleteInstance(instanceId);
    const executionId = randomUUID();
    this.store.putInstance({
      instanceId,
      name,
      executionId,
      status: 'Pending',
      input: inputJson,
      output: null,
      customStatus: null,
      createdAt: now,
      updatedAt: now,
      parentInstanceId: parent?.instanceId ?? null,
      parentExecutionId: parent?.executionId ?? null,
      parentSeq: parent?.seq ?? null,
      book: JSON.stringify(EMPTY_BOOK()),
    });
    this.store.addInbox(
      instanceId,
      executionId,
      now,
      event(EventType.ExecutionStarted, -1, now, {
        Name: name,
        Version: '',
        Input: inputJson,
        OrchestrationInstance: { InstanceId: instanceId, ExecutionId: executionId },
        ParentInstance: parent ? { OrchestrationInstance: { InstanceId: parent.instanceId, ExecutionId: parent.executionId }, TaskScheduleId: parent.seq } : null,
        Tags: null,
      }),
    );
  }

  /** Queues an external event; kept in the inbox until an episode takes it (early events included). */
  raiseEvent(instanceId: string, eventName: string, inputJson: string | null): 'accepted' | 'notFound' | 'gone' {
    const now = this.clock.now();
    return this.store.transaction(() => {
      const instance = this.store.getInstance(instanceId);
      if (!instance) return 'notFound';
      if (TERMINAL_STATUSES.has(instance.status)) return 'gone';
      this.store.addInbox(instanceId, null, now, event(EventType.EventRaised, -1, now, { Name: eventName, Input: inputJson }));
      return 'accepted';
    });
  }

  terminate(instanceId: string, reason: string | null): 'accepted' | 'notFound' | 'gone' {
    const now = this.clock.now();
    return this.store.transaction(() => {
      const instance = this.store.getInstance(instanceId);
      if (!instance) return 'notFound';
      if (TERMINAL_STATUSES.has(instance.status)) return 'gone';
      this.store.addInbox(instanceId, null, now, event(EventType.ExecutionTerminated, -1, now, { Input: JSON.stringify(reason ?? '') }));
      return 'accepted';
    });
  }

  purge(instanceIds: string[]): number {
    return this.store.transaction(() => {
      let deleted = 0;
      for (const id of instanceIds) {
        if (this.store.getInstance(id)) {
          this.store.deleteInstance(id);
          deleted++;
        }
      }
      return deleted;
    });
  }

  signalEntity(entityName: string, key: string, operation: string, inputJson: string | null): void {
    const now = this.clock.now();
    this.store.transaction(() =>
      this.store.addEntityMessage({
        entityId: entityIdOf(entityName, key),
        visibleAt: now,
        operation,
        input: inputJson,
        isSignal: true,
        requestId: randomUUID(),
        parentInstanceId: null,
        parentExecutionId: null,
      }),
    );
  }

  // ------------------------------------------------------------------ orchestration episodes

  /** Runs one episode of an instance with the inbox messages that are due; false if none were. */
  async runEpisode(instanceId: string): Promise<boolean> {
    const now = this.clock.now();
    const instance = this.store.getInstance(instanceId);
    const messages = this.store.dueInbox(instanceId, now);
    if (messages.length === 0) return false;
    if (!instance || TERMINAL_STATUSES.has(instance.status)) {
      // completions and events for a finished instance go nowhere, as in DTFx
      this.store.transaction(() => this.store.deleteInbox(messages.map((m) => m.id)));
      return true;
    }
    const stale = messages.filter((m) => m.executionId !== null && m.executionId !== instance.executionId);
    const current = messages.filter((m) => !stale.includes(m));
    const termination = current.find((m) => m.event.EventType === EventType.ExecutionTerminated);
    if (termination) {
      this.terminateNow(instance, termination, now);
      return true;
    }

    const book = JSON.parse(instance.book) as Book;
    const past = this.store.history(instanceId);
    let candidates: InboxMessage[];
    if (past.length === 0) {
      const start = current.find((m) => m.event.EventType === EventType.ExecutionStarted);
      if (!start) {
        this.store.transaction(() => this.store.deleteInbox(stale.map((m) => m.id)));
        return stale.length > 0;
      }
      candidates = [start, ...current.filter((m) => m !== start)];
    } else {
      candidates = current.filter((m) => m.event.EventType !== EventType.ExecutionStarted);
    }
    const batch = this.selectBatch(candidates, book, now);
    // a repeated start message for a running execution has nothing to start
    const repeatedStarts = past.length > 0 ? current.filter((m) => m.event.EventType === EventType.ExecutionStarted) : [];
    const consumed = [...stale, ...batch, ...repeatedStarts];

    const episodeStart = event(EventType.OrchestratorStarted, -1, now);
    const inbound: HistoryEvent[] = batch.map((m) => ({ ...m.event, IsPlayed: false }));
    const startedEvent = [...past, ...inbound].find((e) => e.EventType === EventType.ExecutionStarted);
    const fn = this.functions.orchestration(instance.name);
    const changes: Changes = { events: [episodeStart, ...inbound], inboundCount: 1 + inbound.length, work: [], logs: [] };
    const wasPending = instance.status === 'Pending' || instance.status === 'ContinuedAsNew';
    instance.status = 'Running';
    instance.updatedAt = now;

    if (!fn || !startedEvent) {
      this.fail(instance, changes, `The function '${instance.name}' doesn't exist, is disabled, or is not an orchestrator function.`, now);
      this.commit(instance, book, past.length, changes, consumed, wasPending);
      return true;
    }

    let state: OrchestratorState | undefined;
    let failure: string | undefined;
    try {
      const [bindingName] = triggerBinding(fn);
      const trigger = {
        history: [...past.map((e) => ({ ...e, IsPlayed: true })), episodeStart, ...inbound],
        input: startedEvent.Input === null || startedEvent.Input === undefined ? null : JSON.parse(startedEvent.Input as string),
        instanceId,
        isReplaying: past.length > 0,
        parentInstanceId: instance.parentInstanceId ?? undefined,
        upperSchemaVersion: 2,
        upperSchemaVersionNew: 3,
        longRunningTimerIntervalDuration: timeSpan(this.options.longRunningTimerIntervalMs),
        maximumShortTimerDuration: timeSpan(this.options.maximumShortTimerMs),
        defaultHttpAsyncRequestSleepTimeMillseconds: 30000,
      };
      const result = await this.invoker.invoke(fn, [{ name: bindingName, data: { string: JSON.stringify(trigger) } }]);
      state = fromTypedData(result.returnValue) as OrchestratorState;
    } catch (error) {
      // The library reports an orchestrator exception by throwing, with its state after a marker.
      const text = errorMessage(error);
      const marker = text.indexOf('$OutOfProcData$:');
      if (marker >= 0) {
        const failedState = JSON.parse(text.slice(marker + '$OutOfProcData$:'.length)) as OrchestratorState;
        failure = failedState.error ?? text.slice(0, marker).trim();
        state = failedState;
      } else {
        failure = text;
      }
    }

    // Reload: the instance may have been terminated or purged while the orchestrator ran.
    const latest = this.store.getInstance(instanceId);
    if (!latest || latest.executionId !== instance.executionId) return true;

    if (state?.customStatus !== undefined) instance.customStatus = JSON.stringify(state.customStatus);
    if (failure !== undefined || !state) {
      this.fail(instance, changes, `Orchestrator function '${instance.name}' failed: ${failure ?? 'no result'}`, now);
      this.commit(instance, book, past.length, changes, consumed, wasPending);
      return true;
    }

    for (const m of batch) this.applyInbound(instance, book, m.event, changes, now);

    const problem = this.applyActions(instance, book, state, changes, now);
    if (problem) {
      this.fail(instance, changes, `Orchestrator function '${instance.name}' failed: ${problem}`, now);
    } else if (state.isDone) {
      const continueAsNew = flatten(state.actions).find((a) => a.actionType === ActionType.ContinueAsNew);
      if (continueAsNew) {
        this.continueAsNew(instance, changes, consumed, jsonOfProcessedInput(continueAsNew.input), now);
        return true;
      }
      const blocking = book.entries.some((e) => e.open && !e.canceled && (e.kind === 'activity' || e.kind === 'subOrchestration' || e.kind === 'timer'));
      if (!blocking) this.complete(instance, changes, JSON.stringify(state.output ?? null), now);
    }
    this.commit(instance, book, past.length, changes, consumed, wasPending);
    return true;
  }

  /**
   * DF numbers tasks in the order it processes history, and gives hidden numbers (retry timers,
   * the next attempt, long-timer segments) while processing the completion that needs them. An
   * episode therefore takes the completions that need hidden numbers first, then ordinary events
   * up to the next one that would need one, so the host can number exactly as DF does: hidden
   * numbers first, in order, then the new actions.
   */
  private selectBatch(candidates: InboxMessage[], book: Book, now: number): InboxMessage[] {
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
  private applyInbound(instance: InstanceRow, book: Book, e: HistoryEvent, changes: Changes, now: number): void {
    const seq = completionSeq(e);
    if (seq === undefined) return;
    const index = book.bySeq[String(seq)];
    const entry = index === undefined ? undefined : book.entries[index];
    if (!entry || index === undefined || entry.current !== seq) return;
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
        const retry = entry.retry;
        retry.failures++;
        const o = retry.options;
        const delay =
          retry.failures < o.maxNumberOfAttempts
            ? Math.min(
                o.firstRetryIntervalInMilliseconds * Math.pow(o.backoffCoefficient || 1, retry.failures - 1),
                o.maxRetryIntervalInMilliseconds && o.maxRetryIntervalInMilliseconds > 0 ? o.maxRetryIntervalInMilliseconds : Number.POSITIVE_INFINITY,
              )
            : 0;
        retry.waitingOnTimer = true;
        this.scheduleTimer(instance, book, index, now + delay, changes, now);
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
        if (entry.finalFireAt !== undefined && entry.finalFireAt > now) {
          const remaining = entry.finalFireAt - now;
          const fireAt = remaining > this.options.maximumShortTimerMs ? now + this.options.longRunningTimerIntervalMs : entry.finalFireAt;
          this.scheduleTimer(instance, book, index, fireAt, changes, now);
          return;
        }
        entry.open = false;
        return;
      }
    }
  }

  /** Checks the replayed actions against the numbered history and carries out the new ones. */
  private applyActions(instance: InstanceRow, book: Book, state: OrchestratorState, changes: Changes, now: number): string | undefined {
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
      if (action!.actionType === ActionType.CreateTimer && action!.isCanceled && !entry.canceled) {
        entry.canceled = true;
        if (entry.open) {
          entry.open = false;
          const seq = entry.current;
          changes.work.push(() => this.store.deleteTimer(instance.instanceId, instance.executionId, seq));
        }
      }
    }
    for (let i = book.entries.length; i < numbered.length; i++) {
      const action = numbered[i]!;
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
        case ActionType.CreateTimer: {
          const fireAt = Date.parse(String(action.fireAt));
          // DF turns a timer longer than the maximum into segments and expects them one by one
          let segment = fireAt;
          if (fireAt - now > this.options.maximumShortTimerMs) {
            entry.finalFireAt = fireAt;
            segment = now + this.options.longRunningTimerIntervalMs;
          }
          changes.events.push(event(EventType.TimerCreated, seq, now, { FireAt: iso(segment) }));
          if (action.isCanceled) {
            entry.canceled = true;
          } else {
            entry.open = true;
            changes.work.push(() =>
              this.store.addInbox(instance.instanceId, instance.executionId, segment, event(EventType.TimerFired, -1, segment, { TimerId: seq, FireAt: iso(segment) }), seq),
            );
          }
          break;
        }
        case ActionType.CallEntity:
        case ActionType.SignalEntity: {
          const signal = action.actionType === ActionType.SignalEntity;
          const target = String(action.instanceId);
          const requestId = randomUUID();
          const inputJson = action.input === undefined ? null : JSON.stringify(action.input);
          const request = { id: requestId, op: action.operation, signal, input: inputJson, parent: instance.instanceId, parentExecution: instance.executionId };
          changes.events.push(event(EventType.EventSent, seq, now, { InstanceId: target, Name: action.operation, Input: JSON.stringify(request) }));
          changes.work.push(() =>
            this.store.addEntityMessage({
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
          break;
        }
      }
    }
    return undefined;
  }

  private scheduleActivity(instance: InstanceRow, name: string, inputJson: string | null, seq: number, changes: Changes, now: number): void {
    changes.events.push(event(EventType.TaskScheduled, seq, now, { Name: name, Version: '', Input: inputJson }));
    changes.work.push(() =>
      this.store.addActivity({ instanceId: instance.instanceId, executionId: instance.executionId, seq, name, input: inputJson }),
    );
  }

  private scheduleSubOrchestration(instance: InstanceRow, entry: Entry, seq: number, changes: Changes, now: number): void {
    const childId = entry.childInstanceId!;
    changes.events.push(
      event(EventType.SubOrchestrationInstanceCreated, seq, now, { Name: entry.name, Version: '', InstanceId: childId, Input: entry.input ?? null }),
    );
    changes.work.push(() =>
      this.createInstance(entry.name, childId, entry.input ?? null, now, { instanceId: instance.instanceId, executionId: instance.executionId, seq }),
    );
  }

  private scheduleTimer(instance: InstanceRow, book: Book, index: number, fireAt: number, changes: Changes, now: number): void {
    const seq = allocate(book, index);
    book.entries[index]!.current = seq;
    changes.events.push(event(EventType.TimerCreated, seq, now, { FireAt: iso(fireAt) }));
    changes.work.push(() =>
      this.store.addInbox(instance.instanceId, instance.executionId, fireAt, event(EventType.TimerFired, -1, fireAt, { TimerId: seq, FireAt: iso(fireAt) }), seq),
    );
  }

  // ------------------------------------------------------------------ endings

  private complete(instance: InstanceRow, changes: Changes, outputJson: string, now: number): void {
    changes.events.push(event(EventType.ExecutionCompleted, -1, now, { OrchestrationStatus: 'Completed', Result: outputJson }));
    instance.status = 'Completed';
    instance.output = outputJson;
    this.notifyParent(instance, changes, event(EventType.SubOrchestrationInstanceCompleted, -1, now, { TaskScheduledId: instance.parentSeq, Result: outputJson }), now);
    changes.logs.push(() => this.logger.info({ instanceId: instance.instanceId, orchestration: instance.name, transition: 'completed' }, 'instance completed'));
  }

  private fail(instance: InstanceRow, changes: Changes, message: string, now: number): void {
    // nothing the failed episode decided is carried out (a nondeterministic replay's actions are not trustworthy)
    changes.events.length = changes.inboundCount;
    changes.work.length = 0;
    changes.events.push(
      event(EventType.ExecutionCompleted, -1, now, {
        OrchestrationStatus: 'Failed',
        Result: message,
        FailureDetails: { ErrorType: 'OrchestrationFailureException', ErrorMessage: message },
      }),
    );
    instance.status = 'Failed';
    instance.output = JSON.stringify(message);
    this.notifyParent(
      instance,
      changes,
      event(EventType.SubOrchestrationInstanceFailed, -1, now, { TaskScheduledId: instance.parentSeq, Reason: message, Details: '' }),
      now,
    );
    changes.logs.push(() => this.logger.error({ instanceId: instance.instanceId, orchestration: instance.name, transition: 'failed', error: message }, 'instance failed'));
  }

  private notifyParent(instance: InstanceRow, changes: Changes, completion: HistoryEvent, now: number): void {
    if (!instance.parentInstanceId || instance.parentSeq === null) return;
    const parentId = instance.parentInstanceId;
    const parentExecution = instance.parentExecutionId;
    changes.work.push(() => this.store.addInbox(parentId, parentExecution, now, completion));
  }

  private continueAsNew(
    instance: InstanceRow,
    changes: Changes,
    consumed: InboxMessage[],
    inputJson: string | null,
    now: number,
  ): void {
    const oldExecution = instance.executionId;
    changes.events.push(event(EventType.ContinueAsNew, -1, now, { Result: inputJson }));
    changes.events.push(event(EventType.OrchestratorCompleted, -1, now));
    const newExecution = randomUUID();
    this.store.transaction(() => {
      this.store.deleteInbox(consumed.map((m) => m.id));
      for (const apply of changes.work) apply();
      // DTFx keeps only the latest execution's history; events not yet taken stay queued for it
      this.store.deleteExecutionMessages(instance.instanceId, oldExecution);
      this.store.clearHistory(instance.instanceId);
      this.store.putInstance({
        ...instance,
        executionId: newExecution,
        status: 'ContinuedAsNew',
        input: inputJson,
        output: null,
        updatedAt: now,
        book: JSON.stringify(EMPTY_BOOK()),
      });
      this.store.addInbox(
        instance.instanceId,
        newExecution,
        now,
        event(EventType.ExecutionStarted, -1, now, {
          Name: instance.name,
          Version: '',
          Input: inputJson,
          OrchestrationInstance: { InstanceId: instance.instanceId, ExecutionId: newExecution },
          ParentInstance: null,
          Tags: null,
        }),
      );
    });
    this.logger.info({ instanceId: instance.instanceId, orchestration: instance.name, transition: 'continued-as-new' }, 'instance continued as new');
  }

  private terminateNow(instance: InstanceRow, termination: InboxMessage, now: number): void {
    const reasonJson = (termination.event.Input as string | null) ?? 'null';
    const historyLength = this.store.historyLength(instance.instanceId);
    this.store.transaction(() => {
      this.store.appendHistory(instance.instanceId, historyLength, [
        markPlayed(event(EventType.OrchestratorStarted, -1, now)),
        markPlayed(event(EventType.ExecutionTerminated, -1, now, { Input: reasonJson })),
        markPlayed(event(EventType.OrchestratorCompleted, -1, now)),
      ]);
      // open timers and queued work die with the instance; results of running activities are dropped
      this.store.deleteExecutionMessages(instance.instanceId, instance.executionId);
      this.store.deleteInbox(this.store.dueInbox(instance.instanceId, Number.MAX_SAFE_INTEGER).map((m) => m.id));
      this.store.putInstance({ ...instance, status: 'Terminated', output: reasonJson, updatedAt: now });
    });
    this.logger.info({ instanceId: instance.instanceId, orchestration: instance.name, transition: 'terminated', reason: JSON.parse(reasonJson) }, 'instance terminated');
  }

  private commit(instance: InstanceRow, book: Book, historyLength: number, changes: Changes, consumed: InboxMessage[], wasPending: boolean): void {
    changes.events.push(event(EventType.OrchestratorCompleted, -1, this.clock.now()));
    this.store.transaction(() => {
      this.store.deleteInbox(consumed.map((m) => m.id));
      this.store.appendHistory(instance.instanceId, historyLength, changes.events.map(markPlayed));
      // a finished execution's leftover timers and queued activities are dropped
      if (TERMINAL_STATUSES.has(instance.status)) this.store.deleteExecutionMessages(instance.instanceId, instance.executionId);
      for (const apply of changes.work) apply();
      this.store.putInstance({ ...instance, book: JSON.stringify(book) });
    });
    if (wasPending) {
      this.logger.info({ instanceId: instance.instanceId, orchestration: instance.name, transition: 'started' }, 'instance started');
    }
    for (const log of changes.logs) log();
  }

  // ------------------------------------------------------------------ activities

  async runActivity(work: ActivityWork): Promise<void> {
    const now = (): number => this.clock.now();
    const fn = this.functions.activity(work.name);
    let completion: HistoryEvent;
    if (!fn) {
      completion = event(EventType.TaskFailed, -1, now(), {
        TaskScheduledId: work.seq,
        Reason: `The function '${work.name}' doesn't exist, is disabled, or is not an activity function.`,
        Details: '',
      });
    } else {
      try {
        const [bindingName] = triggerBinding(fn);
        const result = await this.invoker.invoke(fn, [{ name: bindingName, data: work.input === null ? undefined : { string: work.input } }]);
        const value = fromTypedData(result.returnValue);
        completion = event(EventType.TaskCompleted, -1, now(), { TaskScheduledId: work.seq, Result: JSON.stringify(value ?? null) });
      } catch (error) {
        completion = activityFailure(work, error, now());
      }
    }
    this.store.transaction(() => {
      // the completion and the removal of the work item commit together: a crash before this
      // runs the activity again (at-least-once, as in Azure), never loses or doubles its result
      if (!this.store.deleteActivity(work.id)) return;
      const instance = this.store.getInstance(work.instanceId);
      if (!instance || instance.executionId !== work.executionId || TERMINAL_STATUSES.has(instance.status)) return;
      this.store.addInbox(work.instanceId, work.executionId, now(), completion);
    });
  }

  // ------------------------------------------------------------------ entities

  /** Runs the entity's due operations as one batch, one batch at a time per entity. */
  async runEntityBatch(entityId: string): Promise<void> {
    const now = this.clock.now();
    const messages = this.store.dueEntityMessages(entityId, now, 100);
    if (messages.length === 0) return;
    const { name, key } = parseEntityId(entityId);
    const fn = this.functions.entity(name);
    const row = this.store.getEntity(entityId);
    let results: { isError: boolean; result?: string }[] = [];
    let exists = row !== undefined;
    let stateJson: string | null = row?.state ?? null;
    let signals: { target: { name: string; key: string }; name: string; input: string }[] = [];
    let batchError: string | undefined;
    if (!fn) {
      batchError = `The function '${name}' doesn't exist, is disabled, or is not an entity function.`;
    } else {
      try {
        const [bindingName] = triggerBinding(fn);
        const trigger = {
          self: { name, key },
          exists,
          state: stateJson,
          batch: messages.map((m) => ({ name: m.operation, input: m.input, isSignal: m.isSignal })),
        };
        const result = await this.invoker.invoke(fn, [{ name: bindingName, data: { string: JSON.stringify(trigger) } }]);
        const output = fromTypedData(result.returnValue) as {
          entityExists: boolean;
          entityState?: string;
          results: { isError: boolean; result?: string }[];
          signals: { target: { name: string; key: string }; name: string; input: string }[];
        };
        exists = output.entityExists;
        stateJson = output.entityState ?? null;
        results = output.results;
        signals = output.signals ?? [];
      } catch (error) {
        batchError = errorMessage(error);
      }
    }
    const at = this.clock.now();
    this.store.transaction(() => {
      this.store.deleteEntityMessages(messages.map((m) => m.id));
      if (batchError === undefined) {
        if (exists) this.store.putEntity({ entityId, name, key, state: stateJson, updatedAt: at });
        else this.store.deleteEntity(entityId);
        for (const s of signals) {
          this.store.addEntityMessage({
            entityId: entityIdOf(s.target.name, s.target.key),
            visibleAt: at,
            operation: s.name,
            input: s.input === '' ? null : s.input,
            isSignal: true,
            requestId: randomUUID(),
            parentInstanceId: null,
            parentExecutionId: null,
          });
        }
      }
      messages.forEach((m, i) => {
        if (m.isSignal || !m.parentInstanceId || !m.requestId) return;
        const r = results[i];
        const response =
          batchError !== undefined
            ? { result: JSON.stringify(batchError), exceptionType: 'Error' }
            : r?.isError
              ? { result: r.result, exceptionType: 'Error' }
              : { result: r?.result };
        this.store.addInbox(m.parentInstanceId, m.parentExecutionId, at, event(EventType.EventRaised, -1, at, { Name: m.requestId, Input: JSON.stringify(response) }));
      });
    });
    if (batchError !== undefined) this.logger.error({ entityId, error: batchError }, 'entity batch failed');
  }

  readEntity(entityName: string, key: string): { exists: boolean; state: unknown } {
    const row = this.store.getEntity(entityIdOf(entityName, key));
    if (!row) return { exists: false, state: undefined };
    return { exists: true, state: row.state === null ? null : JSON.parse(row.state) };
  }
}

// ------------------------------------------------------------------ helpers

const KIND_TEXT: Record<EntryKind, string> = {
  activity: 'an activity task',
  subOrchestration: 'a sub-orchestration',
  timer: 'a durable timer',
  entityCall: 'an entity call',
  entitySignal: 'an entity signal',
};

function describe(action: Action): { kind: EntryKind; name: string } {
  switch (action.actionType) {
    case ActionType.CallActivity:
    case ActionType.CallActivityWithRetry:
      return { kind: 'activity', name: String(action.functionName) };
    case ActionType.CallSubOrchestrator:
    case ActionType.CallSubOrchestratorWithRetry:
      return { kind: 'subOrchestration', name: String(action.functionName) };
    case ActionType.CreateTimer:
      return { kind: 'timer', name: '' };
    case ActionType.CallEntity:
      return { kind: 'entityCall', name: `${action.operation}@${action.instanceId}` };
    case ActionType.SignalEntity:
      return { kind: 'entitySignal', name: `${action.operation}@${action.instanceId}` };
    default:
      return { kind: 'activity', name: `unsupported action ${action.actionType}` };
  }
}

/** Depth first, as DF numbers children of Task.all / Task.any (one number per entry, as the extension replays them). */
function flatten(actions: Action[][] | undefined): Action[] {
  const out: Action[] = [];
  const walk = (a: Action) => {
    if (a.actionType === ActionType.WhenAll || a.actionType === ActionType.WhenAny) (a.compoundActions ?? []).forEach(walk);
    else out.push(a);
  };
  for (const group of actions ?? []) for (const a of group) walk(a);
  return out;
}

function allocate(book: Book, index: number): number {
  const seq = book.nextSeq++;
  book.bySeq[String(seq)] = index;
  return seq;
}

function entryOf(book: Book, seq: number): Entry | undefined {
  const index = book.bySeq[String(seq)];
  return index === undefined ? undefined : book.entries[index];
}

/** Activity and continue-as-new inputs went through DF's processInput, which stringifies strings only. */
function jsonOfProcessedInput(input: unknown): string | null {
  if (input === undefined) return null;
  return typeof input === 'string' ? input : JSON.stringify(input);
}

function markPlayed(e: HistoryEvent): HistoryEvent {
  return { ...e, IsPlayed: true };
}

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

export function entityIdOf(name: string, key: string): string {
  return `@${name.toLowerCase()}@${key}`;
}

export function parseEntityId(entityId: string): { name: string; key: string } {
  const at = entityId.indexOf('@', 1);
  return { name: entityId.slice(1, at), key: entityId.slice(at + 1) };
}

/**
 * An activity's exception in the shape the extension stores: legacy Reason/Details, or, when the
 * app registered an exception-properties provider (durable-functions 3.5), FailureDetails.
 */
function activityFailure(work: ActivityWork, error: unknown, now: number): HistoryEvent {
  const message = errorMessage(error);
  try {
    const dto = JSON.parse(message) as { errorType?: string; errorMessage?: string; stackTrace?: string; isNonRetriable?: boolean; properties?: unknown };
    if (dto && typeof dto === 'object' && typeof dto.errorType === 'string' && typeof dto.errorMessage === 'string') {
      return event(EventType.TaskFailed, -1, now, {
        TaskScheduledId: work.seq,
        Reason: `Activity function '${work.name}' failed: ${dto.errorMessage}`,
        Details: dto.stackTrace ?? '',
        FailureDetails: {
          ErrorType: dto.errorType,
          ErrorMessage: dto.errorMessage,
          StackTrace: dto.stackTrace ?? null,
          IsNonRetriable: dto.isNonRetriable ?? false,
          Properties: dto.properties ?? null,
          InnerFailure: null,
        },
      });
    }
  } catch {
    // not the JSON form: the legacy shape below
  }
  return event(EventType.TaskFailed, -1, now, {
    TaskScheduledId: work.seq,
    Reason: `Activity function '${work.name}' failed: ${message}`,
    Details: error instanceof Error && error.stack ? error.stack : message,
  });
}

export type { RuntimeStatus };
