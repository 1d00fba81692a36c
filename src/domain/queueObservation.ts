/**
 * The queue observer's rules: one observation of a queue (the conversations waiting in it, as
 * Genesys's queue observations list them) gives every waiting caller's position. Genesys has no
 * position field: a caller is behind everyone of higher routing priority and everyone of the same
 * priority who has waited longer.
 */
export interface WaitingConversation {
  conversationId: string;
  /** when the conversation started waiting in the queue */
  waitingSince: string;
  /** higher is routed first; Genesys's default is 0 */
  routingPriority: number;
}

/** 1-based positions of every waiting conversation. */
export function queuePositions(waiting: readonly WaitingConversation[]): Map<string, number> {
  const order = [...waiting].sort(
    (a, b) => b.routingPriority - a.routingPriority || Date.parse(a.waitingSince) - Date.parse(b.waitingSince) || a.conversationId.localeCompare(b.conversationId),
  );
  return new Map(order.map((c, i) => [c.conversationId, i + 1]));
}

/**
 * The position a caller is shown: never higher than one shown before (someone of higher priority
 * arriving must not move a waiting citizen back on screen). A caller observed for the first time
 * is shown what the observation says.
 */
export function shownPosition(observed: number, previouslyShown: number | undefined): number {
  return previouslyShown === undefined ? observed : Math.min(observed, previouslyShown);
}
