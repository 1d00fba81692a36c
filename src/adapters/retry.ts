/**
 * The one retry policy of the vendor clients (src/adapters/pexip/http.ts and
 * src/adapters/genesys/client.ts): exponential backoff with full jitter, a bounded number of
 * attempts, and a server's Retry-After honoured when it is short enough to wait out. What is
 * worth retrying (which status, whether a request may be repeated) stays with each client; when
 * and how long to wait is decided here, the same way for both.
 */
export interface RetryPolicy {
  /** attempts per call, the first included */
  maxAttempts: number;
  /** ceiling of the first back-off; doubles per attempt */
  baseDelayMs: number;
  /** no back-off ceiling grows past this */
  maxDelayMs: number;
  /** a Retry-After longer than this is not waited out: the call fails (retryable) and its caller retries later */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 250, maxDelayMs: 5_000, maxRetryAfterMs: 30_000 };

/** Full jitter (AWS architecture blog, "Exponential Backoff And Jitter"): uniform in [0, min(max, base·2^(attempt-1))). */
export function backoffMs(policy: RetryPolicy, attempt: number, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1)));
}

/**
 * How long to wait before the attempt after `attempt` failed retryably, or undefined to give up:
 * the attempts are used up, or the server asked for a longer pause than the policy waits out.
 * A Retry-After is a floor: the wait is never shorter than what the server asked for.
 */
export function retryDelayMs(policy: RetryPolicy, attempt: number, options: { retryAfterMs?: number | undefined; random?: () => number } = {}): number | undefined {
  if (attempt >= policy.maxAttempts) return undefined;
  const backoff = backoffMs(policy, attempt, options.random);
  if (options.retryAfterMs === undefined) return backoff;
  if (options.retryAfterMs > policy.maxRetryAfterMs) return undefined;
  return Math.max(options.retryAfterMs, backoff);
}

/** A Retry-After header (delta-seconds or an HTTP date) in milliseconds from `now`; undefined when absent or unreadable. */
export function retryAfterMs(value: string | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export const defaultSleep = (ms: number): Promise<void> => new Promise<void>((resolve) => setTimeout(resolve, ms));
