import type { Models } from 'purecloud-platform-client-v2';
import type { Logger } from '../../logging/logger';
import { bodyOf, GenesysApiError, type GenesysServiceClient } from './client';
import { ConversationsApi, RoutingApi, AnalyticsApi } from './sdkApis';

export interface QueueRef {
  id: string;
  name: string;
}

export interface SessionConversation {
  conversationId: string;
  customerParticipantId: string;
  /** the queue the call is waiting in or was answered from */
  queueId: string | undefined;
  /** waiting: in the queue; connected: an agent is on; ended: the customer leg is gone */
  state: 'in_flow' | 'waiting' | 'connected' | 'ended';
  agentUserId: string | undefined;
  /** which identity matched the session: the caller name, the flow's attribute, or the UUI */
  matchedBy: 'aniName' | 'attribute' | 'uui';
}

export interface QueueStatus {
  conversationId: string;
  queueId: string | undefined;
  waiting: boolean;
  /** Genesys's estimated wait for this conversation, in seconds */
  estimatedWaitSeconds: number | undefined;
  /** 1 = next to be offered; see docs/genesys.md for how it is derived */
  position: number | undefined;
  /** the user id of an agent connected to the call, if any */
  answeredBy?: string;
  /** the customer leg has ended */
  customerEnded?: boolean;
}

export type DisconnectOutcome = 'disconnected' | 'already_ended' | 'not_found';

export interface SessionIdentity {
  roomName: string;
  /** the UUI MaxConf dialled with (hex, `;encoding=…` optional), as a backup match */
  uui?: string;
}

/**
 * What MaxConf asks of Genesys about calls. The orchestration and activities see only this; the
 * SDK stays inside the adapter.
 */
export interface GenesysConversations {
  resolveQueue(name: string): Promise<QueueRef>;
  findSessionConversation(session: SessionIdentity, conversationId?: string): Promise<SessionConversation | undefined>;
  queueStatus(conversationId: string): Promise<QueueStatus | undefined>;
  estimatedWait(queueId: string, conversationId: string): Promise<number | undefined>;
  queuePosition(queueId: string, conversationId: string): Promise<number | undefined>;
  disconnectCustomer(conversationId: string): Promise<DisconnectOutcome>;
  /** a participant attribute of the customer leg (e.g. what the inbound flow recorded) */
  customerAttribute(conversationId: string, name: string): Promise<string | undefined>;
  /** one uncached Platform API call: the login works and the session queue exists (for /health) */
  checkReady(): Promise<void>;
}

export interface ConversationsOptions {
  client: GenesysServiceClient;
  logger: Logger;
  now: () => Date;
  /** the queue this deployment dials; candidates for a room are searched there */
  queueName: string;
  /** how far back the analytics search looks for a session's conversation */
  searchWindowMs?: number;
}

const ENDED_CALL_STATES = new Set(['disconnected', 'terminated']);
const SEARCH_PAGE_SIZE = 100;
const SEARCH_MAX_PAGES = 5;
const FALLBACK_CANDIDATES = 25;

export const MAXCONF_ATTRIBUTE = 'maxconfSessionId';

