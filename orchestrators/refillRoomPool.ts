import * as df from 'durable-functions';
import type { OrchestrationContext, OrchestrationHandler, Task } from 'durable-functions';
import { POOL_ACTIVITIES, type CreatePoolRoomInput, type DeleteRoomResult, type RoomActivityResult } from '../activities/pexipRoom';
import { ROOM_POOL_ENTITY, ROOM_POOL_KEY, type PoolRoom, type RefillPlan } from '../entities/roomPool';
import { poolRoomName } from './claimRoom';

export const REFILL_ROOM_POOL = 'refillRoomPool';
/** One refill at a time: the singleton's instance id. */
export const REFILL_INSTANCE_ID = 'roomPoolRefill';
export const CLEAR_ROOM_POOL = 'clearRoomPool';

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

export interface RefillInput {
  failingRounds?: number;
  /** executions so far (continueAsNew); part of the name seed, so no two rounds draw the same names */
  round?: number;
}

export interface RefillOutput {
  created: number;
  completedStale: number;
  removedBroken: number;
  failed: number;
  stoppedAfterFailures: boolean;
}

const DELETE_RETRY = new df.RetryOptions(2_000, 3);

/**
 * Keeps ROOM_POOL_SIZE warm rooms. Each round: settle names a crashed run left reserved (the create
 * activity is idempotent, so it either finds the room or makes it), delete broken rooms, then
 * reserve fresh names in the pool entity and only then create them on Pexip. Rounds continue as
 * new until the pool is full, so history stays small.
 */
export function refillRoomPoolOrchestrator(settings: RefillSettings): OrchestrationHandler {
  return function* (context: OrchestrationContext): Generator<Task, RefillOutput | undefined, unknown> {
    const input = context.df.getInput<RefillInput>() ?? {};
    const pool = new df.EntityId(ROOM_POOL_ENTITY, ROOM_POOL_KEY);
    const at = () => context.df.currentUtcDateTime.toISOString();
    const out: RefillOutput = { created: 0, completedStale: 0, removedBroken: 0, failed: 0, stoppedAfterFailures: false };

    const plan = (yield context.df.callEntity(pool, 'plan', { size: settings.poolSize, at: at(), staleAfterMs: settings.staleAfterMs })) as RefillPlan;

    for (const stale of plan.stale) {
      const made = (yield context.df.callActivity(POOL_ACTIVITIES.createPoolRoom, { name: stale.name } satisfies CreatePoolRoomInput)) as RoomActivityResult;
      if (made.ok) {
        yield context.df.callEntity(pool, 'created', { name: stale.name, id: made.room.id, at: at() });
        out.completedStale++;
      } else if (!made.retryable) {
        yield context.df.callEntity(pool, 'createFailed', { name: stale.name });
      }
    }

    for (const name of plan.broken) {
      try {
        const deleted = (yield context.df.callActivityWithRetry(POOL_ACTIVITIES.deleteRoom, DELETE_RETRY, { name })) as DeleteRoomResult;
        if (deleted.result !== 'refused') out.removedBroken++;
        yield context.df.callEntity(pool, 'removed', { name });
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
      const reserved = (yield context.df.callEntity(pool, 'reserve', { name, at: at(), purpose: 'pool' })) as { reserved: boolean };
      if (reserved.reserved) names.push(name);
    }
    const results = names.length
      ? ((yield context.df.Task.all(names.map((name) => context.df.callActivity(POOL_ACTIVITIES.createPoolRoom, { name } satisfies CreatePoolRoomInput)))) as RoomActivityResult[])
      : [];
    for (const [i, made] of results.entries()) {
      const name = names[i]!;
      if (made.ok) {
        const placed = (yield context.df.callEntity(pool, 'created', { name, id: made.room.id, at: at() })) as { placed: string };
        if (placed.placed === 'ready') out.created++;
      } else {
        out.failed++;
        // a retryable failure (e.g. a timed-out create) may have made the room: keep the name for the stale pass
        if (!made.retryable) yield context.df.callEntity(pool, 'createFailed', { name });
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

export interface ClearPoolOutput {
  deleted: number;
}

/** v1's bulk delete: takes every warm room out of the pool, then deletes each on Pexip. */
export const clearRoomPoolOrchestrator: OrchestrationHandler = function* (context: OrchestrationContext): Generator<Task, ClearPoolOutput, unknown> {
  const pool = new df.EntityId(ROOM_POOL_ENTITY, ROOM_POOL_KEY);
  const drained = (yield context.df.callEntity(pool, 'drain')) as { rooms: PoolRoom[] };
  let deleted = 0;
  for (const room of drained.rooms) {
    try {
      const result = (yield context.df.callActivityWithRetry(POOL_ACTIVITIES.deleteRoom, DELETE_RETRY, { name: room.name })) as DeleteRoomResult;
      if (result.result === 'deleted') deleted++;
    } catch {
      // left on Pexip, owned and sessionless: the reaper deletes it
      yield context.df.callEntity(pool, 'markBroken', { name: room.name, reason: 'delete failed during clear', at: context.df.currentUtcDateTime.toISOString() });
    }
  }
  return { deleted };
};
