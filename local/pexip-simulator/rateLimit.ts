import type { SimClock } from './clock';
import { HttpError } from './http';

export interface RateLimit {
  requests: number;
  perMs: number;
}

/**
 * A token bucket over the management API (configuration, status, command): `requests` per
 * `perMs`, bursts up to `requests`. Over the limit it answers 429 with `Retry-After` (whole
 * seconds until one request is allowed again), as a rate-limited Pexip management node would.
 */
export class RateLimiter {
  private tokens: number;
  private updatedAt: number;
  private limited = 0;

  constructor(
    private readonly clock: SimClock,
    private limit: RateLimit | undefined,
  ) {
    this.tokens = limit?.requests ?? 0;
    this.updatedAt = clock.now();
  }

  set(limit: RateLimit | undefined): void {
    this.limit = limit;
    this.tokens = limit?.requests ?? 0;
    this.updatedAt = this.clock.now();
  }

  /** how many requests have been answered 429 */
  get rejected(): number {
    return this.limited;
  }

  take(): void {
    const limit = this.limit;
    if (!limit) return;
    const now = this.clock.now();
    const rate = limit.requests / limit.perMs;
    this.tokens = Math.min(limit.requests, this.tokens + (now - this.updatedAt) * rate);
    this.updatedAt = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return;
    }
    this.limited += 1;
    const retryAfter = Math.max(1, Math.ceil((1 - this.tokens) / rate / 1000));
    throw new HttpError(429, { error: 'Too many requests' }, { 'retry-after': String(retryAfter) });
  }
}
