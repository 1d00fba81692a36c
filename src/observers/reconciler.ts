import type { PexipParticipantList, PexipParticipantStatus } from '../adapters/pexip';
import { classifyLeg, isSessionRoom } from '../adapters/pexip/sinkEvents';
import type { DurableControl, SessionEventPublisher } from '../contracts/ports';
import type { SessionEvent } from '../contracts/sessionEvents';
import { reconcile, type LiveParticipant, type SessionSnapshot } from '../domain/reconcile';
import type { Logger } from '../logging/logger';
import { listLiveSessions, RaisedEvents } from './liveSessions';

export interface ReconcilerDeps {
  participants: PexipParticipantList;
  roomPrefix: string;
  genesysSipUri: string | undefined;
  publisher(durable: DurableControl): SessionEventPublisher;
  logger: Logger;
  now(): Date;
}

export interface ReconcileReport {
  sessions: number;
  liveParticipants: number;
  pexipCalls: number;
  complete: boolean;
  corrections: number;
  /** "left" facts withheld because the Pexip list was partial or ambiguous */
  withheld: number;
}

export interface Reconciler {
  cycle(durable: DurableControl): Promise<ReconcileReport>;
}

const LEFT_TYPES = new Set<SessionEvent['type']>(['citizen_left', 'sip_leg_ended']);

function liveParticipant(p: PexipParticipantStatus, genesysSipUri: string | undefined): LiveParticipant {
  const leg = classifyLeg(p, genesysSipUri);
  return { roomName: p.conference, participantId: p.id, leg, connected: leg === 'sip' && p.has_media !== false };
}

/**
 * Who the Pexip status API shows in a room is keyed by the status `id`, and the sessions know
 * their legs by the sink's `uuid` (or the dial reply's `participant_id`); Pexip's documentation does
 * not say these are the same value. So a difference that would make one person two legs is not
 * acted on: in a room where a citizen would both join (an id the session does not know) and leave
 * (an id the room does not show), neither is raised; a SIP leg is declared ended only when the room
 * has no SIP leg at all. What both sources surely carry (the room, and the kind of leg) decides.
 */
function unambiguous(events: SessionEvent[], live: readonly LiveParticipant[]): { keep: SessionEvent[]; withheld: number } {
  const keep: SessionEvent[] = [];
  let withheld = 0;
  for (const event of events) {
    const sameRoom = events.filter((e) => e.roomName === event.roomName);
    if ((event.type === 'citizen_left' && sameRoom.some((e) => e.type === 'citizen_joined')) || (event.type === 'citizen_joined' && sameRoom.some((e) => e.type === 'citizen_left'))) {
      withheld += 1;
      continue;
    }
    if (event.type === 'sip_leg_ended' && live.some((p) => p.roomName === event.roomName && p.leg === 'sip')) {
      withheld += 1;
      continue;
    }
    keep.push(event);
  }
  return { keep, withheld };
}

/**
 * The deployment's reconciler (issue 12): reads the sessions FIRST, then every participant of this
 * deployment's rooms (paged), and raises, under the ids the sink would have used, only the facts
 * the sessions missed (`reconcile()` in the domain). A partial Pexip list raises no "left" fact.
 * While nothing differs nothing is raised, so no session's history grows.
 */
export function createReconciler(deps: ReconcilerDeps): Reconciler {
  const log = deps.logger.child({ component: 'reconciler' });
  const raised = new RaisedEvents();

  return {
    async cycle(durable) {
      const sessions = await listLiveSessions(durable);
      const snapshots: SessionSnapshot[] = sessions.map((s) => ({ roomName: s.roomName, phase: s.phase, citizens: s.citizenParticipants, sipParticipantId: s.sipParticipantId }));
      raised.keepOnly(sessions.map((s) => s.roomName));
      const report: ReconcileReport = { sessions: sessions.length, liveParticipants: 0, pexipCalls: 0, complete: true, corrections: 0, withheld: 0 };
      if (sessions.length === 0) {
        log.info({ metric: 'reconciler_cycle', ...report }, 'reconciler cycle');
        return report;
      }
      const listing = await deps.participants.listAll((room) => isSessionRoom(room, deps.roomPrefix));
      report.pexipCalls = listing.pages;
      report.complete = listing.complete;
      const live = listing.participants.map((p) => liveParticipant(p, deps.genesysSipUri));
      report.liveParticipants = live.length;

      let events = reconcile(snapshots, live, deps.now().toISOString());
      if (!listing.complete) {
        const before = events.length;
        events = events.filter((e) => !LEFT_TYPES.has(e.type));
        report.withheld += before - events.length;
      }
      const { keep, withheld } = unambiguous(events, live);
      report.withheld += withheld;

      for (const event of keep) {
        if (!raised.first(event.roomName, event.eventId)) continue;
        try {
          const outcome = await deps.publisher(durable).publish(event);
          report.corrections += 1;
          const participantId = 'participantId' in event ? event.participantId : undefined;
          log.info({ metric: 'reconciler_correction', roomName: event.roomName, type: event.type, participantId, outcome }, 'reconciler raised a missed Pexip fact');
        } catch (error) {
          raised.forget(event.roomName, event.eventId);
          log.warn({ roomName: event.roomName, type: event.type, err: error instanceof Error ? error.message : String(error) }, 'reconciler could not raise');
        }
      }
      log.info({ metric: 'reconciler_cycle', ...report }, 'reconciler cycle');
      return report;
    },
  };
}
