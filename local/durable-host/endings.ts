import { randomUUID } from 'node:crypto';
import { EMPTY_BOOK, type Book, type Changes } from './book';
import type { EngineContext } from './engineContext';
import { event, EventType, type HistoryEvent } from './history';
import { TERMINAL_STATUSES, type InboxMessage, type InstanceRow } from './store';

export function markPlayed(e: HistoryEvent): HistoryEvent {
  return { ...e, IsPlayed: true };
}

/**
 * How an episode ends: committed as it stands, completed, failed, continued as new, or
 * terminated from outside; each written in one transaction, with the parent told.
 */
export class EpisodeEndings {
  constructor(private readonly ctx: EngineContext) {}

  complete(instance: InstanceRow, changes: Changes, outputJson: string, now: number): void {
    changes.events.push(event(EventType.ExecutionCompleted, -1, now, { OrchestrationStatus: 'Completed', Result: outputJson }));
    instance.status = 'Completed';
    instance.output = outputJson;
    this.notifyParent(instance, changes, event(EventType.SubOrchestrationInstanceCompleted, -1, now, { TaskScheduledId: instance.parentSeq, Result: outputJson }), now);
    changes.logs.push(() => this.ctx.logger.info({ instanceId: instance.instanceId, orchestration: instance.name, transition: 'completed' }, 'instance completed'));
  }

  fail(instance: InstanceRow, changes: Changes, message: string, now: number): void {
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
    changes.logs.push(() =>
      this.ctx.logger.error({ instanceId: instance.instanceId, orchestration: instance.name, transition: 'failed', error: message }, 'instance failed'),
    );
  }

  private notifyParent(instance: InstanceRow, changes: Changes, completion: HistoryEvent, now: number): void {
    if (!instance.parentInstanceId || instance.parentSeq === null) return;
    const parentId = instance.parentInstanceId;
    const parentExecution = instance.parentExecutionId;
    changes.work.push(() => this.ctx.store.inbox.add(parentId, parentExecution, now, completion));
  }

  continueAsNew(instance: InstanceRow, changes: Changes, consumed: InboxMessage[], inputJson: string | null, now: number): void {
    const { store, logger } = this.ctx;
    const oldExecution = instance.executionId;
    changes.events.push(event(EventType.ContinueAsNew, -1, now, { Result: inputJson }));
    changes.events.push(event(EventType.OrchestratorCompleted, -1, now));
    const newExecution = randomUUID();
    store.transaction(() => {
      store.inbox.delete(consumed.map((m) => m.id));
      for (const apply of changes.work) apply();
      // DTFx keeps only the latest execution's history; events not yet taken stay queued for it
      store.inbox.deleteExecution(instance.instanceId, oldExecution);
      store.history.clear(instance.instanceId);
      store.instances.put({
        ...instance,
        executionId: newExecution,
        status: 'ContinuedAsNew',
        input: inputJson,
        output: null,
        updatedAt: now,
        book: JSON.stringify(EMPTY_BOOK()),
      });
      store.inbox.add(
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
    logger.info({ instanceId: instance.instanceId, orchestration: instance.name, transition: 'continued-as-new' }, 'instance continued as new');
  }

  terminateNow(instance: InstanceRow, termination: InboxMessage, now: number): void {
    const { store, logger } = this.ctx;
    const reasonJson = (termination.event.Input as string | null) ?? 'null';
    const historyLength = store.history.length(instance.instanceId);
    store.transaction(() => {
      store.history.append(instance.instanceId, historyLength, [
        markPlayed(event(EventType.OrchestratorStarted, -1, now)),
        markPlayed(event(EventType.ExecutionTerminated, -1, now, { Input: reasonJson })),
        markPlayed(event(EventType.OrchestratorCompleted, -1, now)),
      ]);
      // open timers and queued work die with the instance; results of running activities are dropped
      store.inbox.deleteExecution(instance.instanceId, instance.executionId);
      store.inbox.delete(store.inbox.due(instance.instanceId, Number.MAX_SAFE_INTEGER).map((m) => m.id));
      store.instances.put({ ...instance, status: 'Terminated', output: reasonJson, updatedAt: now });
    });
    logger.info({ instanceId: instance.instanceId, orchestration: instance.name, transition: 'terminated', reason: JSON.parse(reasonJson) }, 'instance terminated');
  }

  /** Writes the episode: its history, the consumed messages gone, its work queued, the book and status saved. */
  commit(instance: InstanceRow, book: Book, historyLength: number, changes: Changes, consumed: InboxMessage[], wasPending: boolean): void {
    const { store, logger, clock } = this.ctx;
    changes.events.push(event(EventType.OrchestratorCompleted, -1, clock.now()));
    store.transaction(() => {
      store.inbox.delete(consumed.map((m) => m.id));
      store.history.append(instance.instanceId, historyLength, changes.events.map(markPlayed));
      // a finished execution's leftover timers and queued activities are dropped
      if (TERMINAL_STATUSES.has(instance.status)) store.inbox.deleteExecution(instance.instanceId, instance.executionId);
      for (const apply of changes.work) apply();
      store.instances.put({ ...instance, book: JSON.stringify(book) });
    });
    if (wasPending) {
      logger.info({ instanceId: instance.instanceId, orchestration: instance.name, transition: 'started' }, 'instance started');
    }
    for (const log of changes.logs) log();
  }
}
