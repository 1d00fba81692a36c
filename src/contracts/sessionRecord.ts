import { z } from 'zod';
import { OUTCOMES, phaseOf, type SessionState } from '../domain/session';
import type { SessionRecord, TimelineLine } from './sessionIndex';

/**
 * What the callSession orchestration writes to the support read model (the session index), and
 * when. Pure: the orchestration calls these on its own state; the `recordSession` activity does
 * the writing.
 *
 * When: only after a step that changed what support sees (`supportKeyOf`): the phase, the outcome,
 * the conversation, the agent, the dial attempts, who is in the room, the teardown. The passing of
 * time, queue refreshes and ignored events change none of these, so a session writes as many
 * records in a 45-minute wait as in a 1-minute one; their timeline lines go with the next record.
 */

const PHASES = ['waiting_for_citizen', 'dialing', 'queued', 'in_call', 'reconnecting', 'ending', 'ended'] as const;
const LINE_KINDS = ['event', 'command', 'result', 'deadline', 'ignored'] as const;
const time = z.string().max(64);
/** a record keeps the newest participant ids of each kind: enough for support, bounded whatever happened */
export const PARTICIPANTS_KEPT = 10;

export const SessionRecordSchema = z.object({
  sessionId: z.string().min(1).max(250),
  videoCallId: z.string().max(200),
  conversationId: z.string().min(1).max(200).optional(),
  phase: z.enum(PHASES),
  outcome: z.enum(OUTCOMES).optional(),
  createdAt: time,
  endedAt: time.optional(),
  updatedAt: time,
  agentUserId: z.string().min(1).max(200).optional(),
  answeredAt: time.optional(),
  queue: z.object({ position: z.number().optional(), estimatedWaitSeconds: z.number().optional(), at: time }).optional(),
  dialAttempts: z.number().int().nonnegative(),
  participants: z
    .object({
      citizens: z.array(z.string().max(200)).max(PARTICIPANTS_KEPT),
      sip: z.string().max(200).optional(),
      agentVideo: z.array(z.string().max(200)).max(PARTICIPANTS_KEPT),
    })
    .optional(),
  teardown: z.object({ ok: z.boolean(), detail: z.string().max(2000).optional() }).optional(),
  revision: z.number().int().nonnegative(),
});

export const TimelineLineSchema = z.object({
  seq: z.number().int().nonnegative(),
  at: time,
  kind: z.enum(LINE_KINDS),
  what: z.string().max(200),
  detail: z.string().max(2000).optional(),
});

/** The timeline holds at most 300 lines; a record carries the ones written since the last. */
export const RecordSessionInput = z.object({
  record: SessionRecordSchema,
  lines: z.array(TimelineLineSchema).max(400),
});
export type RecordSessionInput = z.infer<typeof RecordSessionInput>;
export interface RecordSessionResult {
  applied: boolean;
}

/** The fields support sees, as one string: a record is written when it changes. */
export function supportKeyOf(state: SessionState): string {
  return JSON.stringify([
    phaseOf(state),
    state.outcome ?? null,
    state.conversationId ?? null,
    state.agentUserId ?? null,
    state.answeredAt ?? null,
    state.dial.attempts,
    state.dial.inFlight,
    state.sipParticipantId ?? null,
    state.citizens.slice(-PARTICIPANTS_KEPT),
    state.agentVideo.slice(-PARTICIPANTS_KEPT),
    state.endedAt ?? null,
    state.teardown ?? null,
  ]);
}

/** Lines the session has ever written: the timeline keeps its first 10 and drops from the 11th on. */
export function linesWritten(state: SessionState): number {
  return state.timeline.length + state.timelineDropped;
}

const KEPT_HEAD = 10;

/** The timeline's lines numbered from the session's start, from `fromSeq` on (dropped ones are gone). */
export function timelineSince(state: SessionState, fromSeq: number): TimelineLine[] {
  const lines: TimelineLine[] = [];
  state.timeline.forEach((entry, index) => {
    const seq = index < KEPT_HEAD ? index : index + state.timelineDropped;
    if (seq < fromSeq) return;
    const line: TimelineLine = { seq, at: entry.at, kind: entry.kind, what: entry.what };
    if (entry.detail !== undefined) line.detail = entry.detail;
    lines.push(line);
  });
  return lines;
}

/** The record: facts only, field by field (no PIN, no UUI: the state holds neither). */
export function sessionRecordOf(state: SessionState, videoCallId: string, revision: number, now: Date): SessionRecord {
  const record: SessionRecord = {
    sessionId: state.roomName,
    videoCallId,
    phase: phaseOf(state),
    createdAt: state.createdAt,
    updatedAt: now.toISOString(),
    dialAttempts: state.dial.attempts,
    revision,
  };
  if (state.conversationId) record.conversationId = state.conversationId;
  if (state.outcome) record.outcome = state.outcome;
  if (state.endedAt) record.endedAt = state.endedAt;
  if (state.agentUserId) record.agentUserId = state.agentUserId;
  if (state.answeredAt) record.answeredAt = state.answeredAt;
  if (state.queueInfo) record.queue = { ...state.queueInfo };
  if (state.citizens.length || state.agentVideo.length || state.sipParticipantId) {
    record.participants = { citizens: state.citizens.slice(-PARTICIPANTS_KEPT), agentVideo: state.agentVideo.slice(-PARTICIPANTS_KEPT) };
    if (state.sipParticipantId) record.participants.sip = state.sipParticipantId;
  }
  if (state.teardown) record.teardown = state.teardown.detail === undefined ? { ok: state.teardown.ok } : { ...state.teardown };
  return record;
}
