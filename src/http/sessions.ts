import { z } from 'zod';
import type { BearerVerifier } from '../adapters/auth';
import { ROLES } from '../adapters/auth';
import { InvalidContinuationToken } from '../adapters/storage/sessionIndex';
import type { SessionEventPublisher } from '../contracts';
import type { Page, SessionIndex, SessionRecord, TimelineLine } from '../contracts/sessionIndex';
import { OUTCOMES } from '../domain/session';
import { ConversationId, SessionId, VideoCallId } from '../contracts/ids';
import { bodyTooLarge, checkId, invalidInput, invalidParam, JSON_BODY_MAX_BYTES, parseJsonBody } from './validation';
import { isCallSession } from '../contracts/durable';
import type { InstanceStatus } from '../contracts/ports';
import type { JoinLinks } from './joinLink';
import { problem, type ApiHandler, type ApiResponse, type DurableControl, type RequestContext } from './types';

/**
 * Support staff's view of call sessions, read from the session index (the support read model the
 * sessions write, docs/storage.md), never by listing durable instances: a list is one key-range
 * scan per day of its window, a lookup one or two point reads.
 */
export interface SessionsDeps {
  verifier: BearerVerifier;
  publisher: (durable: DurableControl) => SessionEventPublisher;
  index(): Promise<SessionIndex>;
  /** the citizen's join link for a live session (`joinUrl`); absent without a Customer App */
  joinLinks?: JoinLinks | undefined;
  now(): Date;
}

const PHASES = ['waiting_for_citizen', 'dialing', 'queued', 'in_call', 'reconnecting', 'ending', 'ended'] as const;
/** `page` walks the pages before it (kept for v1-era callers): at most this many sessions skipped */
export const MAX_PAGE_SKIP = 2000;
const MAX_WINDOW_DAYS = 366;

export const SessionListQuery = z.object({
  phase: z.enum(PHASES).optional(),
  outcome: z.enum(OUTCOMES).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  // a room name that is not a session id names no session: it is refused before any lookup
  roomName: SessionId.optional(),
  conversationId: ConversationId.optional(),
  videoCallId: VideoCallId.optional(),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
  continuationToken: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,2048}$/, 'must be the continuationToken of a previous page')
    .optional()
    .meta({ description: 'from the previous page; absent on the last page' }),
  page: z.coerce
    .number()
    .int()
    .min(1)
    .default(1)
    .meta({ description: `v1-era paging, kept: page n skips (n - 1) × pageSize sessions (at most ${MAX_PAGE_SKIP}); prefer continuationToken` }),
});

export const TerminateBody = z.object({ reason: z.string().trim().min(1).max(500) }).strict();

const DEFAULT_LOOKBACK_MS = 7 * 24 * 3600_000;
const TIMELINE_PAGE = 1000;

/** The answer's shape for one session (absent facts as null, as the orchestration's view has them). */
export function sessionBody(record: SessionRecord) {
  return {
    id: record.sessionId,
    roomName: record.sessionId,
    videoCallId: record.videoCallId,
    phase: record.phase,
    outcome: record.outcome ?? null,
    createdAt: record.createdAt,
    endedAt: record.endedAt ?? null,
    updatedAt: record.updatedAt,
    conversationId: record.conversationId ?? null,
    agentUserId: record.agentUserId ?? null,
    answeredAt: record.answeredAt ?? null,
    queue: record.queue ?? null,
    dialAttempts: record.dialAttempts,
    citizenParticipants: record.participants?.citizens ?? [],
    sipParticipantId: record.participants?.sip ?? null,
    agentVideoParticipants: record.participants?.agentVideo ?? [],
    teardown: record.teardown ?? null,
    revision: record.revision,
  };
}

/**
 * The answer's shape from a callSession's own status (its custom status while it runs, its output
 * once it ends), for a session the index has no record of yet; undefined when the instance is not
 * a session or has set no status.
 */
