import { randomUUID } from 'node:crypto';
import type { EngineContext } from './engineContext';
import { event, EventType } from './history';
import { errorMessage, fromTypedData, triggerBinding } from './invoke';
import type { EntityMessage } from './store';

export function entityIdOf(name: string, key: string): string {
  return `@${name.toLowerCase()}@${key}`;
}

export function parseEntityId(entityId: string): { name: string; key: string } {
  const at = entityId.indexOf('@', 1);
  return { name: entityId.slice(1, at), key: entityId.slice(at + 1) };
}

interface EntitySignal {
  target: { name: string; key: string };
  name: string;
  input: string;
}

interface EntityBatchOutput {
  entityExists: boolean;
  entityState?: string;
  results: { isError: boolean; result?: string }[];
  signals: EntitySignal[];
}

/** Durable entities (§3): one batch of operations at a time per entity, replies to callers, signals onward. */
export class EntityRunner {
  constructor(private readonly ctx: EngineContext) {}

  signal(entityName: string, key: string, operation: string, inputJson: string | null): void {
    const { store, clock } = this.ctx;
    const now = clock.now();
    store.transaction(() => store.entities.addMessage(this.signalMessage(entityIdOf(entityName, key), operation, inputJson, now)));
  }

  read(entityName: string, key: string): { exists: boolean; state: unknown } {
    const row = this.ctx.store.entities.get(entityIdOf(entityName, key));
    if (!row) return { exists: false, state: undefined };
    return { exists: true, state: row.state === null ? null : JSON.parse(row.state) };
  }

  /** Runs the entity's due operations as one batch. */
  async runBatch(entityId: string): Promise<void> {
    const { store, functions, invoker, clock, logger } = this.ctx;
    const messages = store.entities.dueMessages(entityId, clock.now(), 100);
    if (messages.length === 0) return;
    const { name, key } = parseEntityId(entityId);
    const fn = functions.entity(name);
    const row = store.entities.get(entityId);
    let output: EntityBatchOutput = { entityExists: row !== undefined, entityState: row?.state ?? undefined, results: [], signals: [] };
    let batchError: string | undefined;
    if (!fn) {
      batchError = `The function '${name}' doesn't exist, is disabled, or is not an entity function.`;
    } else {
      try {
        const [bindingName] = triggerBinding(fn);
        const trigger = {
          self: { name, key },
          exists: row !== undefined,
          state: row?.state ?? null,
          batch: messages.map((m) => ({ name: m.operation, input: m.input, isSignal: m.isSignal })),
        };
        const result = await invoker.invoke(fn, [{ name: bindingName, data: { string: JSON.stringify(trigger) } }]);
        output = fromTypedData(result.returnValue) as EntityBatchOutput;
      } catch (error) {
        batchError = errorMessage(error);
      }
    }
    const at = clock.now();
    store.transaction(() => {
      store.entities.deleteMessages(messages.map((m) => m.id));
      if (batchError === undefined) {
        if (output.entityExists) store.entities.put({ entityId, name, key, state: output.entityState ?? null, updatedAt: at });
        else store.entities.delete(entityId);
        for (const s of output.signals ?? []) {
          store.entities.addMessage(this.signalMessage(entityIdOf(s.target.name, s.target.key), s.name, s.input === '' ? null : s.input, at));
        }
      }
      messages.forEach((m, i) => this.reply(m, batchError, output.results[i], at));
    });
    if (batchError !== undefined) logger.error({ entityId, error: batchError }, 'entity batch failed');
  }

  /** The caller's answer (`EventRaised` named after the request id); signals get none. */
  private reply(m: EntityMessage, batchError: string | undefined, r: { isError: boolean; result?: string } | undefined, at: number): void {
    if (m.isSignal || !m.parentInstanceId || !m.requestId) return;
    const response =
      batchError !== undefined
        ? { result: JSON.stringify(batchError), exceptionType: 'Error' }
        : r?.isError
          ? { result: r.result, exceptionType: 'Error' }
          : { result: r?.result };
    this.ctx.store.inbox.add(m.parentInstanceId, m.parentExecutionId, at, event(EventType.EventRaised, -1, at, { Name: m.requestId, Input: JSON.stringify(response) }));
  }

  private signalMessage(entityId: string, operation: string, input: string | null, at: number): Omit<EntityMessage, 'id'> {
    return { entityId, visibleAt: at, operation, input, isSignal: true, requestId: randomUUID(), parentInstanceId: null, parentExecutionId: null };
  }
}
