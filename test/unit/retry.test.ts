import { backoffMs, DEFAULT_RETRY, retryAfterMs, retryDelayMs } from '../../src/adapters/retry';

describe('the vendor clients\' retry policy', () => {
  const policy = { maxAttempts: 4, baseDelayMs: 250, maxDelayMs: 1_000, maxRetryAfterMs: 30_000 };

  it('backs off exponentially with full jitter, capped', () => {
    expect([1, 2, 3, 4, 5].map((attempt) => backoffMs(policy, attempt, () => 0.999))).toEqual([249, 499, 999, 999, 999]);
    expect(backoffMs(policy, 3, () => 0)).toBe(0);
    expect(backoffMs(policy, 2, () => 0.5)).toBe(250);
  });

  it('gives up when the attempts are used up', () => {
    expect(retryDelayMs(policy, 3, { random: () => 0.5 })).toBe(500);
    expect(retryDelayMs(policy, 4, { random: () => 0.5 })).toBeUndefined();
  });

  it('waits at least what Retry-After asks, and not at all when it asks for too long', () => {
    expect(retryDelayMs(policy, 1, { retryAfterMs: 2_000, random: () => 0.5 })).toBe(2_000);
    expect(retryDelayMs(policy, 3, { retryAfterMs: 10, random: () => 0.5 })).toBe(500);
    expect(retryDelayMs(policy, 1, { retryAfterMs: 30_001 })).toBeUndefined();
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-12-01T12:00:00Z');
    expect(retryAfterMs('3', now)).toBe(3_000);
    expect(retryAfterMs('Tue, 01 Dec 2026 12:00:05 GMT', now)).toBe(5_000);
    expect(retryAfterMs('Tue, 01 Dec 2026 11:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(undefined, now)).toBeUndefined();
  });

  it('defaults to four attempts from a 250 ms back-off', () => {
    expect(DEFAULT_RETRY).toMatchObject({ maxAttempts: 4, baseDelayMs: 250 });
  });
});
