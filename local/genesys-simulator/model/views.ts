import type { SimAgent, SimConversation, SimParticipant, SimQueue } from './types';

/** REST views of a conversation, with Genesys's lower-case enums. */
export interface QueueLookup {
  all: SimQueue[];
  /** the queue inbound calls are transferred to (its division is the conversation's) */
  main: SimQueue;
}

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

/** REST reports an ended leg `disconnected`; notifications say `terminated` once its wrap-up is over. */
const eventState = (p: SimParticipant) => (p.terminated ? 'terminated' : p.state);

/**
 * `GET /api/v2/conversations/{id}` (`Conversation`); with `asEvent`, the body of the
 * `v2.users.{id}.conversations` notification (`ConversationEventTopicConversation`, same layout).
 */
export function conversationView(c: SimConversation, queues: QueueLookup, asEvent = false): Record<string, unknown> {
  return {
    id: c.id,
    startTime: iso(c.startTime),
    ...(c.endTime ? { endTime: iso(c.endTime) } : {}),
    address: c.dnis,
    participants: c.participants.map((p) => ({
      id: p.id,
      startTime: iso(p.startTime),
      ...(p.connectedTime ? { connectedTime: iso(p.connectedTime) } : {}),
      ...(p.endTime ? { endTime: iso(p.endTime) } : {}),
      purpose: p.purpose,
      state: asEvent ? eventState(p) : p.state,
      ...(p.userId ? { userId: p.userId } : {}),
      ...(p.queueId ? { queueId: p.queueId, queueName: queues.all.find((q) => q.id === p.queueId)?.name } : {}),
      ...(p.purpose === 'customer' ? { ani: c.ani, aniName: c.aniName, dnis: c.dnis } : {}),
      attributes: { ...p.attributes },
      calls: [
        {
          id: p.sessionId,
          state: asEvent ? eventState(p) : p.state,
          direction: 'inbound',
          ...(p.disconnectType ? { disconnectType: p.disconnectType } : {}),
          ...(p.connectedTime ? { connectedTime: iso(p.connectedTime) } : {}),
          ...(p.endTime ? { disconnectedTime: iso(p.endTime) } : {}),
          ...(p.purpose === 'customer' && c.uuiData ? { uuiData: c.uuiData } : {}),
          held: p.held,
          ...(p.startHoldTime ? { startHoldTime: iso(p.startHoldTime) } : {}),
          muted: p.muted,
          confined: p.confined,
          recording: false,
          self: { addressRaw: p.purpose === 'customer' ? c.ani : c.dnis },
        },
      ],
    })),
    divisions: [{ division: { id: queues.main.divisionId }, entities: [] }],
    selfUri: `/api/v2/conversations/${c.id}`,
  };
}

export function callView(c: SimConversation): Record<string, unknown> {
  return {
    id: c.id,
    participants: c.participants.map((p) => ({
      id: p.id,
      startTime: iso(p.startTime),
      ...(p.connectedTime ? { connectedTime: iso(p.connectedTime) } : {}),
      ...(p.endTime ? { endTime: iso(p.endTime) } : {}),
      purpose: p.purpose,
      state: p.state,
      ...(p.disconnectType ? { disconnectType: p.disconnectType } : {}),
      ...(p.userId ? { user: { id: p.userId, selfUri: `/api/v2/users/${p.userId}` } } : {}),
      ...(p.queueId ? { queue: { id: p.queueId, selfUri: `/api/v2/routing/queues/${p.queueId}` } } : {}),
      ...(p.purpose === 'customer' ? { ani: c.ani, name: c.aniName, dnis: c.dnis, ...(c.uuiData ? { uuiData: c.uuiData } : {}) } : {}),
      attributes: { ...p.attributes },
      direction: 'inbound',
      held: p.held,
      muted: p.muted,
      confined: p.confined,
    })),
    selfUri: `/api/v2/conversations/calls/${c.id}`,
  };
}

/**
 * The `v2.users.{id}.conversations.calls` notification body
 * (`ConversationCallEventTopicCallConversation`): flat call participants with `state` (alerting,
 * connected, disconnected, terminated), `held`, `muted`, `confined`, `user`, `queue`, `peer`.
 */
