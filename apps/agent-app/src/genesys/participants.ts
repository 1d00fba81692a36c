import type { LegParticipant } from '../callControl';

/**
 * Genesys describes the same participants two ways: the notification event on
 * `v2.users.{id}.conversations.calls` is flat (`state`, `held`, `muted`, `user.id`), the
 * conversation (`GET /api/v2/conversations/{id}`) nests the call (`userId`, `calls[]`). Both become
 * `LegParticipant`s so one function reads the agent's leg.
 */

interface EventParticipant {
  id?: string;
  purpose?: string;
  state?: string;
  held?: boolean;
  muted?: boolean;
  confined?: boolean;
  disconnectType?: string;
  consultParticipantId?: string;
  attributes?: Record<string, string>;
  user?: { id?: string };
  endTime?: string;
}

interface ConversationCall {
  state?: string;
  held?: boolean;
  muted?: boolean;
  confined?: boolean;
  disconnectType?: string;
}

interface ConversationParticipant {
  id?: string;
  purpose?: string;
  userId?: string;
  consultParticipantId?: string;
  attributes?: Record<string, string>;
  endTime?: string;
  calls?: ConversationCall[];
}

function compact(p: LegParticipant): LegParticipant {
  return Object.fromEntries(Object.entries(p).filter(([, v]) => v !== undefined)) as LegParticipant;
}

/** The participants of a call notification, if it is about `conversationId` (an agent has several calls). */
export function participantsOfEvent(eventBody: unknown, conversationId: string): LegParticipant[] | undefined {
  const body = eventBody as { id?: string; participants?: EventParticipant[] } | undefined;
  if (!body || body.id !== conversationId || !Array.isArray(body.participants)) return undefined;
  return body.participants.map((p) =>
    compact({
      id: p.id,
      purpose: p.purpose,
      userId: p.user?.id,
      state: p.state,
      held: p.held,
      muted: p.muted,
      confined: p.confined,
      disconnectType: p.disconnectType,
      consultParticipantId: p.consultParticipantId,
      attributes: p.attributes,
      endTime: p.endTime,
    }),
  );
}

/** The participants of a conversation, each with its latest call's state. */
export function participantsOfConversation(conversation: unknown): LegParticipant[] {
  const participants = (conversation as { participants?: ConversationParticipant[] } | undefined)?.participants ?? [];
  return participants.map((p) => {
    const calls = p.calls ?? [];
    const call = calls.find((c) => c.state === 'connected') ?? calls[calls.length - 1];
    return compact({
      id: p.id,
      purpose: p.purpose,
      userId: p.userId,
      state: call?.state,
      held: call?.held,
      muted: call?.muted,
      confined: call?.confined,
      disconnectType: call?.disconnectType,
      consultParticipantId: p.consultParticipantId,
      attributes: p.attributes,
      endTime: p.endTime,
    });
  });
}
