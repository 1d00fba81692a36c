import type { PexipRooms } from '../src/adapters/pexip';
import { generatePins, isRetryablePexipError, PexipError } from '../src/adapters/pexip';
import type { Logger } from '../src/logging/logger';
import { ACTIVITIES, type CreatePoolRoomInput, type DeleteRoomInput, type DeleteRoomResult, type TagRoomInput } from '../src/contracts/durable';
import { durableRoomOf, type RoomActivityResult } from '../src/contracts/roomPool';

/** The room pool's Pexip IO (`ACTIVITIES.pexipCreatePoolRoom`, `pexipTagRoom`, `pexipDeleteRoom`; docs/pexip.md). */

export interface PoolActivityDeps {
  /** resolved per call, so an unconfigured Pexip fails the activity, not the app's start */
  rooms: () => Pick<PexipRooms, 'createRoom' | 'updateTag' | 'deleteRoom' | 'getRoomByName'>;
  logger: Logger;
}

function failure(error: unknown): { ok: false; retryable: boolean; reason: string } {
  return { ok: false, retryable: isRetryablePexipError(error), reason: (error instanceof Error ? error.message : String(error)).slice(0, 300) };
}

/**
 * Creates the named pool room with fresh PINs (4-digit guest, 6-digit host). Idempotent: if a
 * previous run created it (and crashed before reporting), the existing room is returned as it is,
 * PINs included, so the pool never holds two PIN sets for one room.
 */
export function createPoolRoomActivity(deps: PoolActivityDeps) {
  const log = deps.logger.child({ activity: ACTIVITIES.pexipCreatePoolRoom.name });
  return async (input: CreatePoolRoomInput): Promise<RoomActivityResult> => {
    try {
      const pins = generatePins();
      let room = await deps.rooms().createRoom({ name: input.name, guestPin: pins.guestPin, hostPin: pins.hostPin, ...(input.tag !== undefined ? { tag: input.tag } : {}) });
      if (input.tag !== undefined && room.tag !== input.tag) room = await deps.rooms().updateTag(input.name, input.tag);
      log.info({ roomName: input.name, id: room.id }, 'pool room ready on Pexip');
      // the result rests in history: the PINs stay on Pexip
      return { ok: true, room: durableRoomOf(room) };
    } catch (error) {
      log.warn({ roomName: input.name, err: failure(error).reason }, 'pool room not created');
      return failure(error);
    }
  };
}

/** Sets a claimed room's tag (IDIM's URL). PINs are left alone: a PIN change takes ~90 s to reach the nodes. */
export function tagRoomActivity(deps: PoolActivityDeps) {
  const log = deps.logger.child({ activity: ACTIVITIES.pexipTagRoom.name });
  return async (input: TagRoomInput): Promise<RoomActivityResult> => {
    try {
      const room = await deps.rooms().updateTag(input.name, input.tag);
      return { ok: true, room: durableRoomOf(room) };
    } catch (error) {
      log.warn({ roomName: input.name, err: failure(error).reason }, 'tag update failed');
      return failure(error);
    }
  };
}

/** Deletes an owned room; gone already counts as deleted; persistent or foreign rooms are refused, not thrown. */
export function deleteRoomActivity(deps: PoolActivityDeps) {
  return async (input: DeleteRoomInput): Promise<DeleteRoomResult> => {
    try {
      return { result: await deps.rooms().deleteRoom(input.name) };
    } catch (error) {
      if (error instanceof PexipError && !error.retryable) return { result: 'refused', reason: error.message.slice(0, 200) };
      // retryable: let the orchestration's retry policy repeat it
      throw error;
    }
  };
}
