import type { GenesysConversations } from '../src/adapters/genesys/conversations';
import { ACTIVITIES, type CheckCallTruthInput } from '../src/contracts/durable';
import type { PexipCalls } from '../src/adapters/pexip';
import { classifyLeg } from '../src/adapters/pexip/sinkEvents';
import type { CallTruth } from '../src/domain/session';
import type { Logger } from '../src/logging/logger';

/**
 * What Pexip (and, when asked, Genesys) show for a session's room right now: the read a deadline
 * makes before it acts. A vendor that cannot be read is reported as such, never guessed at, and
 * never fails the activity: the session postpones the deadline and asks again.
 */
export interface CallTruthDeps {
  calls: Pick<PexipCalls, 'listParticipants'>;
  /** undefined when no Genesys org is configured */
  conversations: () => GenesysConversations | undefined;
  genesysSipUri: string | undefined;
  logger: Logger;
}

function reasonOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, 200);
}

export function checkCallTruthActivity(deps: CallTruthDeps) {
  const log = deps.logger.child({ activity: ACTIVITIES.checkCallTruth.name });
  return async (input: CheckCallTruthInput): Promise<CallTruth> => {
    const truth: CallTruth = { pexip: { read: false, reason: 'not read' } };
    try {
      const participants = await deps.calls.listParticipants(input.roomName);
      const citizens: string[] = [];
      const sipLegs: { participantId: string; connected: boolean }[] = [];
      for (const p of participants) {
        // keyed by the status API's participant `id`, which docs/reconciler.md compares with the sink's `uuid`
        const leg = classifyLeg(p, deps.genesysSipUri);
        if (leg === 'citizen') citizens.push(p.id);
        if (leg === 'sip') sipLegs.push({ participantId: p.id, connected: p.has_media === true });
      }
      truth.pexip = { read: true, citizens, sipLegs };
    } catch (error) {
      truth.pexip = { read: false, reason: reasonOf(error) };
      log.warn({ roomName: input.roomName, err: reasonOf(error) }, 'Pexip could not be read for a deadline');
    }
    if (!input.genesys) return truth;
    const conversations = deps.conversations();
    if (!conversations) {
      truth.genesys = { read: true, state: 'none' };
      return truth;
    }
    try {
      const found = await conversations.findSessionConversation({ roomName: input.roomName, uui: input.uui }, input.conversationId);
      if (!found) truth.genesys = { read: true, state: 'none' };
      else {
        const state = found.state === 'connected' ? 'answered' : found.state === 'ended' ? 'ended' : found.state === 'waiting' ? 'queued' : 'none';
        truth.genesys = { read: true, state, conversationId: found.conversationId, ...(found.agentUserId ? { agentUserId: found.agentUserId } : {}) };
      }
    } catch (error) {
      truth.genesys = { read: false, reason: reasonOf(error) };
      log.warn({ roomName: input.roomName, err: reasonOf(error) }, 'Genesys could not be read for a deadline');
    }
    return truth;
  };
}