export function sessionBodyOfStatus(status: InstanceStatus | undefined) {
  const view = SessionViewOfStatus.safeParse(status?.output ?? status?.customStatus);
  if (!status || !isCallSession(status) || !view.success) return undefined;
  const v = view.data;
  return {
    id: v.roomName,
    roomName: v.roomName,
    videoCallId: v.videoCallId,
    phase: v.phase,
    outcome: v.outcome,
    createdAt: v.createdAt,
    endedAt: v.endedAt,
    updatedAt: status.lastUpdatedTime ?? v.createdAt,
    conversationId: v.conversationId,
    agentUserId: v.agentUserId,
    answeredAt: v.answeredAt,
    queue: v.queue,
    dialAttempts: v.dialAttempts,
    citizenParticipants: v.citizenParticipants,
    sipParticipantId: v.sipParticipantId,
    agentVideoParticipants: v.agentVideoParticipants,
    teardown: v.teardown,
    // no record has been written: the first one the session writes is revision 1
    revision: 0,
    timeline: v.timeline.map(({ at, kind, what, detail }) => (detail === undefined ? { at, kind, what } : { at, kind, what, detail })),
  };
}

const nullableText = z.string().nullable();
/** What sessionBodyOfStatus reads of a SessionView (src/domain/sessionView.ts); anything else is not a session's status. */
const SessionViewOfStatus = z.object({
  roomName: z.string(),
  videoCallId: z.string(),
  phase: z.enum(PHASES),
  outcome: nullableText,
  createdAt: z.string(),
  endedAt: nullableText,
  conversationId: nullableText,
  agentUserId: nullableText,
  answeredAt: nullableText,
  queue: z.object({ estimatedWaitSeconds: z.number().optional(), position: z.number().optional(), at: z.string() }).nullable(),
  dialAttempts: z.number(),
  citizenParticipants: z.array(z.string()),
  sipParticipantId: nullableText,
  agentVideoParticipants: z.array(z.string()),
  teardown: z.object({ ok: z.boolean(), detail: z.string().optional() }).nullable(),
  timeline: z.array(z.object({ at: z.string(), kind: z.enum(['event', 'command', 'result', 'deadline', 'ignored']), what: z.string(), detail: z.string().optional() })),
});

async function authorize(deps: SessionsDeps, authorization: string | undefined): Promise<ApiResponse | { subject: string }> {
  const result = await deps.verifier.verify(authorization, ROLES.support);
  if (!result.ok) return problem(result.status, result.status === 401 ? 'unauthorized' : 'forbidden', result.reason);
  return { subject: result.principal.subject };
}

function durableOf(context: RequestContext): DurableControl {
  if (!context.durable) throw new Error('sessions routes need a durable client binding');
  return context.durable;
}

async function fullTimeline(index: SessionIndex, sessionId: string): Promise<TimelineLine[]> {
  const lines: TimelineLine[] = [];
  let continuation: string | undefined;
  do {
    const page: Page<TimelineLine> = await index.readTimeline(sessionId, { limit: TIMELINE_PAGE, ...(continuation ? { continuation } : {}) });
    lines.push(...page.items);
    continuation = page.continuationToken;
  } while (continuation);
  return lines;
}

export function getSessionHandler(deps: SessionsDeps): ApiHandler {
  return async (request, context) => {
    const auth = await authorize(deps, request.header('authorization'));
    if ('status' in auth) return auth;
    const id = request.params.id;
    const bad = checkId(SessionId, id, 'id');
    if (bad) return bad;
    const index = await deps.index();
    const record = await index.get(id!);
    if (!record) {
      // the session writes its first record a moment after create answers: until then, its own status
      const started = context.durable ? sessionBodyOfStatus(await context.durable.getStatus(id!)) : undefined;
      return started ? { status: 200, body: started } : problem(404, 'session-not-found', 'No session has this id');
    }
    const timeline = (await fullTimeline(index, record.sessionId)).map(({ seq: _seq, ...line }) => line);
    const joinUrl = await joinUrlOf(deps, record);
    return { status: 200, body: { ...sessionBody(record), timeline, ...(joinUrl === undefined ? {} : { joinUrl }) } };
  };
}

