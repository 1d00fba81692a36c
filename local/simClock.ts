/**
 * Simulated vendor time. The simulators' rules run on seconds and minutes (Pexip's 90 s config
 * propagation and 60 s after the last host, Genesys's answer delays and abandons, token expiry);
 * tests pass a ManualClock and advance it instead of waiting.
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
  /** Moves time forward, firing due timers in time order (timers set by timers included; ties in the order set). */
  advance(ms: number): void;
  set(epochMs: number): void;
}

export function manualClockAt(startMs: number): ManualClock {
  let current = startMs;
  let nextId = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  const clock: ManualClock = {
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
    set(epochMs) {
      clock.advance(Math.max(0, epochMs - current));
    },
  };
  return clock;
}
