import type { Logger } from '../../logging/logger';
import type { DurableControl, PublishOutcome, SessionEvent, SessionEventPublisher } from '../../contracts';
import { ENTITIES } from '../../contracts/durable';
import { SessionId } from '../../contracts/ids';
import { PoisonMessageError } from '../servicebus/poison';
import { MAXCONF_ATTRIBUTE, roomFromAni } from './conversations';
import { envelopesOf, parseEnvelope, type DetailEvent, type ParsedEnvelope } from './events';

/** The participant attribute the inbound flow sets before releasing a call (docs/genesys.md). */
export const FLOW_OUTCOME_ATTRIBUTE = 'maxconfFlowOutcome';
const FLOW_REASONS = new Set(['holiday', 'after_hours', 'no_agents']);

export type IngestStatus =
  | PublishOutcome
  /** already handed on (same topic, session and event time) */
  | 'duplicate'
  /** no room known for the conversation: not a MaxConf call, or its first event is still to come */
  | 'unknown_conversation'
  /** recorded (index updated) but nothing for a session to act on */
  | 'recorded';

export interface IngestResult {
  status: IngestStatus;
  topicName: string;
  conversationId: string;
  eventType?: SessionEvent['type'];
}

export interface IngestDeps {
  durable: DurableControl;
  publisher: SessionEventPublisher;
  logger: Logger;
  /**
   * Reads the flow's outcome attribute from Genesys when a release arrives before (or without)
   * the attributes event; undefined when no Genesys client is configured.
   */
  flowOutcomeOf?: (conversationId: string) => Promise<string | undefined>;
  /** conversations this app instance has linked to their room; one per app instance */
  linked?: LinkedConversations;
}

/** Conversations remembered per app instance; past this the least recently linked is forgotten. */
export const LINKED_CONVERSATIONS_MAX = 10_000;

/**
 * The conversations whose `conversationIndex` entry this app instance has written (or read) the
 * room of, in memory: with it, an event that names its room in `ani` is one raise and nothing
 * else. Forgetting one (a restart, another instance) costs one `link` signal again, which the
 * entity takes as a no-op for the same room.
 */
export class LinkedConversations {
  private readonly rooms = new Map<string, string>();
  constructor(private readonly max = LINKED_CONVERSATIONS_MAX) {}
  roomOf(conversationId: string): string | undefined {
    return this.rooms.get(conversationId);
  }
  remember(conversationId: string, roomName: string): void {
    this.rooms.delete(conversationId);
    this.rooms.set(conversationId, roomName);
    while (this.rooms.size > this.max) {
      const oldest = this.rooms.keys().next();
      if (oldest.done) return;
      this.rooms.delete(oldest.value);
    }
  }
}

/**
 * The cheap path: the event names its room in `ani` and means a session event on its own (no
 * flow outcome to look up), so it is raised at once: ONE durable operation, with no read of the
 * index and no status read (the raise's 404/410 say whether the session exists). The index is
 * linked once per conversation, for the events that carry no `ani`. Redeliveries are not marked
 * in the index on this path: the session drops an event id it has already taken.
 */
async function ingestByAni(event: DetailEvent, roomName: string, deps: IngestDeps): Promise<{ status: IngestStatus; sessionEvent: SessionEvent } | undefined> {
  if (event.kind === 'flow.end' || event.kind === 'attributes') return undefined;
  const sessionEvent = toSessionEvent(event, roomName, null);
  if (!sessionEvent) return undefined;
  const status = await deps.publisher.publish(sessionEvent);
  const conversationId = event.body.conversationId;
  if (status === 'accepted' && deps.linked?.roomOf(conversationId) !== roomName) {
    await deps.durable.signalEntity(ENTITIES.conversationIndex, conversationId, 'link', { roomName, at: new Date(event.body.eventTime).toISOString() });
    deps.linked?.remember(conversationId, roomName);
  }
  return { status, sessionEvent };
}

/**
 * The room a caller address names, when it names one a session could have. An address MaxConf
 * cannot use (malformed percent-encoding, a name outside the session id allow-list) names no
 * room: the event is acknowledged as an unknown conversation and the line says which field it
 * was, never its value (a caller address is citizen data when the caller is not MaxConf).
 */
export function roomOfAni(ani: string, logger: Logger, context: { conversationId: string; topicName: string }): string | undefined {
  let room: string | undefined;
  try {
    room = roomFromAni(ani);
  } catch {
    logger.warn({ ...context, field: 'ani', metric: 'genesys_unusable_field' }, 'Genesys event with an unreadable caller address, acknowledged');
    return undefined;
  }
  if (room === undefined || SessionId.safeParse(room).success) return room;
  return undefined;
}

