import { randomUUID } from 'node:crypto';
import { EMPTY_BOOK } from './book';
import { ConflictError, type EngineContext } from './engineContext';
import { event, EventType } from './history';
import { TERMINAL_STATUSES, type HostStore } from './store';

export interface ParentRef {
  instanceId: string;
  executionId: string;
  seq: number;
}

/**
 * Writes a new instance (replacing a finished one of the same id) with its ExecutionStarted
 * message queued. Runs inside the caller's transaction.
 */
export function createInstance(store: HostStore, name: string, instanceId: string, inputJson: string | null, now: number, parent?: ParentRef): void {
  const existing = store.instances.get(instanceId);
  if (existing && !TERMINAL_STATUSES.has(existing.status) && !parent) {
    throw new ConflictError(`An Orchestration instance with the status ${existing.status} already exists.`);
  }
  if (existing) store.instances.delete(instanceId);
  const executionId = randomUUID();
  store.instances.put({
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
  store.inbox.add(
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

export type DeliveryOutcome = 'accepted' | 'notFound' | 'gone';

/** What a durable client does to instances: start, raise, terminate, purge. Each call is one transaction. */
export class InstanceOperations {
  constructor(private readonly ctx: EngineContext) {}

  /** Creates (or, when the old one is finished, replaces) an instance and queues its start. */
  start(name: string, instanceId: string, inputJson: string | null): void {
    const now = this.ctx.clock.now();
    this.ctx.store.transaction(() => createInstance(this.ctx.store, name, instanceId, inputJson, now));
  }

  /** Queues an external event; kept in the inbox until an episode takes it (early events included). */
  raiseEvent(instanceId: string, eventName: string, inputJson: string | null): DeliveryOutcome {
    return this.deliver(instanceId, (now) => event(EventType.EventRaised, -1, now, { Name: eventName, Input: inputJson }));
  }

  terminate(instanceId: string, reason: string | null): DeliveryOutcome {
    return this.deliver(instanceId, (now) => event(EventType.ExecutionTerminated, -1, now, { Input: JSON.stringify(reason ?? '') }));
  }

  purge(instanceIds: string[]): number {
    const { store } = this.ctx;
    return store.transaction(() => {
      let deleted = 0;
      for (const id of instanceIds) {
        if (store.instances.get(id)) {
          store.instances.delete(id);
          deleted++;
        }
      }
      return deleted;
    });
  }

  private deliver(instanceId: string, message: (now: number) => ReturnType<typeof event>): DeliveryOutcome {
    const now = this.ctx.clock.now();
    const { store } = this.ctx;
    return store.transaction(() => {
      const instance = store.instances.get(instanceId);
      if (!instance) return 'notFound';
      if (TERMINAL_STATUSES.has(instance.status)) return 'gone';
      store.inbox.add(instanceId, null, now, message(now));
      return 'accepted';
    });
  }
}
