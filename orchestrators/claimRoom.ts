import type { OrchestrationContext, Task } from 'durable-functions';
import { ACTIVITIES, ENTITIES, ORCHESTRATIONS, type ClaimRoomOutput, type CreatePoolRoomInput } from '../src/contracts/durable';
import { callActivity, callEntity, inputOf, startActivity } from '../src/contracts/durableCalls';
import { ROOM_POOL_KEY } from '../src/contracts/roomPool';

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
export function claimRoomOrchestrator(settings: ClaimRoomSettings): (context: OrchestrationContext) => Generator<Task, ClaimRoomOutput, unknown> {
  return function* (context: OrchestrationContext): Generator<Task, ClaimRoomOutput, unknown> {
    const input = inputOf(context, ORCHESTRATIONS.claimRoom);
    const pool = ENTITIES.roomPool;
    const at = () => context.df.currentUtcDateTime.toISOString();
    const id = context.df.instanceId;

    // the handler found the warm-room queue empty: every ready room is in that queue, not for us
    for (let round = 0; round < (input.onDemandOnly ? 0 : 3); round++) {
      const claimed = yield* callEntity(context, pool, ROOM_POOL_KEY, 'claim', { claimId: `${id}:${round}`, at: at() });
      if ('empty' in claimed) break;
      const tagged = yield* callActivity(context, ACTIVITIES.pexipTagRoom, { name: claimed.room.name, tag: input.tag });
      if (tagged.ok) return { ok: true, room: tagged.room, source: 'pool' };
      yield* callEntity(context, pool, ROOM_POOL_KEY, 'markBroken', { name: claimed.room.name, reason: tagged.reason, at: at() });
      // Pexip itself is failing: trying more pool rooms would only break them too
      if (tagged.retryable) return { ok: false, reason: 'pexip_unavailable', detail: 'Pexip did not accept the tag update' };
    }

    const name = poolRoomName(context, settings.roomPrefix, `${id}:on-demand`);
    yield* callEntity(context, pool, ROOM_POOL_KEY, 'reserve', { name, at: at(), purpose: 'claim', claimId: `${id}:on-demand` });
    const createInput: CreatePoolRoomInput = { name, tag: input.tag };
    const create = startActivity(context, ACTIVITIES.pexipCreatePoolRoom, createInput);
    const deadline = context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + settings.onDemandTimeoutMs));
    const winner = yield context.df.Task.any([create.task, deadline]);
    if (winner !== create.task) {
      // the room may still appear: it stays tracked and becomes a warm room
      yield* callEntity(context, pool, ROOM_POOL_KEY, 'abandonClaim', { name });
      return { ok: false, reason: 'pool_exhausted', detail: 'the pool is empty and no room could be made in time' };
    }
    deadline.cancel();
    const made = create.output();
    if (made.ok) {
      yield* callEntity(context, pool, ROOM_POOL_KEY, 'created', { name, id: made.room.id, at: at() });
      return { ok: true, room: made.room, source: 'on_demand' };
    }
    // a retryable failure may have created the room after all: leave it tracked for the refill to settle
    yield* callEntity(context, pool, ROOM_POOL_KEY, made.retryable ? 'abandonClaim' : 'createFailed', { name });
    return { ok: false, reason: made.retryable ? 'pexip_unavailable' : 'pool_exhausted', detail: 'the pool is empty and Pexip did not make a room' };
  };
}
