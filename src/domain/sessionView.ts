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
  timelineDropped: number;
}

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
