import { phaseOf, type SessionState } from './session';

/** What status readers (support, the Agent App, the v2 facade) see, as custom status and output. */
export interface SessionView {
  roomName: string;
  videoCallId: string;
  phase: ReturnType<typeof phaseOf>;
  outcome: string | null;
  createdAt: string;
  endedAt: string | null;
  conversationId: string | null;
  agentUserId: string | null;
  answeredAt: string | null;
  citizenParticipants: string[];
  sipParticipantId: string | null;
  agentVideoParticipants: string[];
  queue: { estimatedWaitSeconds?: number; position?: number; at: string } | null;
  dialAttempts: number;
  teardown: { ok: boolean; detail?: string } | null;
  timeline: SessionState['timeline'];
  /** timeline entries not in this view (dropped from the state, or older than a status shows) */
  timelineDropped: number;
}

/**
 * Durable Functions refuses a custom status over 16 KB, measured as UTF-16 (two bytes per UTF-16
 * code unit of its JSON); an orchestration setting a bigger one fails. A status is kept well under
 * that, whatever the session went through.
 */
export const CUSTOM_STATUS_LIMIT_BYTES = 16 * 1024;
export const STATUS_BUDGET_BYTES = 12 * 1024;

/** The size Durable Functions measures a custom status by. */
export function customStatusBytes(status: unknown): number {
  return JSON.stringify(status).length * 2;
}

/** The whole view: the session's output once it ends. */
export function viewOf(state: SessionState, videoCallId: string): SessionView {
  return {
    roomName: state.roomName,
    videoCallId,
    phase: phaseOf(state),
    outcome: state.outcome ?? null,
    createdAt: state.createdAt,
    endedAt: state.endedAt ?? null,
    conversationId: state.conversationId ?? null,
    agentUserId: state.agentUserId ?? null,
    answeredAt: state.answeredAt ?? null,
    citizenParticipants: state.citizens,
    sipParticipantId: state.sipParticipantId ?? null,
    agentVideoParticipants: state.agentVideo,
    queue: state.queueInfo ?? null,
    dialAttempts: state.dial.attempts,
    teardown: state.teardown ?? null,
    timeline: state.timeline,
    timelineDropped: state.timelineDropped,
  };
}

/**
 * The view as custom status: the newest timeline entries that fit the budget (the whole timeline
 * is the output once the session ends). Bounded by construction: entries are dropped oldest first
 * until the status fits, and what else it holds is bounded by the machine and the event schemas.
 */
export function statusViewOf(state: SessionState, videoCallId: string): SessionView {
  const full = viewOf(state, videoCallId);
  const view: SessionView = { ...full, timeline: [...full.timeline] };
  while (view.timeline.length > 0 && customStatusBytes(view) > STATUS_BUDGET_BYTES) {
    view.timeline.shift();
    view.timelineDropped += 1;
  }
  if (customStatusBytes(view) > STATUS_BUDGET_BYTES) {
    // only pathological participant lists can get here: keep the newest of each
    view.citizenParticipants = view.citizenParticipants.slice(-1);
    view.agentVideoParticipants = view.agentVideoParticipants.slice(-1);
    if (view.teardown?.detail) view.teardown = { ...view.teardown, detail: view.teardown.detail.slice(0, 200) };
  }
  return view;
}
