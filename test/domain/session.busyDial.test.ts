import { DIAL_BUSY_LIMIT_MS } from '../../src/domain/session';
import { Driver, SETTINGS } from './driver';

/**
 * Behaviour 5: Pexip refusing a dial for now (its management rate limit, a 5xx) costs the citizen
 * time, not one of the dial attempts: at 1,000 calls three quick refusals inside one rate-limit
 * window ended sessions `dial_failed` that Pexip would have dialled a minute later.
 */
const dials = (d: Driver) => d.commands.filter((c) => c.type === 'dial_queue');

describe('a dial Pexip refuses for now (behaviour 5)', () => {
  it('is tried again after Retry-After as the same attempt, and the session goes on to the queue', () => {
    const d = new Driver({ ...SETTINGS, version: 5 });
    d.event({ type: 'citizen_joined' });
    for (let refusal = 0; refusal < 6; refusal++) {
      d.input({ kind: 'dial_result', attempt: 1, ok: false, reason: 'Pexip dial: rate limited (429)', busy: true, retryAfterSeconds: 20 });
      expect(d.state.outcome).toBeUndefined();
      // nothing before Pexip's Retry-After, the same attempt once it has passed
      expect(d.advance(19_000).filter((c) => c.type === 'dial_queue')).toEqual([]);
      expect(d.advance(1_000).filter((c) => c.type === 'dial_queue')).toEqual([{ type: 'dial_queue', attempt: 1 }]);
    }
    d.dialPlaced('p-sip');
    d.event({ type: 'sip_leg_connected', participantId: 'p-sip' });
    d.event({ type: 'queued' });
    expect(d.state.stage).toBe('queued');
    expect(d.state.dial.attempts).toBe(1);
  });

  it('counts as a failed attempt once Pexip has refused the session for five minutes: a Pexip outage ends in dial_failed, not an endless wait', () => {
    const d = new Driver({ ...SETTINGS, version: 5 });
    d.event({ type: 'citizen_joined' });
    let refusals = 0;
    while (d.state.dial.attempts === 1 && !d.state.outcome && refusals < 100) {
      d.input({ kind: 'dial_result', attempt: 1, ok: false, reason: 'Pexip 503', busy: true });
      refusals += 1;
      d.advance(10_000);
    }
    // one refusal per 10 s step (each retried after the default 5 s) for five minutes, then attempt 2
    expect(refusals * 10_000).toBeGreaterThanOrEqual(DIAL_BUSY_LIMIT_MS);
    expect(refusals * 10_000).toBeLessThan(DIAL_BUSY_LIMIT_MS + 20_000);
    expect(dials(d).at(-1)).toEqual({ type: 'dial_queue', attempt: 2 });
    // the five minutes are the dial's, not each attempt's: the next refusals are failed attempts at once
    d.input({ kind: 'dial_result', attempt: 2, ok: false, reason: 'Pexip 503', busy: true });
    expect(d.advance(10_000).filter((c) => c.type === 'dial_queue')).toEqual([{ type: 'dial_queue', attempt: 3 }]);
    d.input({ kind: 'dial_result', attempt: 3, ok: false, reason: 'Pexip 503', busy: true });
    expect(d.state.outcome).toBe('dial_failed');
  });

  it('a refusal that is not for now (not busy) still spends the attempt', () => {
    const d = new Driver({ ...SETTINGS, version: 5 });
    d.event({ type: 'citizen_joined' });
    d.input({ kind: 'dial_result', attempt: 1, ok: false, reason: 'Pexip 400: bad alias' });
    expect(d.advance(10_000).filter((c) => c.type === 'dial_queue')).toEqual([{ type: 'dial_queue', attempt: 2 }]);
  });

  it('a session started on behaviour 4 replays as it ran: a busy refusal is a spent attempt', () => {
    const d = new Driver({ ...SETTINGS, version: 4 });
    d.event({ type: 'citizen_joined' });
    for (const attempt of [1, 2, 3]) {
      if (attempt > 1) d.advance(10_000);
      d.input({ kind: 'dial_result', attempt, ok: false, reason: 'Pexip 429', busy: true, retryAfterSeconds: 20 });
    }
    expect(d.state.outcome).toBe('dial_failed');
  });
});
