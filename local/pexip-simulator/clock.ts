import { manualClockAt, type ManualClock } from '../simClock';

export { realClock, type ManualClock, type SimClock } from '../simClock';

/** A manual clock for the Pexip simulator's tests; it starts on a Monday, 09:00 Pacific. */
export function manualClock(startMs = Date.UTC(2026, 0, 5, 17, 0, 0)): ManualClock {
  return manualClockAt(startMs);
}
