import type { LegParticipant } from '../callControl';
import type { FailureKind } from '../i18n';

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

/** The room's name is the customer participant's caller name (`aniName`) in the conversation. */
export function roomNameOf(conversation: unknown, videoQueueIds: string[]): { ok: true; name: string } | { ok: false; kind: FailureKind } {
  const participants = (conversation as { participants?: Array<{ purpose?: string; aniName?: string; queueId?: string }> })?.participants ?? [];
  if (videoQueueIds.length > 0) {
    const queues = participants.map((p) => p.queueId).filter((q): q is string => typeof q === 'string');
    if (!queues.some((q) => videoQueueIds.includes(q))) return { ok: false, kind: 'no-room-name' };
  }
  const name = participants.find((p) => p.purpose === 'customer')?.aniName?.trim();
  if (!name || name.length > 250) return { ok: false, kind: 'no-room-name' };
  return { ok: true, name };
}
