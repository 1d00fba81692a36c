import type { ActivityHandler } from 'durable-functions';
import { z } from 'zod';
import type { Logger } from '../src/logging/logger';
import { GenesysApiError } from '../src/adapters/genesys/client';
import type { DisconnectOutcome, GenesysConversations, SessionConversation } from '../src/adapters/genesys/conversations';

/**
 * Activities the call session uses to ask Genesys about, or act on, its conversation. Each is
 * idempotent (reads, or a disconnect that reports "already ended" the second time) and validates
 * its input. Names and shapes are documented in docs/genesys.md.
 */
export const GENESYS_ACTIVITIES = {
  queueStatus: 'genesysQueueStatus',
  disconnect: 'genesysDisconnect',
  findConversation: 'genesysFindConversation',
} as const;

export const GenesysQueueStatusInput = z.object({ conversationId: z.string().min(1).max(200) });
export type GenesysQueueStatusInput = z.infer<typeof GenesysQueueStatusInput>;
/** Compatible with the orchestration's QueueStatusResult; `unavailable` when Genesys could not answer. */
export interface GenesysQueueStatusResult {
  estimatedWaitSeconds?: number;
  position?: number;
  waiting?: boolean;
  /** an agent is connected (its Genesys event may not have come) */
  answeredBy?: string;
  /** the customer leg has ended */
  customerEnded?: boolean;
  unavailable?: true;
}

export const GenesysDisconnectInput = z.object({ conversationId: z.string().min(1).max(200) });
export type GenesysDisconnectInput = z.infer<typeof GenesysDisconnectInput>;
export interface GenesysDisconnectResult {
  outcome: DisconnectOutcome | 'not_configured';
}

export const GenesysFindConversationInput = z.object({
  roomName: z.string().min(1).max(250),
  uui: z.string().max(300).optional(),
  conversationId: z.string().min(1).max(200).optional(),
});
export type GenesysFindConversationInput = z.infer<typeof GenesysFindConversationInput>;
export type GenesysFindConversationResult = { found: false } | ({ found: true } & SessionConversation);

export interface GenesysActivityDeps {
  /** undefined when no Genesys org is configured */
  conversations: () => GenesysConversations | undefined;
  logger: Logger;
}

function parse<T>(schema: z.ZodType<T>, input: unknown, activity: string): T {
  const parsed = schema.safeParse(input);
  // A bad input is a programming error in the orchestration: fail the activity, never retry forever.
  if (!parsed.success) throw new Error(`${activity}: invalid input: ${parsed.error.issues[0]?.path.join('.') ?? ''} ${parsed.error.issues[0]?.message ?? ''}`);
  return parsed.data;
}

/**
 * Queue position and estimated wait. Informational: a Genesys outage answers `unavailable`
 * instead of failing, so the session keeps waiting and simply shows no estimate.
 */
export function genesysQueueStatusActivity(deps: GenesysActivityDeps): (input: unknown) => Promise<GenesysQueueStatusResult> {
  return async (input) => {
    const { conversationId } = parse(GenesysQueueStatusInput, input, GENESYS_ACTIVITIES.queueStatus);
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
    const { conversationId } = parse(GenesysDisconnectInput, input, GENESYS_ACTIVITIES.disconnect);
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
    const { roomName, uui, conversationId } = parse(GenesysFindConversationInput, input, GENESYS_ACTIVITIES.findConversation);
    const conversations = deps.conversations();
    if (!conversations) return { found: false };
    const found = await conversations.findSessionConversation({ roomName, ...(uui ? { uui } : {}) }, conversationId);
    return found ? { found: true, ...found } : { found: false };
  };
}

export const asActivity =
  (fn: (input: unknown) => Promise<unknown>): ActivityHandler =>
  (input: unknown) =>
    fn(input);
