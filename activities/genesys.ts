import type { Logger } from '../src/logging/logger';
import { GenesysApiError } from '../src/adapters/genesys/client';
import type { GenesysConversations } from '../src/adapters/genesys/conversations';
import {
  ACTIVITIES,
  type GenesysDisconnectResult,
  type GenesysFindConversationResult,
  type GenesysQueueStatusResult,
} from '../src/contracts/durable';
import { parseActivityInput } from '../src/contracts/durableSpec';

/**
 * Activities the call session uses to ask Genesys about, or act on, its conversation. Each is
 * idempotent (reads, or a disconnect that reports "already ended" the second time) and validates
 * its input against its entry in the durable table. Names and shapes are documented in docs/genesys.md.
 */
export interface GenesysActivityDeps {
  /** undefined when no Genesys org is configured */
  conversations: () => GenesysConversations | undefined;
  logger: Logger;
}

/**
 * Queue position and estimated wait. Informational: a Genesys outage answers `unavailable`
 * instead of failing, so the session keeps waiting and simply shows no estimate.
 */
export function genesysQueueStatusActivity(deps: GenesysActivityDeps): (input: unknown) => Promise<GenesysQueueStatusResult> {
  return async (input) => {
    const { conversationId } = parseActivityInput(ACTIVITIES.genesysQueueStatus, input);
    const conversations = deps.conversations();
    if (!conversations) return { unavailable: true };
    try {
      const status = await conversations.queueStatus(conversationId);
      if (!status) return { waiting: false };
      const result: GenesysQueueStatusResult = { waiting: status.waiting };
      if (status.estimatedWaitSeconds !== undefined) result.estimatedWaitSeconds = status.estimatedWaitSeconds;
      if (status.position !== undefined) result.position = status.position;
      if (status.answeredBy) result.answeredBy = status.answeredBy;
      if (status.customerEnded) result.customerEnded = true;
      return result;
    } catch (error) {
      const e = error instanceof GenesysApiError ? { status: error.status, code: error.code } : { message: String(error) };
      deps.logger.warn({ conversationId, ...e }, 'queue status unavailable');
      return { unavailable: true };
    }
  };
}

/**
 * Hangs up the customer leg when MaxConf ends a session first. Transient Genesys failures are
 * thrown so the orchestration's retry policy applies; a repeat after success reports `already_ended`.
 */
export function genesysDisconnectActivity(deps: GenesysActivityDeps): (input: unknown) => Promise<GenesysDisconnectResult> {
  return async (input) => {
    const { conversationId } = parseActivityInput(ACTIVITIES.genesysDisconnect, input);
    const conversations = deps.conversations();
    if (!conversations) return { outcome: 'not_configured' };
    const outcome = await conversations.disconnectCustomer(conversationId);
    deps.logger.info({ conversationId, outcome }, 'Genesys customer leg disconnect');
    return { outcome };
  };
}

/** Which Genesys conversation a session's call became (caller name, then attribute, then UUI). */
export function genesysFindConversationActivity(deps: GenesysActivityDeps): (input: unknown) => Promise<GenesysFindConversationResult> {
  return async (input) => {
    const { roomName, uui, conversationId } = parseActivityInput(ACTIVITIES.genesysFindConversation, input);
    const conversations = deps.conversations();
    if (!conversations) return { found: false };
    const found = await conversations.findSessionConversation({ roomName, ...(uui ? { uui } : {}) }, conversationId);
    return found ? { found: true, ...found } : { found: false };
  };
}
