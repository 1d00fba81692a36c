import * as df from 'durable-functions';
import type { OrchestrationContext, OrchestrationHandler, Task } from 'durable-functions';
import { POOL_ACTIVITIES, type CreatePoolRoomInput, type RoomActivityResult, type TagRoomInput } from '../activities/pexipRoom';
import { ROOM_POOL_ENTITY, ROOM_POOL_KEY, type ClaimOutcome } from '../entities/roomPool';
import type { PexipConference } from '../src/adapters/pexip';

export const CLAIM_ROOM = 'claimRoom';

export interface ClaimRoomInput {
  /** the room's new tag (IDIM's URL, derived from the session's UUI) */
  tag: string;
}

export type ClaimRoomOutput =
  | { ok: true; room: PexipConference; source: 'pool' | 'on_demand' }
  | { ok: false; reason: 'pool_exhausted' | 'pexip_unavailable'; detail: string };

export interface ClaimRoomSettings {
  roomPrefix: string;
  /** how long a claim waits for a room made on demand when the pool is empty */
  onDemandTimeoutMs: number;
}

/** A pool room name: the deployment's prefix and 12 hex digits from the orchestration's deterministic GUID. */
export function poolRoomName(context: OrchestrationContext, prefix: string, seed: string): string {
  return `${prefix}${context.df.newGuid(seed).replace(/-/g, '').slice(0, 12)}`;
}

/**
 * Hands out one room: the pool's atomic claim, then the tag. A room whose tag cannot be set is
 * marked broken (the refill deletes and replaces it) and the next one is tried, so no room is
 * handed out twice. With the pool empty a room is made on demand, within a bounded time.
 */
export function claimRoomOrchestrator(settings: ClaimRoomSettings): OrchestrationHandler {
  return function* (context: OrchestrationContext): Generator<Task, ClaimRoomOutput, unknown> {
    const input = context.df.getInput<ClaimRoomInput>();
    const pool = new df.EntityId(ROOM_POOL_ENTITY, ROOM_POOL_KEY);
    const at = () => context.df.currentUtcDateTime.toISOString();
    const id = context.df.instanceId;

    for (let round = 0; round < 3; round++) {
      const claimed = (yield context.df.callEntity(pool, 'claim', { claimId: `${id}:${round}`, at: at() })) as ClaimOutcome;
      if ('empty' in claimed) break;
      const tag: TagRoomInput = { name: claimed.room.name, tag: input.tag };
      const tagged = (yield context.df.callActivity(POOL_ACTIVITIES.tagRoom, tag)) as RoomActivityResult;
      if (tagged.ok) return { ok: true, room: tagged.room, source: 'pool' };
      yield context.df.callEntity(pool, 'markBroken', { name: claimed.room.name, reason: tagged.reason, at: at() });
      // Pexip itself is failing: trying more pool rooms would only break them too
      if (tagged.retryable) return { ok: false, reason: 'pexip_unavailable', detail: 'Pexip did not accept the tag update' };
    }

    const name = poolRoomName(context, settings.roomPrefix, `${id}:on-demand`);
    yield context.df.callEntity(pool, 'reserve', { name, at: at(), purpose: 'claim', claimId: `${id}:on-demand` });
    const createInput: CreatePoolRoomInput = { name, tag: input.tag };
    const create = context.df.callActivity(POOL_ACTIVITIES.createPoolRoom, createInput);
    const deadline = context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + settings.onDemandTimeoutMs));
    const winner = yield context.df.Task.any([create, deadline]);
    if (winner !== create) {
      // the room may still appear: it stays tracked and becomes a warm room
      yield context.df.callEntity(pool, 'abandonClaim', { name });
      return { ok: false, reason: 'pool_exhausted', detail: 'the pool is empty and no room could be made in time' };
    }
    deadline.cancel();
    const made = create.result as RoomActivityResult;
    if (made.ok) {
      yield context.df.callEntity(pool, 'created', { name, id: made.room.id, at: at() });
      return { ok: true, room: made.room, source: 'on_demand' };
    }
    // a retryable failure may have created the room after all: leave it tracked for the refill to settle
    yield context.df.callEntity(pool, made.retryable ? 'abandonClaim' : 'createFailed', { name });
    return { ok: false, reason: made.retryable ? 'pexip_unavailable' : 'pool_exhausted', detail: 'the pool is empty and Pexip did not make a room' };
  };
}