/** topic + Genesys session + event time: the same fact delivered twice has the same key. */
export function dedupeKey(parsed: ParsedEnvelope): string {
  const body = parsed.event.body as { sessionId?: string; eventTime: number };
  return `${parsed.topicName}|${body.sessionId ?? ''}|${body.eventTime}`;
}

const lower = (v: string | undefined) => (v ? v.toLowerCase() : undefined);

/**
 * The session event a detail event means, if any (the mapping of docs/genesys.md: queued = acd.start;
 * answered = acd.end ANSWERED or user.start; abandon = acd.end ABANDON; agent left = user.end;
 * caller gone = customer.end; released before the queue = flow.end without a transfer).
 * Enums arrive UPPERCASE from EventBridge and are handed on lower-case, as REST reports them.
 */
export function toSessionEvent(
  event: DetailEvent,
  roomName: string,
  flowOutcome: string | null,
): SessionEvent | undefined {
  const b = event.body;
  const base = {
    roomName,
    at: new Date(b.eventTime).toISOString(),
    source: 'genesys' as const,
    conversationId: b.conversationId,
  };
  switch (event.kind) {
    case 'acd.start':
      return { ...base, type: 'queued', eventId: `genesys:${b.conversationId}:queued:${event.body.queueId}`, queueId: event.body.queueId };
    case 'acd.end': {
      const outcome = event.body.acdOutcome.toUpperCase();
      if (outcome === 'ANSWERED' && event.body.answeredUserId) {
        const agentUserId = event.body.answeredUserId;
        return { ...base, type: 'agent_connected', eventId: `genesys:${b.conversationId}:agent_connected:${agentUserId}`, agentUserId };
      }
      if (outcome === 'ABANDON') return { ...base, type: 'abandoned', eventId: `genesys:${b.conversationId}:abandoned` };
      return undefined;
    }
    case 'user.start': {
      const agentUserId = event.body.userId;
      // Same eventId as acd.end ANSWERED: both report the one fact, so the second is a duplicate.
      return { ...base, type: 'agent_connected', eventId: `genesys:${b.conversationId}:agent_connected:${agentUserId}`, agentUserId };
    }
    case 'user.end': {
      const ev: SessionEvent = {
        ...base,
        type: 'agent_left',
        eventId: `genesys:${b.conversationId}:agent_left:${event.body.userId}:${event.body.sessionId ?? ''}`,
        agentUserId: event.body.userId,
      };
      const disconnectType = lower(event.body.disconnectType);
      return disconnectType ? { ...ev, disconnectType } : ev;
    }
    case 'customer.end': {
      const ev: SessionEvent = { ...base, type: 'customer_ended', eventId: `genesys:${b.conversationId}:customer_ended` };
      const disconnectType = lower(event.body.disconnectType);
      return disconnectType ? { ...ev, disconnectType } : ev;
    }
    case 'flow.end': {
      if (!flowReleasedCall(event.body)) return undefined;
      const reason = flowOutcome && FLOW_REASONS.has(flowOutcome) ? (flowOutcome as 'holiday' | 'after_hours' | 'no_agents') : 'unknown';
      return { ...base, type: 'released_by_flow', eventId: `genesys:${b.conversationId}:released_by_flow`, reason };
    }
    default:
      return undefined;
  }
}

/**
 * A flow that hands the call to a queue ends with a transfer; one that plays a message and
 * disconnects (holiday, after hours, no agents) does not. Genesys's exact `exitReason` values are
 * unverified (docs/genesys.md), so anything naming a transfer counts as one.
 */
function flowReleasedCall(body: { exitReason?: string; transferType?: string }): boolean {
  if (body.transferType && body.transferType.trim() !== '') return false;
  if (!body.exitReason) return false;
  return !/TRANSFER/i.test(body.exitReason);
}

