import { z } from 'zod';
import type { BearerVerifier } from '../adapters/auth';
import { ROLES } from '../adapters/auth';
import type { SessionEventPublisher } from '../contracts';
import { isCallSession } from '../contracts/durable';
import { OUTCOMES } from '../domain/session';
import type { SessionView } from '../domain/sessionView';
import { ConversationId, SessionId, VideoCallId } from '../contracts/ids';
import { bodyTooLarge, checkId, invalidInput, JSON_BODY_MAX_BYTES, parseJsonBody } from './validation';
import { problem, type ApiHandler, type ApiResponse, type DurableControl, type InstanceStatus, type RequestContext } from './types';

/** Support staff's view of call sessions: one orchestration instance each, named by its room. */
export interface SessionsDeps {
  verifier: BearerVerifier;
  publisher: (durable: DurableControl) => SessionEventPublisher;
  /** finds the room of a Genesys conversation (the correlation index), if known */
  roomOfConversation: (durable: DurableControl, conversationId: string) => Promise<string | undefined>;
  now(): Date;
}

const PHASES = ['waiting_for_citizen', 'dialing', 'queued', 'in_call', 'reconnecting', 'ending', 'ended'] as const;

export const SessionListQuery = z.object({
  phase: z.enum(PHASES).optional(),
  outcome: z.enum(OUTCOMES).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  // a room name that is not a session id names no session: it is refused before any lookup
  roomName: SessionId.optional(),
  conversationId: ConversationId.optional(),
  videoCallId: VideoCallId.optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});

export const TerminateBody = z.object({ reason: z.string().trim().min(1).max(500) }).strict();

const DEFAULT_LOOKBACK_MS = 7 * 24 * 3600_000;

export function sessionRecord(status: InstanceStatus) {
  const view = (status.customStatus ?? status.output ?? {}) as Partial<SessionView>;
  return {
    id: status.instanceId,
    runtimeStatus: status.runtimeStatus,
    createdTime: status.createdTime,
    lastUpdatedTime: status.lastUpdatedTime,
    ...view,
  };
}

async function authorize(deps: SessionsDeps, authorization: string | undefined): Promise<ApiResponse | { subject: string }> {
  const result = await deps.verifier.verify(authorization, ROLES.support);
  if (!result.ok) return problem(result.status, result.status === 401 ? 'unauthorized' : 'forbidden', result.reason);
  return { subject: result.principal.subject };
}

function durableOf(context: RequestContext): DurableControl {
  if (!context.durable) throw new Error('sessions routes need a durable client binding');
  return context.durable;
}

export function getSessionHandler(deps: SessionsDeps): ApiHandler {
  return async (request, context) => {
    const auth = await authorize(deps, request.header('authorization'));
    if ('status' in auth) return auth;
    const id = request.params.id;
    const bad = checkId(SessionId, id, 'id');
    if (bad) return bad;
    const status = await durableOf(context).getStatus(id!);
    if (!status || !isCallSession(status)) return problem(404, 'session-not-found', 'No session has this id');
    return { status: 200, body: sessionRecord(status) };
  };
}

export function listSessionsHandler(deps: SessionsDeps): ApiHandler {
  return async (request, context) => {
    const auth = await authorize(deps, request.header('authorization'));
    if ('status' in auth) return auth;
    const parsed = SessionListQuery.safeParse(Object.fromEntries(request.query));
    if (!parsed.success) return invalidInput(parsed.error, 'query');
    const q = parsed.data;
    const durable = durableOf(context);
    const to = q.to ? new Date(q.to) : deps.now();
    const from = q.from ? new Date(q.from) : new Date(to.getTime() - DEFAULT_LOOKBACK_MS);
    if (from > to) {
      return problem(400, 'invalid-input', 'The request is invalid', 'query field "from": must not be after "to"', {
        'invalid-params': [{ name: 'from', reason: 'must not be after "to"' }],
      });
    }

    let roomName = q.roomName;
    if (q.conversationId && !roomName) {
      roomName = await deps.roomOfConversation(durable, q.conversationId);
      // the index is written by ingestion; a stored name that is not a session id is not followed
      if (!roomName || !SessionId.safeParse(roomName).success) return { status: 200, body: { sessions: [], page: q.page, pageSize: q.pageSize, total: 0 } };
    }
    const candidates = roomName
      ? [await durable.getStatus(roomName)].filter((s): s is InstanceStatus => s !== undefined)
      : await durable.listInstances({ createdFrom: from, createdTo: to });
    const records = candidates
      .filter(isCallSession)
      .map(sessionRecord)
      .filter((r) => !q.phase || r.phase === q.phase)
      .filter((r) => !q.outcome || r.outcome === q.outcome)
      .filter((r) => !q.videoCallId || r.videoCallId === q.videoCallId)
      .filter((r) => !q.conversationId || r.conversationId === q.conversationId)
      .sort((a, b) => (a.createdTime < b.createdTime ? 1 : -1));
    const start = (q.page - 1) * q.pageSize;
    return {
      status: 200,
      body: {
        sessions: records.slice(start, start + q.pageSize).map(({ timeline: _timeline, ...summary }) => summary),
        page: q.page,
        pageSize: q.pageSize,
        total: records.length,
      },
    };
  };
}

export function terminateSessionHandler(deps: SessionsDeps): ApiHandler {
  return async (request, context) => {
    const tooLarge = bodyTooLarge(request, JSON_BODY_MAX_BYTES);
    if (tooLarge) return tooLarge;
    const auth = await authorize(deps, request.header('authorization'));
    if ('status' in auth) return auth;
    const bad = checkId(SessionId, request.params.id, 'id');
    if (bad) return bad;
    const body = parseJsonBody(request.body);
    if (!body.ok) return body.response;
    const parsed = TerminateBody.safeParse(body.value);
    if (!parsed.success) return invalidInput(parsed.error, 'body');
    const id = request.params.id ?? '';
    const outcome = await deps.publisher(durableOf(context)).publish({
      type: 'support_terminated',
      source: 'support',
      roomName: id,
      at: deps.now().toISOString(),
      eventId: `support-terminate:${id}`,
      reason: parsed.data.reason,
      by: auth.subject,
    });
    if (outcome === 'unknown_session') return problem(404, 'session-not-found', 'No session has this id');
    if (outcome === 'session_finished') return problem(409, 'session-finished', 'The session has already ended');
    return { status: 202, body: { id, status: 'terminating' } };
  };
}
