import type { Logger } from '../../logging/logger';
import { DEFAULT_RETRY, defaultSleep, retryDelayMs, type RetryPolicy } from '../retry';
import { createIsolatedApiClient, type SdkApiClient } from './sdk';

/** A Genesys call that failed, reduced to what is safe to keep (never headers: they hold tokens). */
export class GenesysApiError extends Error {
  override readonly name = 'GenesysApiError';
  constructor(
    readonly operation: string,
    /** HTTP status; 0 when no response arrived (timeout, connection refused) */
    readonly status: number,
    readonly code: string | undefined,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(`Genesys ${operation} failed: ${status || 'no response'}${code ? ` ${code}` : ''}: ${message}`);
  }

  /** Worth another try: no response, rate limited, or a server-side failure. */
  get transient(): boolean {
    return this.status === 0 || this.status === 429 || this.status === 408 || this.status >= 500;
  }
}

/** The SDK rejects with `{status, headers, body}` (extended responses) or a bare axios error. */
export function toGenesysError(operation: string, error: unknown): GenesysApiError {
  if (error instanceof GenesysApiError) return error;
  const e = (error ?? {}) as Record<string, unknown>;
  const response = (e.response ?? undefined) as Record<string, unknown> | undefined;
  const status = Number(e.status ?? response?.status ?? 0) || 0;
  const body = (e.body ?? response?.data ?? {}) as Record<string, unknown>;
  const headers = (e.headers ?? response?.headers ?? {}) as Record<string, unknown>;
  const retryAfter = Number(headers['retry-after'] ?? headers['Retry-After']);
  const code = typeof body.code === 'string' ? body.code : typeof e.code === 'string' ? e.code : undefined;
  const message =
    typeof body.message === 'string' ? body.message : typeof e.message === 'string' ? e.message : 'unexpected error';
  return new GenesysApiError(operation, status, code, message, Number.isFinite(retryAfter) ? retryAfter : undefined);
}

export interface ServiceClientOptions {
  region: string;
  apiBaseUrl: string | undefined;
  credentials: { clientId: string; clientSecret: string };
  logger: Logger;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  timeoutMs?: number;
  /** the shared retry policy (src/adapters/retry.ts); each field defaults to DEFAULT_RETRY */
  retry?: Partial<RetryPolicy>;
  /** jitter source, for tests */
  random?: () => number;
  /** log in again this long before the token's announced expiry */
  refreshMarginMs?: number;
}

/** MaxConf's own Genesys session: one isolated SDK client holding the client-credentials token. */
export interface GenesysServiceClient {
  /** Runs `fn` with a logged-in client; re-logs in on 401, waits out 429, retries 5xx and timeouts. */
  call<T>(operation: string, fn: (client: SdkApiClient) => Promise<T>): Promise<T>;
  readonly sdk: SdkApiClient;
}

/** Unwraps an extended SDK response (`setReturnExtendedResponses(true)`). */
export function bodyOf<T>(response: unknown): T {
  const r = response as { body?: unknown } | undefined;
  return (r && typeof r === 'object' && 'body' in r ? r.body : r) as T;
}

export function createServiceClient(options: ServiceClientOptions): GenesysServiceClient {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? defaultSleep;
  const retry: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
  const margin = options.refreshMarginMs ?? 60_000;
  const log = options.logger.child({ component: 'genesys-client' });
  const sdk = createIsolatedApiClient({
    region: options.region,
    apiBaseUrl: options.apiBaseUrl,
    timeoutMs: options.timeoutMs ?? 10_000,
  });
  let expiresAt = 0;
  // Single flight: concurrent calls that find the token stale share one login.
  let loggingIn: Promise<void> | undefined;

  function login(): Promise<void> {
    loggingIn ??= (async () => {
      try {
        const auth = await sdk.loginClientCredentialsGrant(options.credentials.clientId, options.credentials.clientSecret);
        expiresAt = auth.tokenExpiryTime;
        log.debug({ expiresAt: new Date(expiresAt).toISOString() }, 'logged in to Genesys');
      } catch (error) {
        expiresAt = 0;
        throw toGenesysError('login', error);
      } finally {
        loggingIn = undefined;
      }
    })();
    return loggingIn;
  }

  async function ensureToken(): Promise<void> {
    if (expiresAt - margin > now()) return;
    await login();
  }

  async function call<T>(operation: string, fn: (client: SdkApiClient) => Promise<T>): Promise<T> {
    let reloggedIn = false;
    for (let attempt = 1; ; attempt++) {
      let failure: GenesysApiError;
      try {
        await ensureToken();
        return await fn(sdk);
      } catch (error) {
        failure = toGenesysError(operation, error);
      }
      if (failure.status === 401 && failure.operation !== 'login' && !reloggedIn) {
        // The token was revoked or expired early: one fresh login, then the same request again.
        reloggedIn = true;
        expiresAt = 0;
        attempt--;
        continue;
      }
      if (!failure.transient) throw failure;
      // a 429 without Retry-After still pauses a second: Genesys's limits are per minute
      const asked = failure.status === 429 ? (failure.retryAfterSeconds ?? 1) * 1000 : undefined;
      const delay = retryDelayMs(retry, attempt, { retryAfterMs: asked, ...(options.random ? { random: options.random } : {}) });
      if (delay === undefined) {
        if (failure.status === 429) log.warn({ operation, attempt, metric: 'vendor_429', vendor: 'genesys' }, 'Genesys rate limit: retries exhausted');
        throw failure;
      }
      log.warn({ operation, status: failure.status, code: failure.code, attempt, delayMs: delay, ...(failure.status === 429 ? { metric: 'vendor_429', vendor: 'genesys' } : {}) }, 'Genesys call will be retried');
      await sleep(delay);
    }
  }

  return { call, sdk };
}
