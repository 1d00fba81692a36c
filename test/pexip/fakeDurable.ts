import { createHash } from 'node:crypto';
import type { OrchestrationHandler } from 'durable-functions';
import { InstanceNotRunningError, type DurableControl, type InstanceStatus } from '../../src/contracts/ports';

/**
 * A small stand-in for the durable runtime, for the pool's logic before (and besides) the local
 * host: orchestrator generators are driven step by step, entity operations run one at a time
 * (as the runtime runs them), activities are the real functions. It does not replay, so it
 * proves the pool's rules, not durability; the host tests prove that.
 */
type AnyFn = (input: never) => unknown;

interface FakeTask {
  kind: 'entity' | 'activity' | 'timer' | 'any' | 'all';
  name?: string;
  key?: string;
  op?: string;
  input?: unknown;
  fireAt?: number;
  tasks?: FakeTask[];
  result?: unknown;
  cancel?: () => void;
}

export interface FakeDurableOptions {
  orchestrations: Record<string, OrchestrationHandler>;
  activities: Record<string, AnyFn>;
  entities: Record<string, (context: unknown) => void>;
  /** a timer raced against an activity wins when the activity takes longer than this (real ms) */
  timerRaceMs?: number;
  now?: () => Date;
}

export class FakeDurable implements DurableControl {
  readonly entityStates = new Map<string, unknown>();
  readonly instances = new Map<string, InstanceStatus>();
  /** activity calls made, in order */
  readonly activityLog: { name: string; input: unknown }[] = [];
  /** hook to simulate a crash: throw from here to stop an orchestration mid-way */
  beforeActivity: ((name: string, input: unknown) => void) | undefined;

  constructor(private readonly options: FakeDurableOptions) {}

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  runEntity(name: string, key: string, op: string, input: unknown): unknown {
    const handler = this.options.entities[name];
    if (!handler) throw new Error(`no entity ${name}`);
    const id = `${name}@${key}`;
    let returned: unknown;
    let destroyed = false;
    handler({
      df: {
        operationName: op,
        entityName: name,
        entityKey: key,
        getState: (init?: () => unknown) => (this.entityStates.has(id) ? structuredClone(this.entityStates.get(id)) : init?.()),
        setState: (s: unknown) => this.entityStates.set(id, structuredClone(s)),
        getInput: () => structuredClone(input),
        return: (r: unknown) => (returned = r),
        destructOnExit: () => (destroyed = true),
      },
    });
    if (destroyed) this.entityStates.delete(id);
    return structuredClone(returned);
  }

  private async resolve(task: FakeTask): Promise<unknown> {
    switch (task.kind) {
      case 'entity':
        return this.runEntity(task.name!, task.key!, task.op!, task.input);
      case 'activity': {
        this.activityLog.push({ name: task.name!, input: task.input });
        this.beforeActivity?.(task.name!, task.input);
        const fn = this.options.activities[task.name!];
        if (!fn) throw new Error(`no activity ${task.name}`);
        return await fn(task.input as never);
      }
      case 'timer':
        return undefined;
      case 'all':
        return Promise.all(task.tasks!.map(async (t) => (t.result = await this.resolve(t))));
      case 'any': {
        const race = task.tasks!.map(async (t) => {
          if (t.kind === 'timer') {
            await new Promise((r) => setTimeout(r, this.options.timerRaceMs ?? 1000));
          } else {
            t.result = await this.resolve(t);
          }
          return t;
        });
        return Promise.race(race);
      }
    }
  }