/** Ingests one validated envelope: correlate, dedupe, raise, record. Throws only for retryable failures. */
export async function ingestEnvelope(parsed: ParsedEnvelope, deps: IngestDeps): Promise<IngestResult> {
  const { event } = parsed;
  const conversationId = event.body.conversationId;
  const result = (status: IngestStatus, eventType?: SessionEvent['type']): IngestResult => ({
    status,
    topicName: parsed.topicName,
    conversationId,
    ...(eventType ? { eventType } : {}),
  });
  const ani = 'ani' in event.body && typeof event.body.ani === 'string' ? event.body.ani : undefined;
  const context = { conversationId, topicName: parsed.topicName };
  const aniRoom = ani ? roomOfAni(ani, deps.logger, context) : undefined;
  if (aniRoom !== undefined) {
    const fast = await ingestByAni(event, aniRoom, deps);
    if (fast) {
      if (fast.status !== 'accepted') deps.logger.info({ conversationId, topicName: parsed.topicName, status: fast.status }, 'Genesys event not raised on a session');
      return result(fast.status, fast.sessionEvent.type);
    }
  }

  const index = await deps.durable.readEntityState(ENTITIES.conversationIndex, conversationId);
  const key = dedupeKey(parsed);
  if (index?.seen.includes(key)) return result('duplicate');

  const attributes = event.kind === 'attributes' ? event.body.attributes : {};
  const fromAttribute = attributes[MAXCONF_ATTRIBUTE];
  const candidate = index?.roomName ?? aniRoom ?? fromAttribute;
  // every name below becomes an instance id: one outside the allow-list names no session
  const roomName = candidate !== undefined && SessionId.safeParse(candidate).success ? candidate : undefined;

  let flowOutcome = index?.flowOutcome ?? null;
  if (event.kind === 'attributes' && attributes[FLOW_OUTCOME_ATTRIBUTE]) {
    flowOutcome = attributes[FLOW_OUTCOME_ATTRIBUTE];
    await deps.durable.signalEntity(ENTITIES.conversationIndex, conversationId, 'setFlowOutcome', { outcome: flowOutcome });
  }
  if (!roomName) {
    deps.logger.info({ conversationId, topicName: parsed.topicName }, 'Genesys event for an unknown conversation, recorded and acknowledged');
    return result('unknown_conversation');
  }
  if (!index?.roomName) {
    // Only MaxConf's own sessions get an index entry: other callers in the same queue (or a
    // caller address that merely looks like a room) must not leave an entity behind each.
    if (!(await deps.durable.getStatus(roomName))) {
      deps.logger.info({ conversationId, topicName: parsed.topicName }, 'Genesys event for a room without a session, acknowledged');
      return result('unknown_session');
    }
    await deps.durable.signalEntity(ENTITIES.conversationIndex, conversationId, 'link', { roomName, at: new Date(event.body.eventTime).toISOString() });
  }
  deps.linked?.remember(conversationId, roomName);

  if (event.kind === 'flow.end' && !flowOutcome && deps.flowOutcomeOf && flowReleasedCall(event.body)) {
    try {
      flowOutcome = (await deps.flowOutcomeOf(conversationId)) ?? null;
    } catch {
      // the release still counts; only its reason stays unknown
      flowOutcome = null;
    }
  }
  const sessionEvent = toSessionEvent(event, roomName, flowOutcome);
  // Two topics can report one fact (acd.end ANSWERED and user.start): the session event's id catches that.
  if (sessionEvent && index?.seen.includes(sessionEvent.eventId)) {
    await deps.durable.signalEntity(ENTITIES.conversationIndex, conversationId, 'markSeen', { key });
    return result('duplicate', sessionEvent.type);
  }
  let status: IngestStatus = 'recorded';
  if (sessionEvent) status = await deps.publisher.publish(sessionEvent);
  // Marked after the publish: a crash in between redelivers, and the session drops the repeat by eventId.
  await deps.durable.signalEntity(ENTITIES.conversationIndex, conversationId, 'markSeen', { key });
  if (sessionEvent) await deps.durable.signalEntity(ENTITIES.conversationIndex, conversationId, 'markSeen', { key: sessionEvent.eventId });
  if (status !== 'accepted' && status !== 'recorded') {
    deps.logger.info({ conversationId, topicName: parsed.topicName, status }, 'Genesys event not raised on a session');
  }
  return result(status, sessionEvent?.type);
}

/**
 * One Service Bus message: an envelope or an array of them. A message that cannot be read or
 * validated is poison (dead-lettered with the reason); everything else is acknowledged, and only
 * a failure to reach the durable runtime is thrown for a retry.
 */
export async function ingestMessage(message: unknown, deps: IngestDeps): Promise<IngestResult[]> {
  let items: unknown[];
  try {
    items = envelopesOf(message);
  } catch {
    throw new PoisonMessageError('InvalidJson', 'the message body is not JSON');
  }
  const parsed: ParsedEnvelope[] = [];
  for (const [i, item] of items.entries()) {
    const p = parseEnvelope(item);
    if (!p.ok) throw new PoisonMessageError('InvalidEnvelope', items.length > 1 ? `[${i}] ${p.error}` : p.error);
    parsed.push(p.value);
  }
  // Oldest first, so one message's events reach the session in the order they happened.
  parsed.sort((a, b) => a.event.body.eventTime - b.event.body.eventTime);
  const results: IngestResult[] = [];
  for (const p of parsed) results.push(await ingestEnvelope(p, deps));
  return results;
}
