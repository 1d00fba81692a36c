/**
 * A token bucket per key (a session id, a client address): `capacity` requests at once, refilled
 * at `refillPerSecond`. Made by the composition root, one per limit and app instance; nothing
 * here is module state. On Azure, API Management's `rate-limit-by-key` is the limit that holds
 * across instances (infra/apim/public.xml); this one protects an instance called directly.
 */
export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };

export interface RateLimiter {
  take(key: string): RateDecision;
}

export interface TokenBucketOptions {
  capacity: number;
  refillPerSecond: number;
  /** buckets kept; the least recently used is dropped past it (a dropped key starts full again) */
  maxKeys: number;
  now(): number;
}

export class TokenBuckets implements RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly options: TokenBucketOptions) {
    if (options.capacity < 1 || options.refillPerSecond <= 0 || options.maxKeys < 1) throw new Error('a token bucket needs a capacity, a refill rate and room for one key');
  }

  take(key: string): RateDecision {
    const { capacity, refillPerSecond, maxKeys } = this.options;
    const now = this.options.now();
    const previous = this.buckets.get(key);
    const tokens = previous ? Math.min(capacity, previous.tokens + ((now - previous.at) / 1000) * refillPerSecond) : capacity;
    // re-inserted so the map's order is least recently used first
    this.buckets.delete(key);
    if (tokens < 1) {
      this.buckets.set(key, { tokens, at: now });
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / refillPerSecond)) };
    }
    this.buckets.set(key, { tokens: tokens - 1, at: now });
    if (this.buckets.size > maxKeys) this.buckets.delete(this.buckets.keys().next().value!);
    return { ok: true };
  }
}
