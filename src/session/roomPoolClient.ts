import { randomUUID } from 'node:crypto';
import type { PexipConference } from '../adapters/pexip';
import { PexipError } from '../adapters/pexip/errors';
import type { DurableControl } from '../contracts/ports';
import type { WarmRoomQueue } from '../contracts/sessionIndex';
import type { Logger } from '../logging/logger';
import { ENTITIES, isFinished, ORCHESTRATIONS, REFILL_INSTANCE_ID, type ClaimRoomOutput } from '../contracts/durable';
import { outputOf } from '../contracts/durableSpec';
import { poolRoomNamesOf, ROOM_POOL_KEY, type RoomPoolState } from '../contracts/roomPool';

/**
 * What HTTP handlers call. A create claims a warm room from the warm-room queue itself (no
 * orchestration to wait on); the other helpers only have a durable client, so they start an
 * orchestration and, where an answer is needed, poll its status until it completes.
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
export async function claimRoomFromPool(durable: DurableControl, tag: string, options: PollOptions & { onDemandOnly?: boolean } = {}): Promise<ClaimRoomOutput> {
  const instanceId = `claim-${randomUUID()}`;
  await durable.startNew(ORCHESTRATIONS.claimRoom, instanceId, options.onDemandOnly ? { tag, onDemandOnly: true } : { tag });
  const status = await waitFor(durable, instanceId, options);
  await ensureRoomPoolRefill(durable).catch(() => undefined);
  if (!status) return { ok: false, reason: 'pool_exhausted', detail: 'no room was claimed in time' };
  if (status.runtimeStatus !== 'Completed') return { ok: false, reason: 'pexip_unavailable', detail: `claim ${status.runtimeStatus.toLowerCase()}` };
  return outputOf(ORCHESTRATIONS.claimRoom, status);
}

export interface WarmClaimDeps {
  queue(): Promise<WarmRoomQueue>;
  rooms: { updateTag(name: string, tag: string): Promise<PexipConference> };
  logger: Logger;
  now(): Date;
  /** the on-demand path when the queue is empty (default: the claimRoom orchestration, bounded) */
  onDemand?: (durable: DurableControl, tag: string) => Promise<ClaimRoomOutput>;
}

/** Rooms tried per create before Pexip's refusals count as Pexip failing. */
const WARM_CLAIM_ATTEMPTS = 3;

/**
 * Claims a room for a new session with no polling: one atomic take from the warm-room queue
 * (receive + delete, src/adapters/storage/warmRoomQueue.ts; the session check rides alongside the
 * delete), the tag on Pexip and, at the same time, a signal so
 * the pool entity's books follow (`takeReady`: the room leaves `ready` for `claimed`, and the
 * refill makes its replacement). A room whose session already exists is a queue message offered
 * twice (a retried offer) and is skipped. A room Pexip will not tag is marked broken (the refill
 * deletes and replaces it) and the next one is tried. With the queue empty the claim is the
 * claimRoom orchestration's on-demand room, within its bound; every ready room the pool entity
 * lists is in the queue, so that claim skips them (`onDemandOnly`) and none is handed out twice.
 */
export async function claimWarmRoom(deps: WarmClaimDeps, durable: DurableControl, tag: string): Promise<ClaimRoomOutput> {
  const queue = await deps.queue();
  for (let attempt = 0; attempt < WARM_CLAIM_ATTEMPTS; attempt++) {
    // the session check is read while the queue makes the take final
    const claimed = await queue.claim((room) => durable.getStatus(room.name));
    if (!claimed) break;
    const { name } = claimed.room;
    const at = deps.now().toISOString();
    const existing = 'alongside' in claimed ? claimed.alongside : await durable.getStatus(name);
    if (existing) {
      deps.logger.warn({ roomName: name }, 'warm-room queue offered a room that already has a session; skipped');
      continue;
    }
    // the pool's books and the tag on Pexip are independent: both at once
    const taken = durable.signalEntity(ENTITIES.roomPool, ROOM_POOL_KEY, 'takeReady', { name, claimId: `queue:${claimed.receipt}`, at });
    const tagged = deps.rooms.updateTag(name, tag).then(
      (room) => ({ room }),
      (error: unknown) => ({ error }),
    );
    // a failed signal fails the claim, as it did before the tag was made alongside it
    await taken;
    // the refill makes the replacement; not awaited, the keeper timer is its backstop
    void ensureRoomPoolRefill(durable).catch(() => undefined);
    const outcome = await tagged;
    if ('room' in outcome) return { ok: true, room: outcome.room, source: 'pool' };
    const { error } = outcome;
    const reason = error instanceof Error ? error.message.slice(0, 200) : 'tag update failed';
    await durable.signalEntity(ENTITIES.roomPool, ROOM_POOL_KEY, 'markBroken', { name, reason, at });
    // Pexip itself is failing: trying more warm rooms would only break them too
    if (!(error instanceof PexipError) || error.retryable) return { ok: false, reason: 'pexip_unavailable', detail: 'Pexip did not accept the tag update' };
  }
  return (deps.onDemand ?? ((d, t) => claimRoomFromPool(d, t, { onDemandOnly: true })))(durable, tag);
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
