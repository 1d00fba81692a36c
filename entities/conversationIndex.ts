import type { EntityContext } from 'durable-functions';
import {
  IndexFlowOutcomeInput,
  IndexLinkInput,
  IndexMarkSeenInput,
  type ConversationIndexOperations,
  type ConversationIndexState,
} from '../src/contracts/durable';

/**
 * `conversationIndex`, keyed by Genesys conversation id: which MaxConf room (session) a Genesys
 * conversation belongs to, so events that carry no caller address (attributes) or arrive late
 * still find their session; and which detail events were already handed on, so EventBridge's
 * at-least-once redeliveries do not become session history. `ENTITIES.conversationIndex`; its
 * state and operation inputs are in src/contracts/durable.ts.
 */

/** Bounded so a long call's events never grow the state without limit. */
export const SEEN_LIMIT = 200;

export const CONVERSATION_INDEX_OPS: { [K in keyof ConversationIndexOperations]: K } = {
  link: 'link',
  markSeen: 'markSeen',
  setFlowOutcome: 'setFlowOutcome',
  get: 'get',
  delete: 'delete',
} as const;

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
      const parsed = IndexLinkInput.safeParse(input);
      // First link wins: a conversation belongs to one session for its whole life.
      if (!parsed.success || state.roomName) return state;
      return { ...state, roomName: parsed.data.roomName, linkedAt: parsed.data.at };
    }
    case CONVERSATION_INDEX_OPS.markSeen: {
      const parsed = IndexMarkSeenInput.safeParse(input);
      if (!parsed.success || state.seen.includes(parsed.data.key)) return state;
      return { ...state, seen: [...state.seen, parsed.data.key].slice(-SEEN_LIMIT) };
    }
    case CONVERSATION_INDEX_OPS.setFlowOutcome: {
      const parsed = IndexFlowOutcomeInput.safeParse(input);
      if (!parsed.success) return state;
      return { ...state, flowOutcome: parsed.data.outcome };
    }
    default:
      return state;
  }
}

export function conversationIndexEntity(ctx: EntityContext<ConversationIndexState>): void {
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
}
