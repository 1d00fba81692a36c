import type { SimConversation, SimQueue } from './types';

/** REST views of a conversation, with Genesys's lower-case enums. */
export interface QueueLookup {
  all: SimQueue[];
  /** the queue inbound calls are transferred to (its division is the conversation's) */
  main: SimQueue;
}

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());


export function conversationView(c: SimConversation, queues: QueueLookup): Record<string, unknown> {
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
      state: p.state,
      ...(p.userId ? { userId: p.userId } : {}),
      ...(p.queueId ? { queueId: p.queueId, queueName: queues.all.find((q) => q.id === p.queueId)?.name } : {}),
      ...(p.purpose === 'customer' ? { ani: c.ani, aniName: c.aniName, dnis: c.dnis } : {}),
      attributes: { ...p.attributes },
      calls: [
        {
          id: p.sessionId,
          state: p.state,
          direction: 'inbound',
          ...(p.disconnectType ? { disconnectType: p.disconnectType } : {}),
          ...(p.connectedTime ? { connectedTime: iso(p.connectedTime) } : {}),
          ...(p.endTime ? { disconnectedTime: iso(p.endTime) } : {}),
          ...(p.purpose === 'customer' && c.uuiData ? { uuiData: c.uuiData } : {}),
          held: false,
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
    })),
    selfUri: `/api/v2/conversations/calls/${c.id}`,
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
