import { MAX_SEEN } from '../../contracts/durable';
import type { SessionEvent } from '../../contracts/sessionEvents';

/** Rooms remembered per app instance; past this the least recently posted room is forgotten. */
export const RECENT_ROOMS_MAX = 10_000;

/**
 * What the event sink has already handed to each room's session, kept in this app instance's
 * memory: a bounded LRU of rooms, each with its last MAX_SEEN event ids and conference
 * transition, plus the rooms whose session has finished. Reading it costs nothing, so Pexip's
 * noise (`participant_updated` of a leg already reported, per-node repeats of a conference
 * transition, events of a finished session) is answered with no durable call at all.
 *
 * Why memory is enough: it is only a filter in front of the session, never the truth. The
 * session drops any event whose id it has already taken (the machine's `recentEventIds`), so
 * what this forgets (a restart, another app instance taking the post, an evicted room) costs one
 * repeated raise that changes nothing, never a wrong transition.
 */
interface RoomMemory {
  /** event ids handed on, oldest first (a Set keeps insertion order), at most MAX_SEEN */
  seen: Set<string>;
  conference?: 'started' | 'ended';
}

export class RecentSinkEvents {
  private readonly rooms = new Map<string, RoomMemory>();
  private readonly finished = new Map<string, true>();

  constructor(private readonly maxRooms = RECENT_ROOMS_MAX) {}

  /** Whether a raise on this room was answered "finished" (a room name is never reused by another session). */
  isFinished(room: string): boolean {
    return this.finished.has(room);
  }

  /**
   * The events the room's session has not been handed yet, in order: an event id already handed
   * on, a repeat of the last conference transition and a join of a leg that already left are
   * dropped (the same rules as `newEvents`, without copying the room's list).
   */
  unseen(room: string, events: SessionEvent[]): SessionEvent[] {
    const memory = this.rooms.get(room);
    let conference = memory?.conference;
    const batch = new Set<string>();
    const has = (id: string) => batch.has(id) || (memory?.seen.has(id) ?? false);
    const out: SessionEvent[] = [];
    for (const event of events) {
      if (event.type === 'conference_started' || event.type === 'conference_ended') {
        const now = event.type === 'conference_started' ? 'started' : 'ended';
        if (conference === now) continue;
        conference = now;
        out.push(event);
        continue;
      }
      if (has(event.eventId)) continue;
      if (event.eventId.endsWith(':joined') && has(event.eventId.replace(/:joined$/, ':left'))) continue;
      batch.add(event.eventId);
      out.push(event);
    }
    return out;
  }

  /** Records one event as handed to the session (call after the runtime took it). */
  record(room: string, event: SessionEvent): void {
    const memory = this.rooms.get(room) ?? { seen: new Set<string>() };
    if (event.type === 'conference_started') memory.conference = 'started';
    else if (event.type === 'conference_ended') memory.conference = 'ended';
    else memory.seen.add(event.eventId);
    while (memory.seen.size > MAX_SEEN) memory.seen.delete(memory.seen.values().next().value!);
    this.rooms.delete(room);
    this.rooms.set(room, memory);
    this.evict(this.rooms);
  }

  markFinished(room: string): void {
    this.rooms.delete(room);
    this.finished.set(room, true);
    this.evict(this.finished);
  }

  /** Maps iterate in insertion order, and record() re-inserts: the first key is the least recently used. */
  private evict(map: Map<string, unknown>): void {
    while (map.size > this.maxRooms) {
      const oldest = map.keys().next();
      if (oldest.done) return;
      map.delete(oldest.value);
    }
  }
}
