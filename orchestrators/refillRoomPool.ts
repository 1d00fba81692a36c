import * as df from 'durable-functions';
import type { OrchestrationContext, Task } from 'durable-functions';
import { ACTIVITIES, ENTITIES, ORCHESTRATIONS, type ClearPoolOutput, type OfferWarmRoomInput, type RefillInput, type RefillOutput } from '../src/contracts/durable';
import { callActivities, callActivity, callEntity, inputOf } from '../src/contracts/durableCalls';
import { ROOM_POOL_KEY } from '../src/contracts/roomPool';
import { poolRoomName } from './claimRoom';

export interface RefillSettings {
  roomPrefix: string;
  poolSize: number;
  /** rooms made in parallel per round */
  batchSize: number;
  /** a reserved name not confirmed for this long belongs to a crashed refill or claim */
  staleAfterMs: number;
  /** wait between rounds that made nothing */
  retryDelayMs: number;
  /** rounds in a row that make nothing before the refill stops (the keeper timer starts it again) */
  maxFailingRounds: number;
}

const DELETE_RETRY = new df.RetryOptions(2_000, 3);
const OFFER_RETRY = new df.RetryOptions(1_000, 5);

/**
 * Offers a ready room to the warm-room queue. A room the queue never got could not be claimed, so
 * after the retries it is marked broken: the next round deletes it and makes another.
 */
function* offerWarmRoom(context: OrchestrationContext, room: OfferWarmRoomInput): Generator<Task, void, unknown> {
  try {
    yield* callActivity(context, ACTIVITIES.offerWarmRoom, room, OFFER_RETRY);
  } catch {
    yield* callEntity(context, ENTITIES.roomPool, ROOM_POOL_KEY, 'markBroken', { name: room.name, reason: 'warm-room queue unavailable', at: context.df.currentUtcDateTime.toISOString() });
  }
}

/**
 * Keeps ROOM_POOL_SIZE warm rooms. Each round: settle names a crashed run left reserved (the create
 * activity is idempotent, so it either finds the room or makes it), delete broken rooms, then
 * reserve fresh names in the pool entity and only then create them on Pexip; each room placed as
 * ready is offered to the warm-room queue, where `POST /room/create` claims it without waiting on
 * an orchestration. Rounds continue as new until the pool is full, so history stays small.
 */
export function refillRoomPoolOrchestrator(settings: RefillSettings): (context: OrchestrationContext) => Generator<Task, RefillOutput | undefined, unknown> {
  return function* (context: OrchestrationContext): Generator<Task, RefillOutput | undefined, unknown> {
    const input = inputOf(context, ORCHESTRATIONS.refillRoomPool) ?? {};
    const pool = ENTITIES.roomPool;
    const at = () => context.df.currentUtcDateTime.toISOString();
    const out: RefillOutput = { created: 0, completedStale: 0, removedBroken: 0, failed: 0, stoppedAfterFailures: false };

    const plan = yield* callEntity(context, pool, ROOM_POOL_KEY, 'plan', { size: settings.poolSize, at: at(), staleAfterMs: settings.staleAfterMs });

    for (const stale of plan.stale) {
      const made = yield* callActivity(context, ACTIVITIES.pexipCreatePoolRoom, { name: stale.name });
      if (made.ok) {
        const placed = yield* callEntity(context, pool, ROOM_POOL_KEY, 'created', { name: stale.name, id: made.room.id, at: at() });
        if (placed.placed === 'ready') yield* offerWarmRoom(context, { name: stale.name, id: made.room.id, createdAt: at() });
        out.completedStale++;
      } else if (!made.retryable) {
        yield* callEntity(context, pool, ROOM_POOL_KEY, 'createFailed', { name: stale.name });
      }
    }

    for (const name of plan.broken) {
      try {
        const deleted = yield* callActivity(context, ACTIVITIES.pexipDeleteRoom, { name }, DELETE_RETRY);
        if (deleted.result !== 'refused') out.removedBroken++;
        yield* callEntity(context, pool, ROOM_POOL_KEY, 'removed', { name });
      } catch {
        // Pexip unreachable: the broken room stays listed and the next round tries again
      }
    }

    const count = Math.min(plan.deficit, settings.batchSize);
    const names: string[] = [];
    const round = input.round ?? 0;
    for (let i = 0; i < count; i++) {
      const name = poolRoomName(context, settings.roomPrefix, `${context.df.instanceId}:${round}:${at()}:${i}`);
      // recorded BEFORE the room exists on Pexip: a crash from here on leaves a tracked name
      const reserved = yield* callEntity(context, pool, ROOM_POOL_KEY, 'reserve', { name, at: at(), purpose: 'pool' });
      if (reserved.reserved) names.push(name);
    }
    const results = yield* callActivities(
      context,
      ACTIVITIES.pexipCreatePoolRoom,
      names.map((name) => ({ name })),
    );
    for (const [i, made] of results.entries()) {
      const name = names[i]!;
      if (made.ok) {
        const placed = yield* callEntity(context, pool, ROOM_POOL_KEY, 'created', { name, id: made.room.id, at: at() });
        if (placed.placed === 'ready') {
          // the handler claims from the queue; the entity keeps the books (what exists, what is ready)
          yield* offerWarmRoom(context, { name, id: made.room.id, createdAt: at() });
          out.created++;
        }
      } else {
        out.failed++;
        // a retryable failure (e.g. a timed-out create) may have made the room: keep the name for the stale pass
        if (!made.retryable) yield* callEntity(context, pool, ROOM_POOL_KEY, 'createFailed', { name });
      }
    }

    const stillShort = plan.deficit - out.created > 0;
    if (!stillShort) return out;
    if (out.created > 0 || out.completedStale > 0) {
      context.df.continueAsNew({ failingRounds: 0, round: round + 1 } satisfies RefillInput);
      return undefined;
    }
    const failing = (input.failingRounds ?? 0) + 1;
    if (failing >= settings.maxFailingRounds) return { ...out, stoppedAfterFailures: true };
    yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + settings.retryDelayMs));
    context.df.continueAsNew({ failingRounds: failing, round: round + 1 } satisfies RefillInput);
    return undefined;
  };
}

/** v1's bulk delete: takes every warm room out of the pool, then deletes each on Pexip. */
export function* clearRoomPoolOrchestrator(context: OrchestrationContext): Generator<Task, ClearPoolOutput, unknown> {
  const pool = ENTITIES.roomPool;
  const drained = yield* callEntity(context, pool, ROOM_POOL_KEY, 'drain');
  let deleted = 0;
  for (const room of drained.rooms) {
    try {
      const result = yield* callActivity(context, ACTIVITIES.pexipDeleteRoom, { name: room.name }, DELETE_RETRY);
      if (result.result === 'deleted') deleted++;
    } catch {
      // left on Pexip, owned and sessionless: the reaper deletes it
      yield* callEntity(context, pool, ROOM_POOL_KEY, 'markBroken', { name: room.name, reason: 'delete failed during clear', at: context.df.currentUtcDateTime.toISOString() });
    }
  }
  return { deleted };
}
