import type { QueueRef, QueueStatus as ConversationStatus } from '../adapters/genesys/conversations';
import { roomFromAni } from '../adapters/genesys/conversations';
import type { ObservedCall, QueueObservations } from '../adapters/genesys/queueObservations';
import { eventIds } from '../contracts/eventIds';
import type { DurableControl, SessionEventPublisher } from '../contracts/ports';
import type { SessionEvent } from '../contracts/sessionEvents';
import type { QueueStatus } from '../contracts/sessionIndex';
import { queuePositions, shownPosition } from '../domain/queueObservation';
import type { Logger } from '../logging/logger';
import { listLiveSessions, RaisedEvents, type LiveSession } from './liveSessions';

export interface QueueObserverDeps {
  observations: QueueObservations;
  /** the deployment's queue (resolved once and cached by the adapter) and the one-conversation read */
  conversations: { resolveQueue(name: string): Promise<QueueRef>; queueStatus(conversationId: string): Promise<ConversationStatus | undefined> };
  queueName: string;
  publisher(durable: DurableControl): SessionEventPublisher;
  /** where the live figures go (the support read model); the observer keeps them itself too */
  recordQueueStatus?: (sessionId: string, status: QueueStatus) => Promise<unknown>;
  /** at most this many single-conversation reads per cycle (sessions whose call left the waiting list) */
  maxConversationReads?: number;
  logger: Logger;
  now(): Date;
}

export interface QueueCycleReport {
  queued: number;
  waitingInQueue: number;
  truncated: boolean;
  matched: number;
  genesysCalls: number;
  raised: number;
}

export interface QueueObserver {
  /** one cycle: one observation of the queue (two Genesys calls), plus one read per session whose call left it */
  cycle(durable: DurableControl): Promise<QueueCycleReport>;
  /** the live position and wait last shown for a session, if it is waiting */
  liveStatus(roomName: string): QueueStatus | undefined;
}

const FOLLOWED: readonly string[] = ['dialing', 'queued'];

/**
 * The deployment's one queue observer (issue 12): from behaviour 3 sessions do not poll Genesys;
 * this does, once per cycle for every queued caller. It keeps the live position and wait outside
 * the sessions' histories and raises an event on a session only for a transition the session has
 * not seen: its call found in the queue (`queued`), answered (`agent_connected`) or ended
 * (`customer_ended`), each under the id Genesys ingestion gives that fact, so a late event and
 * the observer's correction are one fact to the session.
 *
 * Its state (what was shown, what was raised) is the state of one timer's closure: after a
 * restart positions are shown afresh from the next observation.
 */