export function createGenesysConversations(options: ConversationsOptions): GenesysConversations {
  const { client, now } = options;
  const windowMs = options.searchWindowMs ?? 6 * 60 * 60 * 1000;
  const routing = new RoutingApi(client.sdk);
  const conversations = new ConversationsApi(client.sdk);
  const analytics = new AnalyticsApi(client.sdk);
  // Queue ids never change for a name within a process's life; cached per adapter instance.
  const queues = new Map<string, Promise<QueueRef>>();

  /** One uncached search; `name` is a prefix/wildcard search on Genesys's side, so only an exact match counts. */
  async function lookupQueue(name: string): Promise<QueueRef> {
    for (let page = 1; page <= SEARCH_MAX_PAGES; page++) {
      const listing = bodyOf<Models.QueueEntityListing>(
        await client.call('getRoutingQueues', () => routing.getRoutingQueues({ name, pageSize: 25, pageNumber: page })),
      );
      const exact = listing.entities?.find((q) => q.name === name && q.id);
      if (exact?.id) return { id: exact.id, name };
      if (!listing.pageCount || page >= listing.pageCount) break;
    }
    throw new GenesysApiError('getRoutingQueues', 404, 'queue.not.found', `no queue named exactly ${name}`);
  }

  function resolveQueue(name: string): Promise<QueueRef> {
    let found = queues.get(name);
    if (!found) {
      found = lookupQueue(name);
      queues.set(name, found);
      found.catch(() => queues.delete(name));
    }
    return found;
  }

  async function getConversation(conversationId: string): Promise<Models.Conversation | undefined> {
    try {
      return bodyOf<Models.Conversation>(await client.call('getConversation', () => conversations.getConversation(conversationId)));
    } catch (error) {
      if (error instanceof GenesysApiError && (error.status === 404 || error.status === 400)) return undefined;
      throw error;
    }
  }

  async function activeInQueue(queueId: string): Promise<Models.AnalyticsConversationWithoutAttributes[]> {
    const to = now();
    const from = new Date(to.getTime() - windowMs);
    const found: Models.AnalyticsConversationWithoutAttributes[] = [];
    for (let pageNumber = 1; pageNumber <= SEARCH_MAX_PAGES; pageNumber++) {
      const body: Models.ConversationQuery = {
        interval: `${from.toISOString()}/${to.toISOString()}`,
        order: 'asc',
        orderBy: 'conversationStart',
        paging: { pageSize: SEARCH_PAGE_SIZE, pageNumber },
        conversationFilters: [
          { type: 'and', predicates: [{ type: 'dimension', dimension: 'conversationEnd', operator: 'notExists' }] },
        ],
        segmentFilters: [
          {
            type: 'and',
            predicates: [
              { type: 'dimension', dimension: 'queueId', value: queueId },
              { type: 'dimension', dimension: 'purpose', value: 'acd' },
            ],
          },
        ],
      };
      const reply = bodyOf<Models.AnalyticsConversationQueryResponse>(
        await client.call('postAnalyticsConversationsDetailsQuery', () => analytics.postAnalyticsConversationsDetailsQuery(body)),
      );
      const batch = reply.conversations ?? [];
      found.push(...batch);
      if (batch.length < SEARCH_PAGE_SIZE || found.length >= (reply.totalHits ?? 0)) break;
    }
    return found;
  }

  async function findSessionConversation(session: SessionIdentity, conversationId?: string) {
    if (conversationId) {
      const conversation = await getConversation(conversationId);
      return conversation ? describe(conversation, session) : undefined;
    }
    const queue = await resolveQueue(options.queueName);
    const candidates = (await activeInQueue(queue.id)).filter((c) => c.conversationId);
    // Cheap pre-filter on what analytics already shows (caller address or name); when nothing
    // matches, the flow's attribute or the UUI may still identify it, so all are checked.
    const likely = candidates.filter((c) => analyticsMentions(c, session.roomName));
    // Without a hint, only the newest few are opened one by one: a session's call is recent.
    const toOpen = likely.length > 0 ? likely : candidates.slice(-FALLBACK_CANDIDATES);
    for (const candidate of toOpen) {
      const conversation = await getConversation(candidate.conversationId!);
      const described = conversation && describe(conversation, session);
      if (described) return described;
    }
    return undefined;
  }

  async function estimatedWait(queueId: string, conversationId: string): Promise<number | undefined> {
    const reply = bodyOf<Models.EstimatedWaitTimePredictions>(
      await client.call('getRoutingQueueEstimatedwaittime', () =>
        routing.getRoutingQueueEstimatedwaittime(queueId, { conversationId }),
      ),
    );
    const seconds = reply.results?.[0]?.estimatedWaitTimeSeconds;
    return typeof seconds === 'number' && seconds >= 0 ? seconds : undefined;
  }

  async function queuePosition(queueId: string, conversationId: string): Promise<number | undefined> {
    const waiting = (await activeInQueue(queueId))
      .map((c) => ({ id: c.conversationId, since: waitingSince(c, queueId) }))
      .filter((c): c is { id: string; since: string } => Boolean(c.id && c.since));
    const mine = waiting.find((c) => c.id === conversationId);
    // Analytics lags real time by a few seconds; an unseen conversation gets no position.
    if (!mine) return undefined;
    const ahead = waiting.filter((c) => c.since < mine.since || (c.since === mine.since && c.id < mine.id)).length;
    return ahead + 1;
  }

  async function queueStatus(conversationId: string): Promise<QueueStatus | undefined> {
    const conversation = await getConversation(conversationId);
    if (!conversation) return undefined;
    const participants = conversation.participants ?? [];
    const customer = participants.find((p) => p.purpose === 'customer');
    const agent = participants.find((p) => p.purpose === 'agent' && p.userId && !participantEnded(p) && connectedNow(p));
    const settled = {
      ...(agent?.userId ? { answeredBy: agent.userId } : {}),
      ...(customer && participantEnded(customer) ? { customerEnded: true } : {}),
    };
    const acd = participants.find((p) => p.purpose === 'acd' && !p.endTime && p.queueId);
    if (!acd?.queueId || settled.answeredBy || settled.customerEnded) {
      const anyQueue = participants.find((p) => p.purpose === 'acd')?.queueId;
      return { conversationId, queueId: anyQueue, waiting: false, estimatedWaitSeconds: undefined, position: undefined, ...settled };
    }
    const [estimatedWaitSeconds, position] = await Promise.all([
      estimatedWait(acd.queueId, conversationId),
      queuePosition(acd.queueId, conversationId),
    ]);
    return { conversationId, queueId: acd.queueId, waiting: true, estimatedWaitSeconds, position };
  }

  async function disconnectCustomer(conversationId: string): Promise<DisconnectOutcome> {
    const conversation = await getConversation(conversationId);
    if (!conversation) return 'not_found';
    const customer = conversation.participants?.find((p) => p.purpose === 'customer');
    if (!customer?.id || participantEnded(customer)) return 'already_ended';
    try {
      await client.call('patchConversationsCallParticipant', () =>
        conversations.patchConversationsCallParticipant(conversationId, customer.id!, { state: 'disconnected' }),
      );
    } catch (error) {
      // Someone else (the caller, the agent) ended it between our read and our write.
      if (error instanceof GenesysApiError && (error.status === 404 || error.status === 409)) return 'already_ended';
      throw error;
    }
    return 'disconnected';
  }

  async function customerAttribute(conversationId: string, name: string): Promise<string | undefined> {
    const conversation = await getConversation(conversationId);
    return conversation?.participants?.find((p) => p.purpose === 'customer')?.attributes?.[name];
  }

  async function checkReady(): Promise<void> {
    await lookupQueue(options.queueName);
  }

  return { resolveQueue, findSessionConversation, queueStatus, estimatedWait, queuePosition, disconnectCustomer, customerAttribute, checkReady };
}

