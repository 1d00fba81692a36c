import { isOwnedRoom, isPersistentRoomName, type PexipConference, type PexipRooms } from '../adapters/pexip';
import type { DurableControl, InstanceStatus, SessionEventPublisher } from '../contracts';
import { isCallSession, isFinished, type CallSessionInput } from '../contracts/durable';
import type { SessionIndex, SessionRecord } from '../contracts/sessionIndex';
import { poolRoomNamesOf, type RoomPoolState } from '../contracts/roomPool';
import type { Logger } from '../logging/logger';

/**
 * The backstop that replaces v1's 10-minute garbage collector: every VMR this deployment owns
 * whose session is over or unknown is deleted, and sessions past their lifetime are ended. Rooms
 * of anyone else (v1, another slot, persistent rooms) are never touched.
 */
export interface ReaperDeps {
  rooms: Pick<PexipRooms, 'listOwnedRooms' | 'deleteRoom'>;
  roomPrefix: string;
  /** the warm pool: its rooms (ready, being made, broken) are owned and sessionless but not orphans */
  readRoomPool(durable: DurableControl): Promise<RoomPoolState | undefined>;
  publisher(durable: DurableControl): SessionEventPublisher;
  /** the support read model: a session terminated from outside cannot record its own end */
  index(): Promise<Pick<SessionIndex, 'get' | 'upsert' | 'appendTimeline'>>;
  sessionLifetimeMs: number;
  /** a room made or claimed less than this ago may be between claim and session start */
  orphanGraceMs: number;
  logger: Logger;
  now(): Date;
}

export interface ReaperReport {
  ownedRooms: number;
  deletedOrphans: number;
  deletedAfterSession: number;
  endedPastLifetime: number;
  terminatedStuck: number;
  /** sessions terminated through the Durable API whose end the reaper recorded for support */
  recordedTerminated: number;
  failures: number;
}

function createdAt(room: PexipConference): number | undefined {
  const times = (room.aliases ?? []).map((a) => (a.creation_time ? Date.parse(a.creation_time.endsWith('Z') ? a.creation_time : `${a.creation_time}Z`) : NaN));
  const valid = times.filter((t) => !Number.isNaN(t));
  return valid.length ? Math.min(...valid) : undefined;
}

export async function reap(deps: ReaperDeps, durable: DurableControl): Promise<ReaperReport> {
  const log = deps.logger.child({ component: 'reaper' });
  const now = deps.now().getTime();
  const report: ReaperReport = { ownedRooms: 0, deletedOrphans: 0, deletedAfterSession: 0, endedPastLifetime: 0, terminatedStuck: 0, recordedTerminated: 0, failures: 0 };
  const poolState = await deps.readRoomPool(durable);
  const pool = poolRoomNamesOf(poolState);
  // a pool room was made long before its claim: the claim is when it stopped being the pool's
  const claimedAt = new Map((poolState?.claimed ?? []).map((c) => [c.name, Date.parse(c.claimedAt)]));
  const rooms = (await deps.rooms.listOwnedRooms()).filter((r) => isOwnedRoom(r, deps.roomPrefix) && !isPersistentRoomName(r.name));
  report.ownedRooms = rooms.length;

  for (const room of rooms) {
    if (pool.has(room.name)) continue;
    try {
      const status = await durable.getStatus(room.name);
      if (!status) {
        const sinceKnown = [createdAt(room), claimedAt.get(room.name)].filter((t): t is number => t !== undefined && !Number.isNaN(t));
        if (sinceKnown.length && now - Math.max(...sinceKnown) < deps.orphanGraceMs) continue;
        await deps.rooms.deleteRoom(room.name);
        report.deletedOrphans += 1;
        log.info({ roomName: room.name }, 'deleted an owned room with no session');
      } else if (isFinished(status)) {
        await deps.rooms.deleteRoom(room.name);
        report.deletedAfterSession += 1;
        log.info({ roomName: room.name, runtimeStatus: status.runtimeStatus }, 'deleted a room its session left behind');
        if (status.runtimeStatus === 'Terminated' && isCallSession(status) && (await recordTerminated(deps, status, now))) report.recordedTerminated += 1;
      }
    } catch (error) {
      report.failures += 1;
      log.warn({ roomName: room.name, err: error instanceof Error ? error.message : String(error) }, 'could not reap room');
    }
  }

  // Sessions end themselves at their lifetime; these are the ones that did not.
  const running = await durable.listInstances({ runtimeStatus: ['Running', 'Pending'] });
  for (const instance of running.filter(isCallSession)) {
    const age = now - Date.parse(instance.createdTime);
    if (age <= deps.sessionLifetimeMs) continue;
    try {
      if (age > deps.sessionLifetimeMs + 3600_000) {
        await durable.terminate(instance.instanceId, 'past its lifetime and not ending; terminated by the reaper');
        report.terminatedStuck += 1;
      } else {
        await deps.publisher(durable).publish({
          type: 'lifetime_exceeded',
          source: 'maxconf',
          roomName: instance.instanceId,
          at: new Date(now).toISOString(),
          eventId: `lifetime:${instance.instanceId}`,
        });
        report.endedPastLifetime += 1;
      }
    } catch (error) {
      report.failures += 1;
      log.warn({ instanceId: instance.instanceId, err: error instanceof Error ? error.message : String(error) }, 'could not end session');
    }
  }
  log.info(report, 'reaper run');
  return report;
}

/**
 * A session terminated through the Durable management API (an operator's raw
 * `POST …/instances/{id}/terminate`, or the reaper's own terminate) ran no more code: no teardown,
 * no last record. Its room was just deleted; this writes the end support would otherwise never
 * see (`terminated_by_support`, with a timeline line), which also puts the session on
 * retention's list. A record that already says how the session ended is left alone.
 */
async function recordTerminated(deps: ReaperDeps, status: InstanceStatus, now: number): Promise<boolean> {
  const index = await deps.index();
  const sessionId = status.instanceId;
  const stored = await index.get(sessionId);
  if (stored?.outcome !== undefined) return false;
  const at = new Date(now).toISOString();
  const input = (status.input ?? {}) as Partial<CallSessionInput>;
  const base: SessionRecord = stored ?? {
    sessionId,
    videoCallId: typeof input.videoCallId === 'string' ? input.videoCallId : '',
    phase: 'ended',
    createdAt: status.createdTime,
    updatedAt: at,
    dialAttempts: 0,
    revision: 0,
  };
  // the orchestration's revision is the count of timeline lines it wrote: the next line's number
  await index.appendTimeline(sessionId, [
    { seq: base.revision, at, kind: 'result', what: 'terminated', detail: 'instance terminated through the Durable management API; room deleted by the reaper' },
  ]);
  const { applied } = await index.upsert({
    ...base,
    phase: 'ended',
    outcome: 'terminated_by_support',
    endedAt: Number.isNaN(Date.parse(status.lastUpdatedTime)) ? at : status.lastUpdatedTime,
    updatedAt: at,
    teardown: { ok: true, detail: 'room deleted by the reaper' },
    revision: base.revision + 1,
  });
  return applied;
}