export function createQueueObserver(deps: QueueObserverDeps): QueueObserver {
  const log = deps.logger.child({ component: 'queue-observer' });
  const shown = new Map<string, QueueStatus>();
  const raised = new RaisedEvents();
  // the conversations the previous observation listed: with a truncated list, leaving it is the transition
  let listedBefore = new Set<string>();
  const maxReads = deps.maxConversationReads ?? 50;

  async function raise(durable: DurableControl, event: SessionEvent, why: string): Promise<boolean> {
    if (!raised.first(event.roomName, event.eventId)) return false;
    try {
      const outcome = await deps.publisher(durable).publish(event);
      log.info({ metric: 'queue_observer_correction', roomName: event.roomName, type: event.type, eventId: event.eventId, outcome, why }, 'queue observer raised a missed Genesys fact');
      return true;
    } catch (error) {
      raised.forget(event.roomName, event.eventId);
      log.warn({ roomName: event.roomName, type: event.type, err: error instanceof Error ? error.message : String(error) }, 'queue observer could not raise');
      return false;
    }
  }

  function callOf(session: LiveSession, waiting: Map<string, ObservedCall>, byCaller: Map<string, ObservedCall>): ObservedCall | undefined {
    return session.conversationId ? waiting.get(session.conversationId) : byCaller.get(session.roomName);
  }

  return {
    liveStatus: (roomName) => shown.get(roomName),

    async cycle(durable) {
      const at = deps.now().toISOString();
      const sessions = (await listLiveSessions(durable)).filter((s) => FOLLOWED.includes(s.phase));
      const report: QueueCycleReport = { queued: sessions.length, waitingInQueue: 0, truncated: false, matched: 0, genesysCalls: 0, raised: 0 };
      raised.keepOnly(sessions.map((s) => s.roomName));
      for (const room of shown.keys()) if (!sessions.some((s) => s.roomName === room)) shown.delete(room);
      if (sessions.length === 0) {
        log.info({ metric: 'queue_observer_cycle', ...report }, 'queue observer cycle');
        return report;
      }

      const queue = await deps.conversations.resolveQueue(deps.queueName);
      const observation = await deps.observations.observe(queue.id);
      report.genesysCalls += 2;
      report.waitingInQueue = observation.waiting.length;
      report.truncated = observation.truncated;
      const waiting = new Map(observation.waiting.map((c) => [c.conversationId, c]));
      // a call the session has no conversation id for is recognised by its caller: the room name
      const byCaller = new Map<string, ObservedCall>();
      for (const c of observation.waiting) {
        const room = c.participantName ?? (c.ani ? roomFromAni(c.ani) : undefined);
        if (room) byCaller.set(room, c);
      }
      const positions = queuePositions(observation.waiting);

      let reads = 0;
      for (const session of sessions) {
        const call = callOf(session, waiting, byCaller);
        if (call) {
          report.matched += 1;
          const previous = shown.get(session.roomName);
          const position = shownPosition(positions.get(call.conversationId)!, previous?.position);
          const status: QueueStatus = { position, at, ...(observation.estimatedWaitSeconds !== undefined ? { estimatedWaitSeconds: observation.estimatedWaitSeconds } : {}) };
          shown.set(session.roomName, status);
          if (deps.recordQueueStatus) await deps.recordQueueStatus(session.roomName, status).catch(() => undefined);
          if (!session.conversationId) {
            const event: SessionEvent = { type: 'queued', source: 'genesys', roomName: session.roomName, at, conversationId: call.conversationId, queueId: queue.id, eventId: eventIds.conversationQueued(call.conversationId, queue.id) };
            if (await raise(durable, event, 'in the queue without its acd.start event')) report.raised += 1;
          }
          continue;
        }
        // Not waiting: only a session that knows its call and believes it queued can have missed
        // its end. With a truncated list an unlisted call may still wait, so only one that was
        // listed and no longer is has certainly left; read that one conversation.
        if (session.phase !== 'queued' || !session.conversationId || reads >= maxReads) continue;
        if (observation.truncated && !listedBefore.has(session.conversationId)) continue;
        reads += 1;
        report.genesysCalls += 1;
        let truth: ConversationStatus | undefined;
        try {
          truth = await deps.conversations.queueStatus(session.conversationId);
        } catch (error) {
          log.warn({ roomName: session.roomName, err: error instanceof Error ? error.message : String(error) }, 'queue observer could not read a conversation');
          continue;
        }
        if (truth?.waiting) report.genesysCalls += 2; // the adapter read its wait and position too
        const base = { source: 'genesys' as const, roomName: session.roomName, at, conversationId: session.conversationId };
        if (truth?.answeredBy) {
          const event: SessionEvent = { ...base, type: 'agent_connected', agentUserId: truth.answeredBy, eventId: eventIds.agentConnected(session.conversationId, truth.answeredBy) };
          if (await raise(durable, event, 'answered without its Genesys event')) report.raised += 1;
        } else if (truth?.customerEnded) {
          const event: SessionEvent = { ...base, type: 'customer_ended', eventId: eventIds.customerEnded(session.conversationId) };
          if (await raise(durable, event, 'the call ended without its Genesys event')) report.raised += 1;
        }
      }
      listedBefore = new Set(waiting.keys());
      log.info({ metric: 'queue_observer_cycle', ...report }, 'queue observer cycle');
      return report;
    },
  };
}
