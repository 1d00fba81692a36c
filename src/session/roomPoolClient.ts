import { randomUUID } from 'node:crypto';
import type { DurableControl } from '../contracts/ports';
import { ENTITIES, isFinished, ORCHESTRATIONS, REFILL_INSTANCE_ID, type ClaimRoomOutput } from '../contracts/durable';
import { outputOf } from '../contracts/durableSpec';
import { poolRoomNamesOf, ROOM_POOL_KEY, type RoomPoolState } from '../contracts/roomPool';

/**
 * What HTTP handlers call: they only have a durable client, so each helper starts an
 * orchestration and, where an answer is needed, polls its status until it completes.
 */

export interface PollOptions {
  timeoutMs?: number;
  /** first poll delay; doubles up to 250 ms */
  pollMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

async function waitFor(durable: DurableControl, instanceId: string, options: PollOptions) {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const now = options.now ?? Date.now;
  const deadline = now() + (options.timeoutMs ?? 25_000);
  let delay = options.pollMs ?? 20;
  for (;;) {
    const status = await durable.getStatus(instanceId);
    if (status && isFinished(status)) return status;
    if (now() >= deadline) return undefined;
    await sleep(delay);
    delay = Math.min(250, delay * 2);
  }
}

/** Starts the refill singleton unless it is already running. Safe to call from many places at once. */
export async function ensureRoomPoolRefill(durable: DurableControl): Promise<void> {
  const status = await durable.getStatus(REFILL_INSTANCE_ID);
  if (status && !isFinished(status)) return;
  try {
    await durable.startNew(ORCHESTRATIONS.refillRoomPool, REFILL_INSTANCE_ID, {});
  } catch {
    // another caller started it between our read and our start: that is the outcome we wanted
  }
}

/**
 * Claims a room for a new session: starts `claimRoom` and waits for it (bounded), then nudges the
 * refill. The answer is the orchestration's output; a claim still running at the deadline is
 * reported as pool exhausted (its room, if any, stays in the pool's claimed list and is reaped).
 */
export async function claimRoomFromPool(durable: DurableControl, tag: string, options: PollOptions = {}): Promise<ClaimRoomOutput> {
  const instanceId = `claim-${randomUUID()}`;
  await durable.startNew(ORCHESTRATIONS.claimRoom, instanceId, { tag });
  const status = await waitFor(durable, instanceId, options);
  await ensureRoomPoolRefill(durable).catch(() => undefined);
  if (!status) return { ok: false, reason: 'pool_exhausted', detail: 'no room was claimed in time' };
  if (status.runtimeStatus !== 'Completed') return { ok: false, reason: 'pexip_unavailable', detail: `claim ${status.runtimeStatus.toLowerCase()}` };
  return outputOf(ORCHESTRATIONS.claimRoom, status);
}

/** v1 bulk create: `count` more warm rooms on top of the pool size, made in the background. */
export async function growRoomPool(durable: DurableControl, count: number): Promise<void> {
  await durable.signalEntity(ENTITIES.roomPool, ROOM_POOL_KEY, 'grow', { count });
  await ensureRoomPoolRefill(durable);
}

/** v1 bulk delete: deletes the warm rooms and empties the pool; returns how many rooms were deleted. */
export async function clearRoomPool(durable: DurableControl, options: PollOptions = {}): Promise<number> {
  const instanceId = `clear-pool-${randomUUID()}`;
  await durable.startNew(ORCHESTRATIONS.clearRoomPool, instanceId, {});
  const status = await waitFor(durable, instanceId, { timeoutMs: 120_000, ...options });
  return status?.runtimeStatus === 'Completed' ? outputOf(ORCHESTRATIONS.clearRoomPool, status).deleted : 0;
}

/** Rooms the pool holds outside sessions (ready, being made, broken): the reaper must leave them alone. */
export async function poolRoomNames(durable: DurableControl): Promise<Set<string>> {
  return poolRoomNamesOf(await readRoomPool(durable));
}

export async function readRoomPool(durable: DurableControl): Promise<RoomPoolState | undefined> {
  return durable.readEntityState(ENTITIES.roomPool, ROOM_POOL_KEY);
}
