import type { Logger } from '../../src/logging/logger';
import type { CoreBinding, CapturedFunction } from '../functions-core/types';
import type { DurableEngine } from './engine';
import type { AppFunctions } from './functions';
import { iso } from './history';
import { durableClientBindingName, errorMessage, triggerBinding, type FunctionInvoker, type TypedData } from './invoke';
import { parseNcrontab, type Schedule } from './ncrontab';
import type { HostStore, QueueMessageRow } from './store';

export interface HostClock {
  readonly kind: 'real' | 'virtual';
  now(): number;
  /** virtual clock only: moves time forward (never back) */
  set(ms: number): void;
}

export function createClock(kind: 'real' | 'virtual', start = Date.now()): HostClock {
  if (kind === 'real') {
    return {
      kind,
      now: () => Date.now(),
      set: () => {
        throw new Error('advance() needs the virtual clock');
      },
    };
  }
  let current = start;
  return {
    kind,
    now: () => current,
    set: (ms) => {
      current = Math.max(current, ms);
    },
  };
}

interface CronTrigger {
  fn: CapturedFunction;
  trigger: CoreBinding;
  schedule: Schedule;
  last: number | undefined;
  nextAt: number;
}

export interface DispatcherOptions {
  /** Service Bus default: a message is dead-lettered on its 10th failed delivery */
  maxDeliveryCount: number;
  /** the durable client binding payload handed to client functions */
  clientData: () => unknown;
}

/**
 * Decides what runs when: due orchestration episodes (one at a time per instance), activities,
 * entity batches (one at a time per entity), queue deliveries and timer triggers. Everything it
 * runs reads its work from the store, so after a restart it simply continues.
 */
export class Dispatcher {
  private readonly instancesInFlight = new Set<string>();
  private readonly activitiesInFlight = new Set<number>();
  private readonly entitiesInFlight = new Set<string>();
  private readonly messagesInFlight = new Set<number>();
  private readonly cron: CronTrigger[];
  private readonly queues: string[];
  private running = 0;
  private passScheduled = false;
  private stopped = false;
  private wake: NodeJS.Timeout | undefined;
  private idleWaiters: (() => void)[] = [];
  private stopWaiters: (() => void)[] = [];

