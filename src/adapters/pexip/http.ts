import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import type { PexipAuth } from '../../config';
import type { Logger } from '../../logging/logger';
import { DEFAULT_RETRY, defaultSleep, retryAfterMs, retryDelayMs, type RetryPolicy } from '../retry';
import { authProvider, type PexipAuthProvider } from './auth';
import { PexipError } from './errors';

export interface PexipHttpOptions {
  baseUrl: string;
  auth: PexipAuth;
  logger: Logger;
  /** per attempt */
  timeoutMs?: number;
  /** attempts, back-off and the longest Retry-After waited out (src/adapters/retry.ts); each defaults to DEFAULT_RETRY */
  retry?: Partial<RetryPolicy>;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  now?: () => number;
}

export interface PexipRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** path below the base URL, e.g. `/api/admin/configuration/v1/conference/` */
  path: string;
  params?: Record<string, string | number>;
  data?: unknown;
  /**
   * Whether repeating the request is harmless. A non-idempotent request (create, dial) is retried
   * only when it certainly never reached Pexip (connection refused, 429), so a timeout never
   * creates a second room or places a second call.
   */
  idempotent: boolean;
  /** what the caller calls this request, for logs */
  operation: string;
}

export interface PexipResponse {
  status: number;
  data: unknown;
  headers: Record<string, string>;
}

export type PexipHttp = (request: PexipRequest) => Promise<PexipResponse>;

const NEVER_REACHED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN']);

function headersOf(response: AxiosResponse): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(response.headers ?? {})) if (v !== undefined && v !== null) out[k.toLowerCase()] = String(v);
  return out;
}

/**
 * One place where management calls are made: a timeout on every attempt, the shared retry
 * policy (src/adapters/retry.ts: backoff with full jitter on network errors and 5xx, 429 waits
 * for Retry-After), one token renewal on 401.
 * Errors come out as PexipError, never as axios errors, so nothing above knows about axios.
 */
export function createPexipHttp(options: PexipHttpOptions, client: AxiosInstance = axios.create()): PexipHttp {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const policy: RetryPolicy = { ...DEFAULT_RETRY, ...options.retry };
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const auth: PexipAuthProvider = authProvider(options.auth, options.baseUrl, client, timeoutMs, now);
  const log = options.logger.child({ component: 'pexip-client' });

  return async function send(request: PexipRequest): Promise<PexipResponse> {
    let reauthenticated = false;
    let lastError: PexipError | undefined;
    for (let attempt = 1; attempt <= policy.maxAttempts; attempt++) {
      let response: AxiosResponse;
      try {
        response = await client.request({
          baseURL: options.baseUrl,
          url: request.path,
          method: request.method,
          params: request.params,
          data: request.data,
          timeout: timeoutMs,
          headers: { authorization: await auth.header(), accept: 'application/json' },
          validateStatus: () => true,
          // a Location header is what we want from a 201; never follow redirects to other hosts
          maxRedirects: 0,
          transitional: { clarifyTimeoutError: true },
        });
      } catch (error) {
        if (error instanceof PexipError) {
          lastError = error;
          if (!error.retryable) throw error;
        } else {
          const code = (error as { code?: string }).code ?? '';
          const timedOut = code === 'ETIMEDOUT' || code === 'ECONNABORTED';
          lastError = new PexipError(
            timedOut ? 'timeout' : 'network',
            `Pexip ${request.operation}: ${timedOut ? `no answer within ${timeoutMs} ms` : `network error ${code || (error as Error).message}`}`,
            true,
          );
          if (!request.idempotent && !NEVER_REACHED.has(code)) throw lastError;
        }
        log.warn({ operation: request.operation, attempt, code: lastError.code }, 'pexip call failed');
        const delay = retryDelayMs(policy, attempt, { random });
        if (delay === undefined) break;
        await sleep(delay);
        continue;
      }

      const status = response.status;
      if (status === 401 && !reauthenticated && auth.invalidate()) {
        // an expired or revoked token: renew once and repeat without counting an attempt
        reauthenticated = true;
        attempt--;
        continue;
      }
      if (status === 429) {
        const asked = retryAfterMs(headersOf(response)['retry-after'], now());
        const wait = retryDelayMs(policy, attempt, { retryAfterMs: asked, random });
        lastError = new PexipError('rate_limited', `Pexip ${request.operation}: rate limited (429)`, true, 429, (asked ?? wait ?? 0) / 1000);
        log.warn({ operation: request.operation, attempt, waitMs: wait, metric: 'vendor_429', vendor: 'pexip' }, 'pexip rate limited');
        if (wait === undefined) throw lastError;
        await sleep(wait);
        continue;
      }
      if (status >= 500) {
        lastError = new PexipError('server_error', `Pexip ${request.operation}: server error ${status}`, true, status);
        log.warn({ operation: request.operation, attempt, status }, 'pexip server error');
        if (!request.idempotent) throw lastError;
        const delay = retryDelayMs(policy, attempt, { random });
        if (delay === undefined) break;
        await sleep(delay);
        continue;
      }
      if (status === 401 || status === 403) {
        throw new PexipError('unauthorized', `Pexip ${request.operation}: credentials refused (${status})`, false, status);
      }
      return { status, data: response.data, headers: headersOf(response) };
    }
    throw lastError ?? new PexipError('network', `Pexip ${request.operation}: failed`, true);
  };
}