export function callEventView(c: SimConversation, agents: ReadonlyMap<string, SimAgent>, queues: QueueLookup): Record<string, unknown> {
  const customer = c.participants.find((p) => p.purpose === 'customer');
  return {
    id: c.id,
    participants: c.participants.map((p) => ({
      id: p.id,
      name: p.purpose === 'customer' ? c.aniName : p.userId ? (agents.get(p.userId)?.name ?? '') : p.purpose === 'acd' ? (queues.all.find((q) => q.id === p.queueId)?.name ?? '') : 'Inbound flow',
      address: p.purpose === 'customer' ? c.ani : c.dnis,
      startTime: iso(p.startTime),
      ...(p.connectedTime ? { connectedTime: iso(p.connectedTime) } : {}),
      ...(p.endTime ? { endTime: iso(p.endTime) } : {}),
      ...(p.startHoldTime ? { startHoldTime: iso(p.startHoldTime) } : {}),
      purpose: p.purpose,
      state: eventState(p),
      initialState: p.purpose === 'agent' ? 'alerting' : 'connected',
      direction: 'inbound',
      ...(p.disconnectType ? { disconnectType: p.disconnectType } : {}),
      held: p.held,
      muted: p.muted,
      confined: p.confined,
      recording: false,
      recordingState: 'none',
      wrapupRequired: false,
      ...(p.userId ? { user: { id: p.userId, selfUri: `/api/v2/users/${p.userId}` } } : {}),
      ...(p.queueId ? { queue: { id: p.queueId, selfUri: `/api/v2/routing/queues/${p.queueId}` } } : {}),
      attributes: { ...p.attributes },
      provider: 'Edge',
      // the agent's call and the caller's are the two ends of one voice path
      ...(p.purpose === 'agent' && customer ? { peer: customer.sessionId } : {}),
      ...(p.purpose === 'customer' ? { ani: c.ani, dnis: c.dnis, ...(c.uuiData ? { uuiData: c.uuiData } : {}) } : {}),
    })),
    recordingState: 'none',
    address: c.dnis,
    divisions: [{ division: { id: queues.main.divisionId }, entities: [] }],
  };
}

/** Analytics conversation detail (`AnalyticsConversationWithoutAttributes`). */
export function analyticsView(c: SimConversation, queues: QueueLookup): Record<string, unknown> {
  return {
    conversationId: c.id,
    conversationStart: iso(c.startTime),
    ...(c.endTime ? { conversationEnd: iso(c.endTime) } : {}),
    originatingDirection: 'inbound',
    divisionIds: [queues.main.divisionId],
    participants: c.participants.map((p) => ({
      participantId: p.id,
      ...(p.purpose === 'customer' ? { participantName: c.aniName } : {}),
      purpose: p.purpose,
      ...(p.userId ? { userId: p.userId } : {}),
      sessions: [
        {
          sessionId: p.sessionId,
          mediaType: 'voice',
          direction: 'inbound',
          ani: c.ani,
          dnis: c.dnis,
          segments: [
            {
              segmentStart: iso(p.startTime),
              ...(p.endTime ? { segmentEnd: iso(p.endTime) } : {}),
              segmentType: p.purpose === 'ivr' ? 'system' : 'interact',
              ...(p.queueId ? { queueId: p.queueId } : {}),
              ...(p.disconnectType ? { disconnectType: p.disconnectType } : {}),
            },
          ],
        },
      ],
    })),
  };
}

/** One `oWaiting` detail observation (`ObservationValue`) of a call waiting in a queue. */
export function waitingObservationView(c: SimConversation): Record<string, unknown> {
  return {
    observationDate: iso(c.waitingSince),
    conversationId: c.id,
    sessionId: c.participants.find((p) => p.purpose === 'customer')?.sessionId,
    routingPriority: 0,
    participantName: c.aniName,
    direction: 'inbound',
    ani: c.ani,
    dnis: c.dnis,
  };
}
