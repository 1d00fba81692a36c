import { z } from 'zod';
import type { PexipConference } from '../adapters/pexip/models';
import type { EntityOperation } from './durableSpec';

/**
 * The warm room pool's state and operations (the entity itself is entities/roomPool.ts). One
 * entity instance (`roomPool@default`) holds every pool room this deployment has, in exactly one
 * list.
 */
export const ROOM_POOL_KEY = 'default';

export interface PoolRoom {
  name: string;
  id: number;
  createdAt: string;
}

export interface CreatingRoom {
  name: string;
  since: string;
  /** `claim`: made on demand for one waiting claim (`claimId`); `pool`: a warm room */
  purpose: 'pool' | 'claim';
  claimId?: string;
}

export interface ClaimedRoom {
  name: string;
  id: number;
  claimId: string;
  claimedAt: string;
}

export interface BrokenRoom {
  name: string;
  reason: string;
  since: string;
}

export interface RoomPoolState {
  ready: PoolRoom[];
  creating: CreatingRoom[];
  claimed: ClaimedRoom[];
  broken: BrokenRoom[];
  /** rooms asked for on top of ROOM_POOL_SIZE (v1 bulk create); used up as they are claimed */
  extra: number;
}

export interface RefillPlan {
  /** warm rooms to make now */
  deficit: number;
  /** names reserved long ago and never confirmed: a crashed refill; complete them */
  stale: CreatingRoom[];
  broken: string[];
}

export type ClaimOutcome = { room: PoolRoom } | { empty: true };

const name = z.string().min(1).max(250);
const at = z.string().max(64);

/**
 * Every operation the pool entity takes, with its input. The entity parses `{ ...input, op }`
 * with this, so a malformed operation changes nothing and answers an error.
 */
export const PoolOperation = z.discriminatedUnion('op', [
  z.object({ op: z.literal('reserve'), name, at, purpose: z.enum(['pool', 'claim']), claimId: z.string().max(300).optional() }),
  z.object({ op: z.literal('created'), name, id: z.number().int(), at }),
  z.object({ op: z.literal('createFailed'), name }),
  z.object({ op: z.literal('abandonClaim'), name }),
  z.object({ op: z.literal('claim'), claimId: z.string().min(1).max(300), at }),
  /** the HTTP handler took this ready room from the warm-room queue itself: the pool's books follow */
  z.object({ op: z.literal('takeReady'), name, claimId: z.string().min(1).max(300), at }),
  z.object({ op: z.literal('markBroken'), name, reason: z.string(), at }),
  z.object({ op: z.literal('removed'), name }),
  z.object({ op: z.literal('grow'), count: z.number() }),
  z.object({ op: z.literal('drain') }),
  z.object({ op: z.literal('plan'), size: z.number().int().nonnegative(), at, staleAfterMs: z.number().nonnegative() }),
  z.object({ op: z.literal('get') }),
]);
export type PoolOperation = z.infer<typeof PoolOperation>;
export type PoolOperationName = PoolOperation['op'];

/** What each operation answers. */
export interface PoolResults {
  reserve: { reserved: boolean };
  created: { placed: 'claimed' | 'ready' | 'already' | 'unknown' };
  createFailed: null;
  abandonClaim: null;
  claim: ClaimOutcome;
  takeReady: { taken: boolean };
  markBroken: null;
  removed: null;
  grow: null;
  drain: { rooms: PoolRoom[] };
  plan: RefillPlan;
  get: RoomPoolState;
}

type PoolInput<K extends PoolOperationName> = Omit<Extract<PoolOperation, { op: K }>, 'op'>;
export type RoomPoolOperations = {
  [K in PoolOperationName]: EntityOperation<[keyof PoolInput<K>] extends [never] ? undefined : PoolInput<K>, PoolResults[K]>;
};

/**
 * A room as it may rest in durable state (activity results, orchestration outputs): the Pexip
 * view without its PINs. Built field by field, so a field Pexip adds later (or a PIN under
 * another name) stays out of history. The host PIN is read from Pexip when the Agent App asks
 * (`GET /public/room/{name}`), the guest PIN when a create answer needs it.
 */
export type DurableRoom = Pick<PexipConference, 'id' | 'name' | 'service_type' | 'allow_guests' | 'tag' | 'description' | 'aliases' | 'resource_uri'>;

export function durableRoomOf(room: PexipConference): DurableRoom {
  const out: DurableRoom = { id: room.id, name: room.name, aliases: (room.aliases ?? []).map((a) => ({ ...(a.id !== undefined ? { id: a.id } : {}), alias: a.alias, ...(a.conference !== undefined ? { conference: a.conference } : {}), ...(a.creation_time !== undefined ? { creation_time: a.creation_time } : {}), ...(a.description !== undefined ? { description: a.description } : {}) })) };
  if (room.service_type !== undefined) out.service_type = room.service_type;
  if (room.allow_guests !== undefined) out.allow_guests = room.allow_guests;
  if (room.tag !== undefined) out.tag = room.tag;
  if (room.description !== undefined) out.description = room.description;
  if (room.resource_uri !== undefined) out.resource_uri = room.resource_uri;
  return out;
}

/** A room as the pool's orchestrations report it (activities/pexipRoom.ts): never its PINs. */
export type RoomActivityResult = { ok: true; room: DurableRoom } | { ok: false; retryable: boolean; reason: string };

/** Names the pool holds outside sessions (ready, being made, broken): the reaper leaves these alone. */
export function poolRoomNamesOf(state: RoomPoolState | undefined): Set<string> {
  if (!state) return new Set();
  return new Set([...state.ready, ...state.creating, ...state.broken].map((r) => r.name));
}
