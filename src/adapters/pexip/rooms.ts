import type { Logger } from '../../logging/logger';
import { PexipError } from './errors';
import type { PexipHttp } from './http';
import { ListEnvelope, PexipConference } from './models';
import { isOwnedRoom, isPersistentRoomName, ownershipDescription } from './naming';

const CONFERENCE = '/api/admin/configuration/v1/conference/';

export interface NewRoom {
  name: string;
  guestPin: string;
  hostPin: string;
  tag?: string;
}

export interface RoomPage {
  rooms: PexipConference[];
  totalCount: number;
  nextOffset: number | undefined;
}

/** What MaxConf does with VMRs on the management node. */
export interface PexipRooms {
  /** Creates a room this deployment owns. Idempotent by name: an owned room of that name is returned as it is. */
  createRoom(room: NewRoom): Promise<PexipConference>;
  getRoomByName(name: string): Promise<PexipConference | undefined>;
  listRooms(options?: { nameStartsWith?: string; limit?: number; offset?: number }): Promise<RoomPage>;
  /** Every room this deployment owns (prefix and marker), across all pages. */
  listOwnedRooms(): Promise<PexipConference[]>;
  /** Sets the tag of an owned room; a missing room is a permanent `not_found`. */
  updateTag(name: string, tag: string): Promise<PexipConference>;
  /** Deletes an owned room. A room that is already gone counts as deleted. */
  deleteRoom(name: string): Promise<'deleted' | 'already_gone'>;
  /**
   * Deletes an owned room by its configuration id, without looking it up: for a room whose id
   * MaxConf recorded when it claimed it (the session's teardown). The name is checked against
   * the prefix and the persistent-room rule. Gone already counts as deleted.
   */
  deleteRoomById(id: number, name: string): Promise<'deleted' | 'already_gone'>;
}

function parseRoom(data: unknown): PexipConference {
  const parsed = PexipConference.safeParse(data);
  if (!parsed.success) throw new PexipError('invalid_response', `Pexip returned a conference without ${parsed.error.issues[0]?.path.join('.') ?? 'its fields'}`, true);
  return parsed.data;
}

function parsePage(data: unknown): { rooms: PexipConference[]; total: number; next: string | null | undefined; limit: number; offset: number } {
  const env = ListEnvelope.safeParse(data);
  if (!env.success) throw new PexipError('invalid_response', 'Pexip returned a list without its meta/objects envelope', true);
  return {
    rooms: env.data.objects.map(parseRoom),
    total: env.data.meta.total_count,
    next: env.data.meta.next,
    limit: env.data.meta.limit,
    offset: env.data.meta.offset,
  };
}

function unexpected(operation: string, status: number): PexipError {
  return new PexipError(status === 404 ? 'not_found' : 'bad_request', `Pexip ${operation}: unexpected status ${status}`, false, status);
}

