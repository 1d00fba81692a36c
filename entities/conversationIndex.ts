import type { EntityContext, EntityHandler } from 'durable-functions';
import { z } from 'zod';

/**
 * `conversationIndex`, keyed by Genesys conversation id: which MaxConf room (session) a Genesys
 * conversation belongs to, so events that carry no caller address (attributes) or arrive late
 * still find their session; and which detail events were already handed on, so EventBridge's
 * at-least-once redeliveries do not become session history.
 */
export const CONVERSATION_INDEX = 'conversationIndex';

/** Bounded so a long call's events never grow the state without limit. */
export const SEEN_LIMIT = 200;

export interface ConversationIndexState {
  roomName: string | null;
  /** what the inbound flow recorded before releasing the call (holiday, after_hours, no_agents) */
  flowOutcome: string | null;
  /** dedupe keys (topic | sessionId | eventTime) of events already handed on, oldest first */
  seen: string[];
  linkedAt: string | null;
}

export const CONVERSATION_INDEX_OPS = {
  link: 'link',
  markSeen: 'markSeen',
  setFlowOutcome: 'setFlowOutcome',
  get: 'get',
  delete: 'delete',
} as const;

const LinkInput = z.object({ roomName: z.string().min(1).max(250), at: z.string().max(64) });
const MarkSeenInput = z.object({ key: z.string().min(1).max(400) });
const FlowOutcomeInput = z.object({ outcome: z.string().min(1).max(100) });

export function emptyIndexState(): ConversationIndexState {
  return { roomName: null, flowOutcome: null, seen: [], linkedAt: null };
}

/** Pure state transition, so it is tested without a runtime. Unknown or malformed input changes nothing. */
export function applyIndexOperation(
  state: ConversationIndexState,
  operation: string | undefined,
  input: unknown,
): ConversationIndexState {
  switch (operation) {
    case CONVERSATION_INDEX_OPS.link: {
      const parsed = LinkInput.safeParse(input);
      // First link wins: a conversation belongs to one session for its whole life.
      if (!parsed.success || state.roomName) return state;
      return { ...state, roomName: parsed.data.roomName, linkedAt: parsed.data.at };
    }
    case CONVERSATION_INDEX_OPS.markSeen: {
      const parsed = MarkSeenInput.safeParse(input);
      if (!parsed.success || state.seen.includes(parsed.data.key)) return state;
      return { ...state, seen: [...state.seen, parsed.data.key].slice(-SEEN_LIMIT) };
    }
    case CONVERSATION_INDEX_OPS.setFlowOutcome: {
      const parsed = FlowOutcomeInput.safeParse(input);
      if (!parsed.success) return state;
      return { ...state, flowOutcome: parsed.data.outcome };
    }
    default:
      return state;
  }
}

export const conversationIndexEntity: EntityHandler<unknown> = (context) => {
  const ctx = context as unknown as EntityContext<ConversationIndexState>;
  const operation = ctx.df.operationName;
  if (operation === CONVERSATION_INDEX_OPS.delete) {
    ctx.df.destructOnExit();
    return;
  }
  const state = ctx.df.getState(emptyIndexState) ?? emptyIndexState();
  if (operation === CONVERSATION_INDEX_OPS.get) {
    ctx.df.return(state);
    return;
  }
  ctx.df.setState(applyIndexOperation(state, operation, ctx.df.getInput()));
};
