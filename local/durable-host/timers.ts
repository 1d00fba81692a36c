import { allocate, type Book, type Changes, type Entry } from './book';
import type { EngineOptions } from './engineContext';
import { event, EventType, iso } from './history';
import type { HostStore, InstanceRow } from './store';

/**
 * Durable timers as the extension writes them (§5): a timer longer than the maximum becomes
 * interval-long segments then the remainder, each with its own number; a cancelled timer is
 * removed; a retried task waits on a hidden timer (DTFx RetryInterceptor, §4).
 */

function queueFire(store: HostStore, instance: InstanceRow, seq: number, fireAt: number, changes: Changes): void {
  const { instanceId, executionId } = instance;
  changes.work.push(() => store.inbox.add(instanceId, executionId, fireAt, event(EventType.TimerFired, -1, fireAt, { TimerId: seq, FireAt: iso(fireAt) }), seq));
}

/** A new CreateTimer action numbered `seq`: its first segment, or the whole timer when short. */
export function createTimer(
  store: HostStore,
  options: EngineOptions,
  instance: InstanceRow,
  entry: Entry,
  seq: number,
  action: { fireAt?: string; isCanceled?: boolean },
  changes: Changes,
  now: number,
): void {
  const fireAt = Date.parse(String(action.fireAt));
  // DF turns a timer longer than the maximum into segments and expects them one by one
  let segment = fireAt;
  if (fireAt - now > options.maximumShortTimerMs) {
    entry.finalFireAt = fireAt;
    segment = now + options.longRunningTimerIntervalMs;
  }
  changes.events.push(event(EventType.TimerCreated, seq, now, { FireAt: iso(segment) }));
  if (action.isCanceled) {
    entry.canceled = true;
  } else {
    entry.open = true;
    queueFire(store, instance, seq, segment, changes);
  }
}

/** A hidden timer for the entry at `index` (retry wait or next segment), with a number of its own. */
export function scheduleHiddenTimer(store: HostStore, instance: InstanceRow, book: Book, index: number, fireAt: number, changes: Changes, now: number): void {
  const seq = allocate(book, index);
  book.entries[index]!.current = seq;
  changes.events.push(event(EventType.TimerCreated, seq, now, { FireAt: iso(fireAt) }));
  queueFire(store, instance, seq, fireAt, changes);
}

/** Where the next segment of a split timer ends, or undefined when the timer is done. */
export function nextSegment(entry: Entry, now: number, options: EngineOptions): number | undefined {
  if (entry.finalFireAt === undefined || entry.finalFireAt <= now) return undefined;
  const remaining = entry.finalFireAt - now;
  return remaining > options.maximumShortTimerMs ? now + options.longRunningTimerIntervalMs : entry.finalFireAt;
}

/** The orchestrator cancelled the timer: it never fires and no longer keeps the instance Running. */
export function cancelTimer(store: HostStore, instance: InstanceRow, entry: Entry, changes: Changes): void {
  if (entry.canceled) return;
  entry.canceled = true;
  if (!entry.open) return;
  entry.open = false;
  const seq = entry.current;
  const { instanceId, executionId } = instance;
  changes.work.push(() => store.inbox.deleteTimer(instanceId, executionId, seq));
}

/** DTFx RetryInterceptor: the wait after failed attempt `failures` (from 1); 0 after the last. */
export function retryDelay(retry: NonNullable<Entry['retry']>): number {
  const o = retry.options;
  if (retry.failures >= o.maxNumberOfAttempts) return 0;
  const max = o.maxRetryIntervalInMilliseconds && o.maxRetryIntervalInMilliseconds > 0 ? o.maxRetryIntervalInMilliseconds : Number.POSITIVE_INFINITY;
  return Math.min(o.firstRetryIntervalInMilliseconds * Math.pow(o.backoffCoefficient || 1, retry.failures - 1), max);
}
