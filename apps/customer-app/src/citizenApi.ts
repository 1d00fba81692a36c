import { z } from 'zod';
import { OUTCOMES, PHASES, retryAfterSeconds, type Outcome, type Phase } from './citizenState';

/**
 * MaxConf's citizen routes (docs/customer-app.md), authorised by the citizen token from the join
 * link. Every answer is parsed; every failure becomes one of the kinds the page explains.
 */

export const CitizenSession = z.object({
  phase: z.enum(PHASES),
  position: z.number().int().min(1).optional(),
  estimatedWaitSeconds: z.number().min(0).optional(),
  outcome: z.enum(OUTCOMES).optional(),
  pollAfterSeconds: z.number().min(0).max(3600),
});
export type CitizenSession = z.infer<typeof CitizenSession>;

export const CitizenRoom = z.object({
  alias: z.string().min(1).max(100),
  guestPin: z.string().regex(/^\d{4,10}$/),
  conferenceNode: z.string().min(1).max(255),
});
export type CitizenRoom = z.infer<typeof CitizenRoom>;

export type ApiFailureKind = 'link-invalid' | 'link-expired' | 'room-ended' | 'api-unavailable';

export type ApiResult<T> =
  | { ok: true; value: T }
  | { ok: false; kind: ApiFailureKind; detail: string }
  | { ok: false; kind: 'rate-limited'; retryAfterSeconds: number | undefined; detail: string };

interface Problem {
  type?: unknown;
}

/** A problem+json answer → what the page says. */
export async function failureOf(route: string, response: Response, now: number): Promise<ApiResult<never>> {
  const detail = `${route}: HTTP ${response.status}`;
  if (response.status === 429) return { ok: false, kind: 'rate-limited', retryAfterSeconds: retryAfterSeconds(response.headers.get('retry-after'), now), detail };
  const body = (await response.json().catch(() => ({}))) as Problem;
  const type = typeof body.type === 'string' ? body.type : '';
  if (response.status === 410) return { ok: false, kind: 'room-ended', detail };
  if (response.status === 401) return { ok: false, kind: /expired/.test(type) ? 'link-expired' : 'link-invalid', detail };
  if (response.status === 403 || response.status === 404) return { ok: false, kind: 'link-invalid', detail };
  return { ok: false, kind: 'api-unavailable', detail };
}

export interface CitizenApi {
  session(): Promise<ApiResult<CitizenSession>>;
  room(): Promise<ApiResult<CitizenRoom>>;
  leave(): Promise<ApiResult<CitizenSession | undefined>>;
}

export function citizenApi(apiBase: string, token: string, fetcher: typeof fetch = (...a) => fetch(...a), now: () => number = Date.now): CitizenApi {
  // no-store: the answers are about one citizen's session (and the room's guest PIN)
  const init = (method: 'GET' | 'POST') =>
    ({ method, headers: { authorization: `Bearer ${token}`, accept: 'application/json' }, credentials: 'omit', cache: 'no-store', referrerPolicy: 'no-referrer' }) as RequestInit;

  async function call<T>(route: string, method: 'GET' | 'POST', schema: z.ZodType<T> | undefined): Promise<ApiResult<T>> {
    let response: Response;
    try {
      response = await fetcher(`${apiBase}/public/citizen/${route}`, init(method));
    } catch (error) {
      return { ok: false, kind: 'api-unavailable', detail: `${route}: ${error instanceof Error ? error.message : 'network error'}` };
    }
    if (!response.ok) return failureOf(route, response, now());
    if (!schema || response.status === 204) return { ok: true, value: undefined as T };
    const parsed = schema.safeParse(await response.json().catch(() => undefined));
    if (!parsed.success) return { ok: false, kind: 'api-unavailable', detail: `${route}: unexpected answer` };
    return { ok: true, value: parsed.data };
  }

  return {
    session: () => call('session', 'GET', CitizenSession),
    room: () => call('room', 'GET', CitizenRoom),
    leave: () => call('leave', 'POST', CitizenSession.optional()),
  };
}

export type { Outcome, Phase };
