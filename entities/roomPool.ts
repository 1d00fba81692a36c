import type { EntityContext } from 'durable-functions';
import {
  PoolOperation,
  type ClaimOutcome,
  type CreatingRoom,
  type RefillPlan,
  type RoomPoolState,
} from '../src/contracts/roomPool';

/**
 * The warm room pool (`ENTITIES.roomPool`; state and operations in src/contracts/roomPool.ts):
 * one entity instance (`roomPool@default`) holds every pool room this deployment has, in exactly
 * one list. Entity operations run one at a time, so `claim` is atomic: fifty concurrent claims
 * get fifty different rooms. A room's name is recorded here (in `creating`) BEFORE it is created
 * on Pexip, so a crash at any point leaves a name the next refill completes or clears, never a
 * room nothing tracks.
 */
/** Claimed rooms are the sessions' from then on; the pool remembers the last ones only to answer repeated claims. */
export const MAX_CLAIMED_REMEMBERED = 500;
/**
 * ...and for this long: a claim orchestration is done within seconds (its on-demand bound is 20 s)
 * and the reaper reads a claim's time only within its 10-minute grace, so older claims are
 * dropped at the refill's next plan and the entity goes back to its size without sessions.
 */
export const CLAIM_MEMORY_MS = 3600_000;

export const emptyPool = (): RoomPoolState => ({ ready: [], creating: [], claimed: [], broken: [], extra: 0 });

function known(state: RoomPoolState, name: string): boolean {
  return (
    state.ready.some((r) => r.name === name) ||
    state.creating.some((r) => r.name === name) ||
    state.claimed.some((r) => r.name === name) ||
    state.broken.some((r) => r.name === name)
  );
}

function without<T extends { name: string }>(list: T[], name: string): T[] {
  return list.filter((r) => r.name !== name);
}

/** The pool's rules as a pure function: (state, operation) → (state, result). */
export function applyPoolOperation(state: RoomPoolState, operation: PoolOperation): { state: RoomPoolState; result: unknown } {
  switch (operation.op) {
    case 'reserve': {
      if (known(state, operation.name)) return { state, result: { reserved: false } };
      const entry: CreatingRoom = { name: operation.name, since: operation.at, purpose: operation.purpose };
      if (operation.claimId) entry.claimId = operation.claimId;
      return { state: { ...state, creating: [...state.creating, entry] }, result: { reserved: true } };
    }
    case 'created': {
      const entry = state.creating.find((r) => r.name === operation.name);
      if (!entry) {
        // already confirmed by an earlier delivery of the same result
        return { state, result: { placed: known(state, operation.name) ? 'already' : 'unknown' } };
      }
      const creating = without(state.creating, operation.name);
      if (entry.purpose === 'claim' && entry.claimId) {
        const claimed = [...state.claimed, { name: operation.name, id: operation.id, claimId: entry.claimId, claimedAt: operation.at }];
        return { state: { ...state, creating, claimed: claimed.slice(-MAX_CLAIMED_REMEMBERED) }, result: { placed: 'claimed' } };
      }
      return { state: { ...state, creating, ready: [...state.ready, { name: operation.name, id: operation.id, createdAt: operation.at }] }, result: { placed: 'ready' } };
    }
    case 'createFailed':
      return { state: { ...state, creating: without(state.creating, operation.name) }, result: null };
    case 'abandonClaim':
      // the claim gave up waiting; the room being made becomes an ordinary warm room
      return {
        state: { ...state, creating: state.creating.map((r) => (r.name === operation.name ? { name: r.name, since: r.since, purpose: 'pool' as const } : r)) },
        result: null,
      };
    case 'claim': {
      const previous = state.claimed.find((c) => c.claimId === operation.claimId);
      if (previous) return { state, result: { room: { name: previous.name, id: previous.id, createdAt: previous.claimedAt } } satisfies ClaimOutcome };
      const [first, ...rest] = state.ready;
      if (!first) return { state, result: { empty: true } satisfies ClaimOutcome };
      const claimed = [...state.claimed, { name: first.name, id: first.id, claimId: operation.claimId, claimedAt: operation.at }];
      return {
        state: { ...state, ready: rest, claimed: claimed.slice(-MAX_CLAIMED_REMEMBERED), extra: Math.max(0, state.extra - 1) },
        result: { room: first } satisfies ClaimOutcome,
      };
    }
    case 'takeReady': {
      const room = state.ready.find((r) => r.name === operation.name);
      if (!room) return { state, result: { taken: false } };
      const claimed = [...state.claimed, { name: room.name, id: room.id, claimId: operation.claimId, claimedAt: operation.at }];
      return {
        state: { ...state, ready: without(state.ready, room.name), claimed: claimed.slice(-MAX_CLAIMED_REMEMBERED), extra: Math.max(0, state.extra - 1) },
        result: { taken: true },
      };
    }
    case 'markBroken': {
      return {
        state: {
          ...state,
          ready: without(state.ready, operation.name),
          claimed: without(state.claimed, operation.name),
          creating: without(state.creating, operation.name),
          broken: [...without(state.broken, operation.name), { name: operation.name, reason: operation.reason.slice(0, 200), since: operation.at }],
        },
        result: null,
      };
    }
    case 'removed':
      return { state: { ...state, broken: without(state.broken, operation.name), ready: without(state.ready, operation.name) }, result: null };
    case 'grow':
      return { state: { ...state, extra: state.extra + Math.max(0, Math.min(1000, Math.floor(operation.count))) }, result: null };
    case 'drain':
      // v1 bulk delete: the warm rooms leave the pool (the caller deletes them) and the extra target is dropped
      return { state: { ...state, ready: [], extra: 0 }, result: { rooms: state.ready } };
    case 'plan': {
      const now = Date.parse(operation.at);
      const stale = state.creating.filter((c) => now - Date.parse(c.since) >= operation.staleAfterMs);
      const warmOrComing = state.ready.length + state.creating.filter((c) => c.purpose === 'pool').length;
      const plan: RefillPlan = {
        deficit: Math.max(0, operation.size + state.extra - warmOrComing),
        stale,
        broken: state.broken.map((b) => b.name),
      };
      const claimed = state.claimed.filter((c) => !(now - Date.parse(c.claimedAt) >= CLAIM_MEMORY_MS));
      return { state: claimed.length === state.claimed.length ? state : { ...state, claimed }, result: plan };
    }
    case 'get':
      return { state, result: state };
  }
}

export function roomPoolEntity(context: EntityContext<RoomPoolState>): void {
  const state = context.df.getState(emptyPool) ?? emptyPool();
  const name = context.df.operationName ?? 'get';
  const input: unknown = context.df.getInput();
  const operation = PoolOperation.safeParse({ ...(typeof input === 'object' && input !== null ? input : {}), op: name });
  if (!operation.success) {
    context.df.return({ error: `unknown operation ${name} or invalid input` });
    return;
  }
  const { state: next, result } = applyPoolOperation(state, operation.data);
  if (next !== state) context.df.setState(next);
  context.df.return(result);
}
