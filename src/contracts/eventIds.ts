/**
 * The event ids ingestion gives each vendor fact. Whoever reports a fact (the Pexip sink, the
 * Genesys ingestion, the session's own check of the vendors, the reconciler, the queue observer)
 * uses the same id for it, so a fact reported twice is dropped as a duplicate by the session.
 */
export const eventIds = {
  participantJoined: (participantId: string) => `pexip:${participantId}:joined`,
  participantLeft: (participantId: string) => `pexip:${participantId}:left`,
  conversationQueued: (conversationId: string, queueId: string) => `genesys:${conversationId}:queued:${queueId}`,
  agentConnected: (conversationId: string, agentUserId: string) => `genesys:${conversationId}:agent_connected:${agentUserId}`,
  customerEnded: (conversationId: string) => `genesys:${conversationId}:customer_ended`,
  abandoned: (conversationId: string) => `genesys:${conversationId}:abandoned`,
} as const;