  async runOrchestration(name: string, instanceId: string, input: unknown): Promise<unknown> {
    const handler = this.options.orchestrations[name];
    if (!handler) throw new Error(`no orchestration ${name}`);
    let currentInput = input;
    for (let execution = 0; execution < 100; execution++) {
      let continued: { input: unknown } | undefined;
      let guid = 0;
      const context = {
        df: {
          instanceId,
          get currentUtcDateTime() {
            return new Date();
          },
          getInput: () => structuredClone(currentInput),
          callEntity: (id: { name: string; key: string }, op: string, i?: unknown): FakeTask => ({ kind: 'entity', name: id.name, key: id.key, op, input: i }),
          callActivity: (n: string, i?: unknown): FakeTask => ({ kind: 'activity', name: n, input: i }),
          callActivityWithRetry: (n: string, _r: unknown, i?: unknown): FakeTask => ({ kind: 'activity', name: n, input: i }),
          createTimer: (fireAt: Date): FakeTask => ({ kind: 'timer', fireAt: fireAt.getTime(), cancel: () => undefined }),
          newGuid: (seed: string) => {
            const h = createHash('sha256').update(`${instanceId}:${execution}:${seed}:${guid++}`).digest('hex');
            return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
          },
          continueAsNew: (i: unknown) => (continued = { input: i }),
          setCustomStatus: () => undefined,
          Task: {
            any: (tasks: FakeTask[]): FakeTask => ({ kind: 'any', tasks }),
            all: (tasks: FakeTask[]): FakeTask => ({ kind: 'all', tasks }),
          },
        },
      };
      const gen = (handler as unknown as (c: unknown) => Generator<FakeTask, unknown, unknown>)(context);
      let step = gen.next();
      while (!step.done) {
        let value: unknown;
        try {
          value = await this.resolve(step.value);
        } catch (error) {
          step = gen.throw(error);
          continue;
        }
        step = gen.next(value);
      }
      if (!continued) return step.value;
      currentInput = continued.input;
    }
    throw new Error('too many continueAsNew');
  }

  // ---- DurableControl --------------------------------------------------------------------------

  async startNew(orchestration: { name: string }, instanceId: string, input: unknown): Promise<void> {
    const created = this.now().toISOString();
    const status: InstanceStatus = { instanceId, name: orchestration.name, runtimeStatus: 'Running', input, output: null, customStatus: null, createdTime: created, lastUpdatedTime: created };
    this.instances.set(instanceId, status);
    void this.runOrchestration(orchestration.name, instanceId, input).then(
      (output) => Object.assign(status, { runtimeStatus: 'Completed', output }),
      (error: unknown) => Object.assign(status, { runtimeStatus: 'Failed', output: String(error) }),
    );
  }
  raised: { instanceId: string; eventName: string; data: unknown }[] = [];
  /** as the runtime answers: 404 for no such instance, 410 for one that has finished */
  async raiseEvent(instanceId: string, eventName: string, data: unknown): Promise<void> {
    const status = this.instances.get(instanceId);
    if (!status) throw new InstanceNotRunningError(instanceId, 'not_found');
    if (['Completed', 'Failed', 'Terminated'].includes(status.runtimeStatus)) throw new InstanceNotRunningError(instanceId, 'finished');
    this.raised.push({ instanceId, eventName, data });
  }
  async getStatus(instanceId: string): Promise<InstanceStatus | undefined> {
    const s = this.instances.get(instanceId);
    return s ? { ...s } : undefined;
  }
  async terminate(instanceId: string): Promise<void> {
    const s = this.instances.get(instanceId);
    if (s) s.runtimeStatus = 'Terminated';
  }
  async purge(instanceId: string): Promise<number> {
    const s = this.instances.get(instanceId);
    if (!s) return 0;
    if (!['Completed', 'Failed', 'Terminated'].includes(s.runtimeStatus)) throw new Error(`412: ${instanceId} is ${s.runtimeStatus}`);
    this.instances.delete(instanceId);
    return 1;
  }
  async purgeFinished(filter: { createdFrom: Date; createdTo: Date }): Promise<number> {
    let deleted = 0;
    for (const [id, s] of this.instances) {
      const created = Date.parse(s.createdTime);
      if (created < filter.createdFrom.getTime() || created > filter.createdTo.getTime()) continue;
      if (['Completed', 'Failed', 'Terminated'].includes(s.runtimeStatus)) deleted += await this.purge(id);
    }
    return deleted;
  }
  signals: { entityName: string; key: string; operation: string; input: unknown }[] = [];
  async signalEntity(entity: { name: string }, key: string, operation: string, ...input: unknown[]): Promise<void> {
    this.signals.push({ entityName: entity.name, key, operation, input: input[0] });
    this.runEntity(entity.name, key, operation, input[0]);
  }
  async readEntityState<S>(entity: { name: string }, key: string): Promise<S | undefined> {
    return structuredClone(this.entityStates.get(`${entity.name}@${key}`)) as S | undefined;
  }
  async listInstances(): Promise<InstanceStatus[]> {
    return [...this.instances.values()];
  }
}