  constructor(
    private readonly engine: DurableEngine,
    private readonly store: HostStore,
    private readonly functions: AppFunctions,
    private readonly invoker: FunctionInvoker,
    private readonly clock: HostClock,
    private readonly logger: Logger,
    private readonly options: DispatcherOptions,
  ) {
    const now = clock.now();
    this.cron = functions.timers.map(({ fn, trigger, schedule }) => {
      let parsed: Schedule;
      try {
        parsed = parseNcrontab(schedule);
      } catch (error) {
        // the Functions host refuses to load such an app: so does this one, naming the function
        throw new Error(`Timer trigger '${fn.metadata.name}': ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
      return { fn, trigger, schedule: parsed, last: undefined, nextAt: parsed.next(now) };
    });
    this.queues = functions.queueNames();
  }

  /** Asks for a pass soon; cheap to call after every change. */
  kick(): void {
    if (this.passScheduled || this.stopped) return;
    this.passScheduled = true;
    setImmediate(() => this.pass());
  }

  /** Resolves once nothing is runnable at the current time (only future timers remain). */
  idle(): Promise<void> {
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve);
      this.kick();
    });
  }

  /** The next moment something becomes due, if any. */
  nextDue(): number | undefined {
    const now = this.clock.now();
    const times = [this.store.nextDueAfter(now, this.queues), ...this.cron.map((c) => c.nextAt)].filter((t): t is number => t !== undefined);
    return times.length ? Math.min(...times) : undefined;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.wake) clearTimeout(this.wake);
    if (this.running > 0) await new Promise<void>((resolve) => this.stopWaiters.push(resolve));
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private pass(): void {
    this.passScheduled = false;
    if (this.stopped) return;
    const now = this.clock.now();
    try {
      for (const instanceId of this.store.inbox.dueInstanceIds(now, 1000)) {
        if (this.instancesInFlight.has(instanceId)) continue;
        this.instancesInFlight.add(instanceId);
        this.track(`episode ${instanceId}`, () => this.engine.runEpisode(instanceId), () => this.instancesInFlight.delete(instanceId));
      }
      for (const work of this.store.activities.pending(256, this.activitiesInFlight)) {
        this.activitiesInFlight.add(work.id);
        this.track(`activity ${work.name}`, () => this.engine.runActivity(work), () => this.activitiesInFlight.delete(work.id));
      }
      for (const entityId of this.store.entities.dueEntityIds(now, 1000)) {
        if (this.entitiesInFlight.has(entityId)) continue;
        this.entitiesInFlight.add(entityId);
        this.track(`entity ${entityId}`, () => this.engine.runEntityBatch(entityId), () => this.entitiesInFlight.delete(entityId));
      }
      for (const message of this.store.queues.due(this.queues, now, 100)) {
        if (this.messagesInFlight.has(message.id)) continue;
        this.messagesInFlight.add(message.id);
        this.track(`queue ${message.queue}`, () => this.deliver(message), () => this.messagesInFlight.delete(message.id));
      }
      for (const c of this.cron) {
        if (c.nextAt > now) continue;
        const last = c.last;
        c.last = c.nextAt;
        c.nextAt = c.schedule.next(now);
        this.track(`timer ${c.fn.metadata.name}`, () => this.fireTimer(c, last), () => undefined);
      }
    } catch (error) {
      this.logger.error({ err: error }, 'local host dispatch failed');
    }
    if (this.running === 0) {
      for (const resolve of this.idleWaiters.splice(0)) resolve();
      this.armWake();
    }
  }

  private track(what: string, work: () => Promise<unknown>, done: () => void): void {
    this.running++;
    work()
      .catch((error: unknown) => this.logger.error({ err: error, work: what }, 'local host work failed'))
      .finally(() => {
        done();
        this.running--;
        if (this.stopped && this.running === 0) for (const resolve of this.stopWaiters.splice(0)) resolve();
        this.kick();
      });
  }

  /** With the real clock, sleeps until the next due item; the virtual clock is moved by advance(). */
  private armWake(): void {
    if (this.clock.kind !== 'real' || this.stopped) return;
    if (this.wake) clearTimeout(this.wake);
    const next = this.nextDue();
    if (next === undefined) return;
    const delay = Math.min(Math.max(0, next - this.clock.now()), 2 ** 31 - 1);
    this.wake = setTimeout(() => this.kick(), delay);
  }

  private async fireTimer(c: CronTrigger, last: number | undefined): Promise<void> {
    const [name] = triggerBinding(c.fn);
    const timer = {
      Schedule: { AdjustForDST: true },
      ScheduleStatus: { Last: iso(last ?? c.last ?? this.clock.now()), Next: iso(c.nextAt), LastUpdated: iso(this.clock.now()) },
      IsPastDue: false,
    };
    await this.invoker.invoke(c.fn, [{ name, data: { json: JSON.stringify(timer) } }, ...this.clientInput(c.fn)]);
  }

  /** At-least-once delivery with a lock per message, bounded redelivery and a dead-letter list. */
  private async deliver(message: QueueMessageRow): Promise<void> {
    const consumer = this.functions.serviceBus.find((s) => s.queueName === message.queue);
    if (!consumer) return;
    const deliveryCount = message.deliveryCount + 1;
    // counted before the handler runs, so a crash mid-delivery counts as a delivery (as a lock loss does)
    this.store.queues.abandon(message.id, deliveryCount, message.visibleAt);
    const [name] = triggerBinding(consumer.fn);
    const parsed = JSON.parse(message.body) as unknown;
    const data: TypedData = typeof parsed === 'string' ? { string: parsed } : { json: message.body };
    try {
      await this.invoker.invoke(consumer.fn, [{ name, data }, ...this.clientInput(consumer.fn)], {
        MessageId: { string: String(message.id) },
        DeliveryCount: { int: deliveryCount },
        EnqueuedTimeUtc: { string: iso(message.enqueuedAt) },
      });
      this.store.queues.complete(message.id);
    } catch (error) {
      const reason = errorMessage(error);
      if (deliveryCount >= this.options.maxDeliveryCount) {
        this.store.queues.deadLetter({ ...message, deliveryCount }, `MaxDeliveryCountExceeded: ${reason}`, this.clock.now());
        this.logger.warn({ queue: message.queue, messageId: message.id, deliveryCount }, 'queue message dead-lettered');
      } else {
        this.logger.warn({ queue: message.queue, messageId: message.id, deliveryCount, error: reason }, 'queue message delivery failed; redelivering');
      }
    }
  }

  private clientInput(fn: CapturedFunction): { name: string; data: TypedData }[] {
    const name = durableClientBindingName(fn);
    return name ? [{ name, data: { string: JSON.stringify(this.options.clientData()) } }] : [];
  }
}