/** Support hands the citizen a fresh link for a live session; an ended one has none (null). The room's alias is its name. */
async function joinUrlOf(deps: SessionsDeps, record: SessionRecord): Promise<string | null | undefined> {
  if (!deps.joinLinks) return undefined;
  if (record.phase === 'ended' || record.phase === 'ending') return null;
  return (await deps.joinLinks.linkFor({ sessionId: record.sessionId, alias: record.sessionId, createdAt: new Date(record.createdAt) })) ?? null;
}

type ListQuery = z.infer<typeof SessionListQuery>;

/** A lookup by room name, conversation id or video call id: a few point reads, then the other filters. */
async function lookUp(index: SessionIndex, q: ListQuery, from: Date, to: Date): Promise<SessionRecord[]> {
  let found: SessionRecord[];
  if (q.roomName) found = [await index.get(q.roomName)].filter((r): r is SessionRecord => r !== undefined);
  else if (q.conversationId) found = [await index.findByConversationId(q.conversationId)].filter((r): r is SessionRecord => r !== undefined);
  else found = await index.findByVideoCallId(q.videoCallId!);
  const created = (r: SessionRecord) => Date.parse(r.createdAt);
  return found
    .filter((r) => !q.roomName || r.sessionId === q.roomName)
    .filter((r) => !q.conversationId || r.conversationId === q.conversationId)
    .filter((r) => !q.videoCallId || r.videoCallId === q.videoCallId)
    .filter((r) => !q.phase || r.phase === q.phase)
    .filter((r) => !q.outcome || r.outcome === q.outcome)
    .filter((r) => created(r) >= from.getTime() && created(r) < to.getTime())
    .sort((a, b) => created(b) - created(a));
}

export function listSessionsHandler(deps: SessionsDeps): ApiHandler {
  return async (request) => {
    const auth = await authorize(deps, request.header('authorization'));
    if ('status' in auth) return auth;
    const parsed = SessionListQuery.safeParse(Object.fromEntries(request.query));
    if (!parsed.success) return invalidInput(parsed.error, 'query');
    const q = parsed.data;
    const to = q.to ? new Date(q.to) : deps.now();
    const from = q.from ? new Date(q.from) : new Date(to.getTime() - DEFAULT_LOOKBACK_MS);
    if (from >= to) return invalidParam('query', 'from', 'must be before "to"');
    if (to.getTime() - from.getTime() > MAX_WINDOW_DAYS * 24 * 3600_000) return invalidParam('query', 'from', `the window is at most ${MAX_WINDOW_DAYS} days`);
    if (q.page > 1 && q.continuationToken) return invalidParam('query', 'page', 'use either page or continuationToken');
    const skip = (q.page - 1) * q.pageSize;
    if (skip > MAX_PAGE_SKIP) return invalidParam('query', 'page', `skips at most ${MAX_PAGE_SKIP} sessions; page on with continuationToken`);
    const index = await deps.index();
    const page = (sessions: SessionRecord[], continuationToken?: string) => ({
      status: 200,
      body: { sessions: sessions.map(sessionBody), page: q.page, pageSize: q.pageSize, ...(continuationToken ? { continuationToken } : {}) },
    });

    if (q.roomName || q.conversationId || q.videoCallId) {
      // at most 50 sessions (a video call's rooms): one answer, no token
      return page((await lookUp(index, q, from, to)).slice(skip, skip + q.pageSize));
    }
    const query = { from, to, pageSize: q.pageSize, ...(q.phase ? { phase: q.phase } : {}), ...(q.outcome ? { outcome: q.outcome } : {}) };
    let token = q.continuationToken;
    try {
      for (let skipped = 0; skipped < skip; skipped += q.pageSize) {
        const before = await index.list({ ...query, ...(token ? { continuationToken: token } : {}) });
        token = before.continuationToken;
        if (!token) return page([]);
      }
      const result = await index.list({ ...query, ...(token ? { continuationToken: token } : {}) });
      return page(result.items, result.continuationToken);
    } catch (error) {
      if (error instanceof InvalidContinuationToken) return invalidParam('query', 'continuationToken', 'must be the continuationToken of a previous page');
      throw error;
    }
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
