import { eventIds } from '../contracts/eventIds';
import type { SessionEvent } from '../contracts/sessionEvents';
import type { Phase } from './session';

/**
 * The deployment-wide reconciler's rule: compare what the sessions believe with who is really in
 * their rooms and raise, under the ids ingestion would have used, only the facts that differ. A
 * fact that was merely late is a duplicate of the event that brings it and is dropped by the
 * session, so a correction is never harmful when the event was not lost after all.
 *
 * Soundness of "left": the sessions are read BEFORE the rooms. A participant a session lists has
 * therefore joined before the room list was taken; if that list (complete, every page) lacks it, it
 * has left. A "joined" for someone who arrived after the session read is a harmless duplicate.
 */
export interface SessionSnapshot {
  roomName: string;
  phase: Phase;
  /** citizen participant ids the session believes are in the room */
  citizens: string[];
  /** the connected SIP leg the session knows, if any */
  sipParticipantId: string | null;
}

export interface LiveParticipant {
  roomName: string;
  participantId: string;
  leg: 'citizen' | 'sip' | 'agent' | 'other';
  /** a SIP leg: answered, with media */
  connected: boolean;
}

const WATCHED: readonly Phase[] = ['waiting_for_citizen', 'dialing', 'queued', 'in_call', 'reconnecting'];

export function reconcile(sessions: readonly SessionSnapshot[], live: readonly LiveParticipant[], at: string): SessionEvent[] {
  const byRoom = new Map<string, LiveParticipant[]>();
  for (const p of live) byRoom.set(p.roomName, [...(byRoom.get(p.roomName) ?? []), p]);
  const events: SessionEvent[] = [];
  for (const session of sessions) {
    if (!WATCHED.includes(session.phase)) continue;
    const inRoom = byRoom.get(session.roomName) ?? [];
    const base = { source: 'pexip' as const, roomName: session.roomName, at };
    const liveCitizens = new Set(inRoom.filter((p) => p.leg === 'citizen').map((p) => p.participantId));
    for (const participantId of liveCitizens) {
      if (!session.citizens.includes(participantId)) {
        events.push({ ...base, type: 'citizen_joined', participantId, eventId: eventIds.participantJoined(participantId) });
      }
    }
    for (const participantId of session.citizens) {
      if (!liveCitizens.has(participantId)) {
        events.push({ ...base, type: 'citizen_left', participantId, eventId: eventIds.participantLeft(participantId), reason: 'not in the room (reconciler)' });
      }
    }
    const sipLegs = inRoom.filter((p) => p.leg === 'sip');
    if (session.phase === 'dialing' && !session.sipParticipantId) {
      const connected = sipLegs.find((p) => p.connected);
      if (connected) events.push({ ...base, type: 'sip_leg_connected', participantId: connected.participantId, eventId: eventIds.participantJoined(connected.participantId) });
    }
    if (session.sipParticipantId && !sipLegs.some((p) => p.participantId === session.sipParticipantId)) {
      events.push({ ...base, type: 'sip_leg_ended', participantId: session.sipParticipantId, eventId: eventIds.participantLeft(session.sipParticipantId), reason: 'not in the room (reconciler)' });
    }
  }
  return events;
}
