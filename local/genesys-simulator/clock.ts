/**
 * The simulator's time (same shape as the Pexip simulator's): answer delays, abandons and token
 * expiry run on it, so tests pass a manual clock and advance it instead of waiting.
 */
export interface SimClock {
  now(): number;
  setTimer(ms: number, fn: () => void): { cancel(): void };
}

export function realClock(): SimClock {
  return {
    now: () => Date.now(),
    setTimer(ms, fn) {
      const handle = setTimeout(fn, ms);
      handle.unref?.();
      return { cancel: () => clearTimeout(handle) };
    },
  };
}

export interface ManualClock extends SimClock {
  /** Moves time forward, firing due timers in time order (timers set by timers included). */
  advance(ms: number): void;
}

export function manualClock(startMs = Date.UTC(2026, 0, 5, 18, 0, 0)): ManualClock {
  let current = startMs;
  let nextId = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  return {
    now: () => current,
    setTimer(ms, fn) {
      const id = nextId++;
      timers.set(id, { at: current + Math.max(0, ms), fn });
      return { cancel: () => void timers.delete(id) };
    },
    advance(ms) {
      const target = current + Math.max(0, ms);
      for (;;) {
        let dueId: number | undefined;
        let due: { at: number; fn: () => void } | undefined;
        for (const [id, t] of timers) if (t.at <= target && (!due || t.at < due.at || (t.at === due.at && id < dueId!))) [dueId, due] = [id, t];
        if (!due || dueId === undefined) break;
        timers.delete(dueId);
        current = Math.max(current, due.at);
        due.fn();
      }
      current = target;
    },
  };
}
