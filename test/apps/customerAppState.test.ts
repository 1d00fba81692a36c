import { endedWordingOf, OUTCOMES, pollDelayMs, rejoinDelayMs, retriesUnpropagatedRoom, retryAfterSeconds, ROOM_PROPAGATION_WAIT_MS, screenOf, shownPosition, waitingStepOf, waitMinutes, withinGrace } from '../../apps/customer-app/src/citizenState';
import { WORDS } from '../../apps/customer-app/src/i18n';
import { OUTCOMES as SESSION_OUTCOMES } from '../../src/domain/session';

describe('the Customer App: which screen a session phase shows', () => {
  it.each([
    ['waiting_for_citizen', 'waiting'],
    ['dialing', 'waiting'],
    ['queued', 'waiting'],
    ['reconnecting', 'reconnecting'],
    ['in_call', 'in-call'],
    ['ending', 'ended'],
    ['ended', 'ended'],
  ] as const)('%s → %s', (phase, screen) => {
    expect(screenOf(phase, false)).toBe(screen);
  });

  it('the page rejoining after its own drop shows reconnecting, whatever the server still says; an ended session still ends', () => {
    expect(screenOf('in_call', true)).toBe('reconnecting');
    expect(screenOf('queued', true)).toBe('reconnecting');
    expect(screenOf('ended', true)).toBe('ended');
  });

  it('the waiting words follow the phase', () => {
    expect(waitingStepOf('waiting_for_citizen')).toBe('connecting');
    expect(waitingStepOf('dialing')).toBe('calling');
    expect(waitingStepOf('queued')).toBe('queued');
  });
});

describe('the queue position shown never rises', () => {
  it('takes the lowest position reported so far', () => {
    let shown: number | undefined;
    const seen = [7, 5, 6, 6, 3, 9, 2].map((reported) => (shown = shownPosition(shown, reported)));
    expect(seen).toEqual([7, 5, 5, 5, 3, 3, 2]);
  });

  it('keeps the last position while the server reports none, and ignores nonsense', () => {
    expect(shownPosition(4, undefined)).toBe(4);
    expect(shownPosition(4, 0)).toBe(4);
    expect(shownPosition(4, 2.5)).toBe(4);
    expect(shownPosition(undefined, undefined)).toBeUndefined();
  });

  it('an estimated wait reads in whole minutes, at least one', () => {
    expect(waitMinutes(20)).toBe(1);
    expect(waitMinutes(150)).toBe(3);
    expect(waitMinutes(undefined)).toBeUndefined();
    expect(waitMinutes(-5)).toBeUndefined();
  });
});

describe('polling at the server-given interval', () => {
  it('waits what the server says, within 2 … 60 s', () => {
    expect(pollDelayMs({ pollAfterSeconds: 5 })).toBe(5000);
    expect(pollDelayMs({ pollAfterSeconds: 0 })).toBe(2000);
    expect(pollDelayMs({ pollAfterSeconds: 3600 })).toBe(60_000);
  });

  it('a 429 waits its Retry-After, even past the usual interval', () => {
    expect(pollDelayMs({ pollAfterSeconds: 5, retryAfterSeconds: 30 })).toBe(30_000);
  });

  it('without an answer it backs off 2, 4, 8 … 60 s', () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((failures) => pollDelayMs({ failures }))).toEqual([2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000]);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-12-01T12:00:00Z');
    expect(retryAfterSeconds('12', now)).toBe(12);
    expect(retryAfterSeconds('Tue, 01 Dec 2026 12:00:30 GMT', now)).toBe(30);
    expect(retryAfterSeconds('soon', now)).toBeUndefined();
    expect(retryAfterSeconds(null, now)).toBeUndefined();
  });
});

describe('rejoining after a drop', () => {
  it('tries after 1, 2, 4, 8 s, then every 10 s', () => {
    expect([1, 2, 3, 4, 5, 9].map(rejoinDelayMs)).toEqual([1000, 2000, 4000, 8000, 10_000, 10_000]);
  });

  it('only within the grace', () => {
    expect(withinGrace(0, 119_999, 120)).toBe(true);
    expect(withinGrace(0, 120_000, 120)).toBe(false);
  });
});

describe('the outcome in plain words', () => {
  it('the page knows exactly the outcomes the session machine records (the app keeps its own copy, not the domain module)', () => {
    expect([...OUTCOMES]).toEqual([...SESSION_OUTCOMES]);
  });

  it('every outcome the session can record has its own words in English and French', () => {
    for (const outcome of OUTCOMES) {
      const wording = endedWordingOf(outcome);
      expect(wording).not.toBe('unknown');
      expect(WORDS.en.ended[wording]).toBeTruthy();
      expect(WORDS.fr.ended[wording]).toBeTruthy();
      expect(WORDS.fr.ended[wording]).not.toBe(WORDS.en.ended[wording]);
    }
  });

  it('a citizen who left is told so; one who dropped past the grace is told the connection was lost', () => {
    expect(WORDS.en.ended[endedWordingOf('citizen_left')]).toMatch(/You left the call/);
    expect(WORDS.en.ended[endedWordingOf('citizen_left', true)]).toMatch(/connection was lost/);
    expect(WORDS.en.ended[endedWordingOf(undefined, true)]).toMatch(/connection was lost/);
    expect(WORDS.en.ended[endedWordingOf('completed')]).toMatch(/finished/);
    expect(WORDS.en.ended[endedWordingOf('queue_timeout')]).toMatch(/No agent/);
  });
});

describe('a join the conference node refuses with 404 (a room not propagated yet)', () => {
  it('is tried again within the propagation wait while the session runs, and given up once it has ended or the wait is over', () => {
    const t0 = 1_000_000;
    expect(retriesUnpropagatedRoom(t0, t0 + 5_000, false)).toBe(true);
    expect(retriesUnpropagatedRoom(t0, t0 + ROOM_PROPAGATION_WAIT_MS - 1, false)).toBe(true);
    expect(retriesUnpropagatedRoom(t0, t0 + ROOM_PROPAGATION_WAIT_MS, false)).toBe(false);
    expect(retriesUnpropagatedRoom(t0, t0 + 5_000, true)).toBe(false);
  });
});
