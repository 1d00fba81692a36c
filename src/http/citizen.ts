import { z } from 'zod';
import type { PexipRooms } from '../adapters/pexip';
import { CitizenRoom, CitizenSession } from '../contracts/api';
import type { CitizenTokens, SessionEventPublisher } from '../contracts/ports';
import type { SessionIndex, SessionRecord } from '../contracts/sessionIndex';
import { SessionId } from '../contracts/ids';
import type { Phase } from '../domain/session';
import type { Logger } from '../logging/logger';
import type { RateLimiter } from './rateLimit';
import { bodyTooLarge } from './validation';
import { problem, type ApiHandler, type ApiRequest, type ApiResponse, type DurableControl, type RequestContext } from './types';

/**
 * The citizen routes the Customer App calls (docs/customer-app.md), authorised by the join link's
 * citizen token, which names one session: its phase, queue place and outcome from the support
 * read model (never the orchestration), the room's guest PIN from Pexip, and "Leave call".
 * Nothing personal, no host PIN, no Genesys ids; every answer `Cache-Control: no-store`.
 */
export interface CitizenDeps {
  /** undefined: no CITIZEN_TOKEN_KEY, the routes answer 503 */
  tokens: CitizenTokens | undefined;
  index(): Promise<SessionIndex>;
  rooms: Pick<PexipRooms, 'getRoomByName'>;
  publisher(durable: DurableControl): SessionEventPublisher;
  /** the conference node's host[:port] the citizen joins (PEXIP_CONFERENCE_HOST) */
  conferenceNode: string | undefined;
  limits: { perSession: RateLimiter; perAddress: RateLimiter };
  logger: Logger;
  now(): Date;
}

/** The session writes its first record a moment after create answers: a session this young (the token's `iat` is its start) without one is starting. */
export const RECORD_GRACE_MS = 2 * 60_000;
/** "Leave call" has no body; anything more is refused before it is read */
const LEAVE_BODY_MAX_BYTES = 1024;
const NO_STORE = { 'cache-control': 'no-store' };

/** The client's address as API Management passes it on: the first `X-Forwarded-For` entry; without one, one shared key. */
const ForwardedFor = z
  .string()
  .transform((v) => v.split(',')[0]!.trim())
  .pipe(z.string().regex(/^[0-9A-Fa-f.:[\]]{2,64}$/));

export function clientAddress(request: Pick<ApiRequest, 'header'>): string {
  const parsed = ForwardedFor.safeParse(request.header('x-forwarded-for') ?? '');
  return parsed.success ? parsed.data : 'direct';
}

/** How often the page should ask: often while something is about to change, rarely once it has. */
export function pollAfterSeconds(phase: Phase): number {
  switch (phase) {
    case 'waiting_for_citizen':
    case 'dialing':
    case 'reconnecting':
    case 'ending':
      return 2;
    case 'queued':
      return 5;
    case 'in_call':
      return 10;
    case 'ended':
      return 60;
  }
}

/** The citizen's view of a session record: phase, queue figures while queued, the outcome once known. */
export function citizenSessionOf(record: Pick<SessionRecord, 'phase' | 'outcome' | 'queue'>): CitizenSession {
  const queued = record.phase === 'queued' || record.phase === 'reconnecting';
  const position = queued ? record.queue?.position : undefined;
  const wait = queued ? record.queue?.estimatedWaitSeconds : undefined;
  return CitizenSession.parse({
    phase: record.phase,
    ...(position !== undefined && Number.isInteger(position) && position >= 1 ? { position } : {}),
    ...(wait !== undefined && Number.isFinite(wait) && wait >= 0 ? { estimatedWaitSeconds: Math.round(wait) } : {}),
    ...(record.outcome ? { outcome: record.outcome } : {}),
    pollAfterSeconds: pollAfterSeconds(record.phase),
  });
}
type CitizenSession = z.infer<typeof CitizenSession>;

const ok = (body: unknown): ApiResponse => ({ status: 200, headers: { 'content-type': 'application/json', ...NO_STORE }, body });
const refused = (response: ApiResponse): ApiResponse => ({ ...response, headers: { ...response.headers, ...NO_STORE } });
const rateLimited = (retryAfterSeconds: number): ApiResponse => {
  const base = problem(429, 'rate-limited', 'Too many requests', `try again in ${retryAfterSeconds} s`);
  return { ...base, headers: { ...base.headers, ...NO_STORE, 'retry-after': String(retryAfterSeconds) } };
};
const isEnding = (phase: Phase) => phase === 'ending' || phase === 'ended';

interface Admitted {
  sessionId: string;
  /** the index record; undefined while a new session's first record is on its way */
  record: SessionRecord | undefined;
}

