import { z } from 'zod';

/**
 * The events that can change a call session. The Pexip and Genesys adapters, the HTTP routes and
 * the reaper translate what they receive into these; the callSession orchestration consumes them
 * through one external event (SESSION_EVENT_NAME), in order.
 *
 * Every event names the session by its room name, says when it happened at the source (`at`,
 * ISO-8601 UTC) and carries `eventId`, a key that is the same when the same fact is reported
 * twice, so ingestion can drop duplicates before they become history.
 */
export const SESSION_EVENT_NAME = 'SessionEvent';

const isoTime = z.iso.datetime({ offset: true });

const base = {
  roomName: z.string().min(1).max(250),
  at: isoTime,
  eventId: z.string().min(1).max(200),
};

const pexipParticipant = {
  ...base,
  source: z.literal('pexip'),
  /** Pexip's participant uuid */
  participantId: z.string().min(1),
};

const genesysConversation = {
  ...base,
  source: z.literal('genesys'),
  conversationId: z.string().min(1),
};

export const CitizenJoined = z.object({ type: z.literal('citizen_joined'), ...pexipParticipant });
export const CitizenLeft = z.object({
  type: z.literal('citizen_left'),
  ...pexipParticipant,
  reason: z.string().optional(),
});
export const SipLegConnected = z.object({ type: z.literal('sip_leg_connected'), ...pexipParticipant });
/** The dial-out never connected (busy, rejected, timed out). */
export const SipLegFailed = z.object({
  type: z.literal('sip_leg_failed'),
  ...base,
  source: z.enum(['pexip', 'maxconf']),
  participantId: z.string().optional(),
  reason: z.string(),
});
/** A connected SIP leg went away (BYE from either side). */
export const SipLegEnded = z.object({
  type: z.literal('sip_leg_ended'),
  ...pexipParticipant,
  reason: z.string().optional(),
});
export const AgentVideoJoined = z.object({ type: z.literal('agent_video_joined'), ...pexipParticipant });
export const AgentVideoLeft = z.object({ type: z.literal('agent_video_left'), ...pexipParticipant });
export const ConferenceStarted = z.object({ type: z.literal('conference_started'), ...base, source: z.literal('pexip') });
/** Pexip may send this on a short citizen blip; it is not by itself the end of a session. */
export const ConferenceEnded = z.object({ type: z.literal('conference_ended'), ...base, source: z.literal('pexip') });

/** Genesys `acd.start`: the call entered the queue. */
export const Queued = z.object({ type: z.literal('queued'), ...genesysConversation, queueId: z.string().optional() });
/** Genesys `acd.end` ANSWERED / `user.start`: an agent took the call. */
export const AgentConnected = z.object({
  type: z.literal('agent_connected'),
  ...genesysConversation,
  agentUserId: z.string().min(1),
});
/** Genesys `user.end`: the agent's leg ended. */
export const AgentLeft = z.object({
  type: z.literal('agent_left'),
  ...genesysConversation,
  agentUserId: z.string().min(1),
  disconnectType: z.string().optional(),
});
/** Genesys `acd.end` ABANDON: the caller left the queue. */
export const Abandoned = z.object({ type: z.literal('abandoned'), ...genesysConversation });
/** The inbound flow released the call before it reached the queue (holiday, closed, no agents). */
export const ReleasedByFlow = z.object({
  type: z.literal('released_by_flow'),
  ...genesysConversation,
  reason: z.enum(['holiday', 'after_hours', 'no_agents', 'unknown']),
});
/** Genesys `customer.end`: the customer (SIP) leg of the conversation ended. */
export const CustomerEnded = z.object({
  type: z.literal('customer_ended'),
  ...genesysConversation,
  disconnectType: z.string().optional(),
});

/** IDIM called DELETE /room/{room_name}. */
export const IdimDeleted = z.object({ type: z.literal('idim_deleted'), ...base, source: z.literal('idim') });
/** Support staff ended the session. */
export const SupportTerminated = z.object({
  type: z.literal('support_terminated'),
  ...base,
  source: z.literal('support'),
  reason: z.string().max(500),
  /** who terminated: the token subject, never a citizen identifier */
  by: z.string().max(200),
});
/**
 * The citizen pressed "Leave call" in the Customer App (`POST /public/citizen/leave`): a
 * deliberate leave, so the session ends now instead of waiting out the reconnect grace.
 */
export const CitizenEndedCall = z.object({ type: z.literal('citizen_ended_call'), ...base, source: z.literal('citizen') });
/** The reaper found the session past its maximum lifetime. */
export const LifetimeExceeded = z.object({ type: z.literal('lifetime_exceeded'), ...base, source: z.literal('maxconf') });

export const SessionEvent = z.discriminatedUnion('type', [
  CitizenJoined,
  CitizenLeft,
  SipLegConnected,
  SipLegFailed,
  SipLegEnded,
  AgentVideoJoined,
  AgentVideoLeft,
  ConferenceStarted,
  ConferenceEnded,
  Queued,
  AgentConnected,
  AgentLeft,
  Abandoned,
  ReleasedByFlow,
  CustomerEnded,
  IdimDeleted,
  SupportTerminated,
  CitizenEndedCall,
  LifetimeExceeded,
]);
export type SessionEvent = z.infer<typeof SessionEvent>;
export type SessionEventType = SessionEvent['type'];
export type SessionEventOf<T extends SessionEventType> = Extract<SessionEvent, { type: T }>;
export const SESSION_EVENT_TYPES = SessionEvent.options.map((o) => o.shape.type.value) as SessionEventType[];

/** What became of an event handed to the sessions. */
export type PublishOutcome =
  /** durably queued on the session's instance */
  | 'accepted'
  /** no session has this room name (someone else's room, a v1 room, a persistent room) */
  | 'unknown_session'
  /** the session has already ended; the event is recorded by the caller and dropped */
  | 'session_finished';
