import type { OfferWarmRoomInput } from '../src/contracts/durable';
import type { WarmRoomQueue } from '../src/contracts/sessionIndex';

/**
 * Puts a room the refill made (and the pool entity placed as ready) on the warm-room queue, where
 * `POST /room/create` claims it directly. At least once: a retried offer can queue the room twice;
 * the second claim of it then finds the pool entity no longer lists it as ready and moves on
 * (src/session/roomPoolClient.ts), so a room is never handed out twice.
 */
export function offerWarmRoomActivity(queue: () => Promise<WarmRoomQueue>) {
  return async (input: OfferWarmRoomInput): Promise<null> => {
    await (await queue()).offer({ name: input.name, id: input.id, createdAt: input.createdAt });
    return null;
  };
}