/** An agent leg counts once its call is connected: an offered (alerting) call may still go unanswered. */
function connectedNow(p: Models.Participant): boolean {
  return (p.calls ?? []).some((c) => String(c.state ?? '').toLowerCase() === 'connected');
}

function participantEnded(p: Models.Participant): boolean {
  if (p.endTime) return true;
  const calls = p.calls ?? [];
  return calls.length > 0 && calls.every((c) => ENDED_CALL_STATES.has(String(c.state ?? '').toLowerCase()));
}

function analyticsMentions(c: Models.AnalyticsConversationWithoutAttributes, roomName: string): boolean {
  return (c.participants ?? []).some(
    (p) =>
      p.participantName === roomName ||
      (p.sessions ?? []).some((s) => typeof s.ani === 'string' && roomFromAni(s.ani) === roomName),
  );
}

/** When the conversation's acd leg for this queue started waiting; undefined once it was answered. */
function waitingSince(c: Models.AnalyticsConversationWithoutAttributes, queueId: string): string | undefined {
  for (const p of c.participants ?? []) {
    if (p.purpose !== 'acd') continue;
    for (const s of p.sessions ?? []) {
      for (const seg of s.segments ?? []) {
        if (seg.queueId === queueId && seg.segmentType === 'interact' && !seg.segmentEnd && seg.segmentStart) return seg.segmentStart;
      }
    }
  }
  return undefined;
}

/** `sip:room@host`, `sips:room@host;tag`, `tel:`-less `room@host` → `room`. */
export function roomFromAni(ani: string): string | undefined {
  const m = /^(?:sips?:)?([^@;:\s]+)@/i.exec(ani.trim());
  return m?.[1] ? decodeURIComponent(m[1]) : undefined;
}

/** `6964…;encoding=hex` and `6964…` compare equal. */
function sameUui(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  const strip = (u: string) => u.split(';')[0]!.trim().toLowerCase();
  return strip(a) === strip(b);
}

function describe(conversation: Models.Conversation, session: SessionIdentity): SessionConversation | undefined {
  const participants = conversation.participants ?? [];
  const customer = participants.find((p) => p.purpose === 'customer');
  if (!conversation.id || !customer?.id) return undefined;
  let matchedBy: SessionConversation['matchedBy'] | undefined;
  if (customer.aniName === session.roomName) matchedBy = 'aniName';
  else if (customer.attributes?.[MAXCONF_ATTRIBUTE] === session.roomName) matchedBy = 'attribute';
  else if (session.uui && (customer.calls ?? []).some((c) => sameUui(c.uuiData, session.uui))) matchedBy = 'uui';
  if (!matchedBy) return undefined;
  const acds = participants.filter((p) => p.purpose === 'acd');
  const activeAcd = acds.find((p) => !p.endTime);
  const agent = participants.find((p) => p.purpose === 'agent' && !participantEnded(p) && p.userId && connectedNow(p));
  const ivr = participants.find((p) => p.purpose === 'ivr' && !p.endTime);
  const state: SessionConversation['state'] = participantEnded(customer)
    ? 'ended'
    : agent
      ? 'connected'
      : activeAcd
        ? 'waiting'
        : ivr
          ? 'in_flow'
          : 'waiting';
  return {
    conversationId: conversation.id,
    customerParticipantId: customer.id,
    queueId: (activeAcd ?? acds[acds.length - 1])?.queueId,
    state,
    agentUserId: agent?.userId,
    matchedBy,
  };
}
