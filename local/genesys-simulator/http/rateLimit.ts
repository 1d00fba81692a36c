import type { SimClock } from '../clock';
import { HttpError } from './errors';

/** Genesys's documented default: 300 API requests per minute per OAuth token, and 300 token grants a minute per client. */
export const GENESYS_DEFAULT_LIMIT_PER_MINUTE = 300;

export interface RateLimitSettings {
  /** API requests per minute per access token */
  requestsPerMinute: number;
  /** token grants per minute per OAuth client (defaults to `requestsPerMinute`) */
  tokenGrantsPerMinute?: number;
}

const WINDOW_MS = 60_000;

/**
 * Fixed one-minute windows per key (a token, or a client for grants), as Genesys counts them: the
 * request over the limit gets 429 with `Retry-After` (whole seconds until the window ends) and
 * Genesys's `ErrorBody` naming the limit. Keys whose window ended are forgotten on the next check.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { startedAt: number; count: number }>();
  /** requests refused so far, for the control API's state */
  refused = 0;

  constructor(
    private readonly clock: SimClock,
    private settings: RateLimitSettings | undefined,
  ) {}

  configure(settings: RateLimitSettings | undefined): void {
    this.settings = settings;
    this.windows.clear();
  }

  get current(): RateLimitSettings | undefined {
    return this.settings;
  }

  /** Counts an API request on `token`; throws the 429 when over the limit. */
  request(token: string): void {
    if (this.settings) this.take(`token:${token}`, this.settings.requestsPerMinute, 'token.rate.per.minute');
  }

  /** Counts a token grant for `clientId`. */
  grant(clientId: string): void {
    if (this.settings) this.take(`client:${clientId}`, this.settings.tokenGrantsPerMinute ?? this.settings.requestsPerMinute, 'client.credentials.token.rate.per.minute');
  }

  private take(key: string, limit: number, limitKey: string): void {
    const now = this.clock.now();
    if (this.windows.size > 10_000) for (const [k, w] of this.windows) if (now - w.startedAt >= WINDOW_MS) this.windows.delete(k);
    let window = this.windows.get(key);
    if (!window || now - window.startedAt >= WINDOW_MS) {
      window = { startedAt: now, count: 0 };
      this.windows.set(key, window);
    }
    window.count++;
    if (window.count <= limit) return;
    this.refused++;
    const retryAfter = Math.max(1, Math.ceil((window.startedAt + WINDOW_MS - now) / 1000));
    throw new RateLimitError(retryAfter, limit, limitKey);
  }
}

export class RateLimitError extends HttpError {
  constructor(
    readonly retryAfter: number,
    readonly limit: number,
    readonly limitKey: string,
  ) {
    super(429, 'too.many.requests', `Rate limit exceeded the maximum. Retry the request in [${retryAfter}] seconds`, { 'retry-after': String(retryAfter) }, {
      limit: { key: limitKey, namespace: 'platform.api', value: limit },
    });
  }
}
