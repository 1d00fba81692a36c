import { isOwnedRoom, isPersistentRoomName, type PexipConference, type PexipRooms } from '../adapters/pexip';
import type { DurableControl, SessionEventPublisher } from '../contracts';
import { isCallSession, isFinished } from '../contracts/durable';
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
  const report: ReaperReport = { ownedRooms: 0, deletedOrphans: 0, deletedAfterSession: 0, endedPastLifetime: 0, terminatedStuck: 0, failures: 0 };
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