export function pexipRooms(http: PexipHttp, prefix: string, logger: Logger): PexipRooms {
  const log = logger.child({ component: 'pexip-rooms' });

  async function getRoomByName(name: string): Promise<PexipConference | undefined> {
    const reply = await http({ method: 'GET', path: CONFERENCE, params: { name }, idempotent: true, operation: 'find room by name' });
    if (reply.status !== 200) throw unexpected('find room by name', reply.status);
    return parsePage(reply.data).rooms.find((r) => r.name === name);
  }

  function requireOwnedName(name: string, operation: string): void {
    if (isPersistentRoomName(name)) throw new PexipError('persistent_room', `refusing to ${operation} persistent room`, false);
    if (!name.startsWith(prefix)) throw new PexipError('not_owned', `refusing to ${operation} a room outside prefix ${prefix}`, false);
  }

  async function requireOwned(name: string, operation: string): Promise<PexipConference | undefined> {
    requireOwnedName(name, operation);
    const room = await getRoomByName(name);
    if (room && !isOwnedRoom(room, prefix)) throw new PexipError('not_owned', `refusing to ${operation} a room without the MaxConf marker`, false);
    return room;
  }

  async function listRooms(options: { nameStartsWith?: string; limit?: number; offset?: number } = {}): Promise<RoomPage> {
    const params: Record<string, string | number> = { limit: options.limit ?? 100, offset: options.offset ?? 0 };
    if (options.nameStartsWith) params.name__startswith = options.nameStartsWith;
    const reply = await http({ method: 'GET', path: CONFERENCE, params, idempotent: true, operation: 'list rooms' });
    if (reply.status !== 200) throw unexpected('list rooms', reply.status);
    const page = parsePage(reply.data);
    const nextOffset = page.next ? page.offset + page.rooms.length : undefined;
    return { rooms: page.rooms, totalCount: page.total, nextOffset: page.rooms.length === 0 ? undefined : nextOffset };
  }

  async function deleteById(id: number): Promise<'deleted' | 'already_gone'> {
    const reply = await http({ method: 'DELETE', path: `${CONFERENCE}${encodeURIComponent(String(id))}/`, idempotent: true, operation: 'delete room' });
    if (reply.status === 204 || reply.status === 200 || reply.status === 202) return 'deleted';
    if (reply.status === 404) return 'already_gone';
    throw unexpected('delete room', reply.status);
  }

  return {
    async createRoom(room) {
      if (isPersistentRoomName(room.name) || !room.name.startsWith(prefix)) {
        throw new PexipError('not_owned', `room names must start with ${prefix}`, false);
      }
      const body = {
        name: room.name,
        service_type: 'conference',
        allow_guests: true,
        pin: room.hostPin,
        guest_pin: room.guestPin,
        tag: room.tag ?? '',
        description: ownershipDescription(prefix),
        aliases: [{ alias: room.name }],
      };
      const reply = await http({ method: 'POST', path: CONFERENCE, data: body, idempotent: false, operation: 'create room' });
      if (reply.status === 201) {
        const location = reply.headers.location;
        if (location) {
          const got = await http({ method: 'GET', path: new URL(location, 'http://x').pathname, idempotent: true, operation: 'read created room' });
          if (got.status === 200) return parseRoom(got.data);
        }
        const found = await getRoomByName(room.name);
        if (found) return found;
        throw new PexipError('invalid_response', 'Pexip created the room but it cannot be read back', true);
      }
      if (reply.status === 400) {
        // a duplicate name: either our own earlier attempt (timed out, then retried) or someone else's room
        const existing = await getRoomByName(room.name);
        if (existing && isOwnedRoom(existing, prefix)) {
          log.info({ room: room.name }, 'room already existed; create treated as done');
          return existing;
        }
        throw new PexipError(existing ? 'conflict' : 'bad_request', `Pexip refused to create the room (400)`, false, 400);
      }
      throw unexpected('create room', reply.status);
    },

    getRoomByName,

    listRooms,

    async listOwnedRooms() {
      const owned: PexipConference[] = [];
      let offset: number | undefined = 0;
      // bounded: a runaway `next` cannot loop forever
      for (let page = 0; offset !== undefined && page < 1000; page++) {
        const result: RoomPage = await listRooms({ nameStartsWith: prefix, limit: 100, offset });
        owned.push(...result.rooms.filter((r) => isOwnedRoom(r, prefix)));
        offset = result.nextOffset;
      }
      return owned;
    },

    async updateTag(name, tag) {
      const room = await requireOwned(name, 'tag');
      if (!room) throw new PexipError('not_found', 'room to tag does not exist', false, 404);
      const path = `${CONFERENCE}${room.id}/`;
      const reply = await http({ method: 'PATCH', path, data: { tag }, idempotent: true, operation: 'update tag' });
      if (reply.status === 404) throw new PexipError('not_found', 'room to tag does not exist', false, 404);
      if (reply.status !== 202 && reply.status !== 200 && reply.status !== 204) throw unexpected('update tag', reply.status);
      return { ...room, tag };
    },

    async deleteRoom(name) {
      const room = await requireOwned(name, 'delete');
      if (!room) return 'already_gone';
      return deleteById(room.id);
    },

    async deleteRoomById(id, name) {
      requireOwnedName(name, 'delete');
      return deleteById(id);
    },
  };
}
