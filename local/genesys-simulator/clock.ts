import { manualClockAt, type ManualClock } from '../simClock';

export { realClock, type ManualClock, type SimClock } from '../simClock';

/** A manual clock for the Genesys simulator's tests; it starts on a Monday, 10:00 Pacific (the flow is open). */
export function manualClock(startMs = Date.UTC(2026, 0, 5, 18, 0, 0)): ManualClock {
  return manualClockAt(startMs);
}