/** Limits, then the token, then the session's own limit and its record: an answer when refused. */
async function admit(deps: CitizenDeps, request: ApiRequest, log: Logger): Promise<Admitted | ApiResponse> {
  if (!deps.tokens) return refused(problem(503, 'citizen-access-off', 'Citizen access is not configured here'));
  // the address first: a burst of forged tokens costs no signature check past the limit
  const byAddress = deps.limits.perAddress.take(clientAddress(request));
  if (!byAddress.ok) return rateLimited(byAddress.retryAfterSeconds);
  const check = await deps.tokens.verify(request.header('authorization'));
  if (!check.ok) {
    log.info({ reason: check.reason }, 'citizen token refused');
    if (check.status === 403) return refused(problem(403, 'forbidden', 'This token is not for this route'));
    if (check.reason === 'expired') return refused(problem(401, 'token-expired', 'The call link has expired'));
    return refused(problem(401, 'invalid-token', 'The call link is not valid'));
  }
  const bySession = deps.limits.perSession.take(check.sessionId);
  if (!bySession.ok) return rateLimited(bySession.retryAfterSeconds);
  // a token only this deployment signs names a session id; anything else is not ours
  if (!SessionId.safeParse(check.sessionId).success) return refused(problem(404, 'session-not-found', 'No session for this link'));
  const record = await (await deps.index()).get(check.sessionId);
  if (!record && deps.now().getTime() - check.issuedAt.getTime() > RECORD_GRACE_MS) {
    return refused(problem(404, 'session-not-found', 'No session for this link'));
  }
  return { sessionId: check.sessionId, record };
}

const refusal = (admitted: Admitted | ApiResponse): admitted is ApiResponse => 'status' in admitted;

export function citizenSessionHandler(deps: CitizenDeps): ApiHandler {
  const log = deps.logger.child({ route: 'public/citizen/session' });
  return async (request) => {
    const admitted = await admit(deps, request, log);
    if (refusal(admitted)) return admitted;
    return ok(admitted.record ? citizenSessionOf(admitted.record) : citizenSessionOf({ phase: 'waiting_for_citizen' }));
  };
}

export function citizenRoomHandler(deps: CitizenDeps): ApiHandler {
  const log = deps.logger.child({ route: 'public/citizen/room' });
  return async (request) => {
    const admitted = await admit(deps, request, log);
    if (refusal(admitted)) return admitted;
    const ended = refused(problem(410, 'session-ended', 'This video call has already ended'));
    if (admitted.record && isEnding(admitted.record.phase)) return ended;
    if (!deps.conferenceNode) return refused(problem(503, 'conference-node-unknown', 'No conference node is configured (PEXIP_CONFERENCE_HOST)'));
    const room = await deps.rooms.getRoomByName(admitted.sessionId);
    if (!room || room.name !== admitted.sessionId) return ended;
    const answer = CitizenRoom.safeParse({ alias: room.aliases?.[0]?.alias ?? room.name, guestPin: room.guest_pin ?? '', conferenceNode: deps.conferenceNode });
    if (!answer.success) {
      log.error({ roomName: room.name, field: answer.error.issues[0]?.path.join('.') }, 'the room cannot be joined as a guest');
      return refused(problem(503, 'room-unavailable', 'The room cannot be joined right now'));
    }
    log.info({ roomName: room.name }, 'citizen read the room');
    return ok(answer.data);
  };
}

/** Leave call: ends the session at once as a deliberate leave; asked again, answers the same. */
export function citizenLeaveHandler(deps: CitizenDeps): ApiHandler {
  const log = deps.logger.child({ route: 'public/citizen/leave' });
  return async (request, context: RequestContext) => {
    const tooLarge = bodyTooLarge(request, LEAVE_BODY_MAX_BYTES);
    if (tooLarge) return refused(tooLarge);
    const admitted = await admit(deps, request, log);
    if (refusal(admitted)) return admitted;
    const { sessionId, record } = admitted;
    if (record && isEnding(record.phase)) return ok(citizenSessionOf(record));
    if (!context.durable) throw new Error('the leave route needs a durable client binding');
    const outcome = await deps.publisher(context.durable).publish({
      type: 'citizen_ended_call',
      source: 'citizen',
      roomName: sessionId,
      at: deps.now().toISOString(),
      // one leave per session: a repeated press is the same fact
      eventId: `citizen-leave:${sessionId}`,
    });
    if (outcome === 'unknown_session') return refused(problem(404, 'session-not-found', 'No session for this link'));
    const latest = outcome === 'session_finished' ? await (await deps.index()).get(sessionId) : record;
    if (latest && isEnding(latest.phase)) return ok(citizenSessionOf(latest));
    log.info({ roomName: sessionId }, 'citizen left the call');
    // the session decides the outcome by the same rule (src/domain/session.ts): completed once an agent answered
    return ok(citizenSessionOf({ phase: 'ending', outcome: latest?.answeredAt ? 'completed' : 'citizen_left' }));
  };
}
