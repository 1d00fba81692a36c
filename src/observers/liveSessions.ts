import { z } from 'zod';
import { isCallSession } from '../contracts/durable';
import type { DurableControl } from '../contracts/ports';
import type { Phase } from '../domain/session';

/** What the observers need of a running session, read from its bounded status view. */
export interface LiveSession {
  roomName: string;
  phase: Phase;
  conversationId: string | null;
  citizenParticipants: string[];
  sipParticipantId: string | null;
}

// The custom status is the session's own `statusViewOf`, but it reaches us as unknown JSON (and a
// session that has not run its first episode has none): only what parses is used.
const StatusView = z.looseObject({
  phase: z.string(),
  conversationId: z.string().nullable().optional(),
  citizenParticipants: z.array(z.string()).optional(),
  sipParticipantId: z.string().nullable().optional(),
});

/**
 * The running call sessions. Cost: one durable management query per cycle, whose size grows with
 * the running instances (on Azure Storage, a scan of the instances table filtered by status);
 * the support read model (`SessionIndex`) can replace it when it lists sessions by phase.
 */
export async function listLiveSessions(durable: DurableControl): Promise<LiveSession[]> {
  const running = await durable.listInstances({ runtimeStatus: ['Running'] });
  const sessions: LiveSession[] = [];
  for (const instance of running) {
    if (!isCallSession(instance)) continue;
    const view = StatusView.safeParse(instance.customStatus);
    if (!view.success) continue;
    sessions.push({
      roomName: instance.instanceId,
      phase: view.data.phase as Phase,
      conversationId: view.data.conversationId ?? null,
      citizenParticipants: view.data.citizenParticipants ?? [],
      sipParticipantId: view.data.sipParticipantId ?? null,
    });
  }
  return sessions;
}

/**
 * Event ids already raised on each session, so a correction is raised once even while the
 * session's status view has not caught up yet. Only the sessions still running are remembered.
 */
export class RaisedEvents {
  private readonly byRoom = new Map<string, Set<string>>();

  /** true the first time `eventId` is offered for `roomName` */
  first(roomName: string, eventId: string): boolean {
    const seen = this.byRoom.get(roomName) ?? new Set<string>();
    this.byRoom.set(roomName, seen);
    if (seen.has(eventId)) return false;
    seen.add(eventId);
    return true;
  }

  /** the raise failed: offer it again next cycle */
  forget(roomName: string, eventId: string): void {
    this.byRoom.get(roomName)?.delete(eventId);
  }

  /** forgets rooms whose session is no longer running */
  keepOnly(roomNames: Iterable<string>): void {
    const keep = new Set(roomNames);
    for (const room of this.byRoom.keys()) if (!keep.has(room)) this.byRoom.delete(room);
  }
}
