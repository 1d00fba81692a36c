import { z } from 'zod';
import { ROLES, type BearerVerifier } from '../adapters/auth';
import { isOwnedRoom, isPersistentRoomName, type PexipConference, type PexipRooms } from '../adapters/pexip';
import type { SessionEventPublisher } from '../contracts';
import { ORCHESTRATIONS } from '../contracts/durable';
import type { DurableRoom } from '../contracts/roomPool';
import type { SessionSettings } from '../domain/session';
import type { SessionView } from '../domain/sessionView';
import { parseUui } from '../domain/uui';
import type { Logger } from '../logging/logger';
import { isSessionIdOf, RoomName } from '../contracts/ids';
import type { JoinLinks } from './joinLink';
import { bodyTooLarge, checkId, invalidInput, JSON_BODY_MAX_BYTES, parseJsonBody } from './validation';
import { problem, type ApiHandler, type ApiRequest, type ApiResponse, type DurableControl, type RequestContext } from './types';

/**
 * Today's MaxConf contract, unchanged for IDIM: the paths, JSON shapes and status codes of
 * the v1 API (docs/session.md). Behind it, create starts a call session and delete ends it.
 */

/** The claimed room; its guest PIN only when the claim read it from Pexip itself (never from durable state). */
export type ClaimResult =
  | { ok: true; room: DurableRoom & Partial<Pick<PexipConference, 'guest_pin'>> }
  | { ok: false; reason: 'pool_exhausted' | 'pexip_unavailable'; detail: string };

export interface RoomsDeps {
  verifier: BearerVerifier;
  rooms: Pick<PexipRooms, 'getRoomByName' | 'listRooms' | 'updateTag' | 'deleteRoom'>;
  roomPrefix: string;
  claimRoom(durable: DurableControl, tag: string): Promise<ClaimResult>;
  /** asks the pool for `count` more warm rooms, made in the background */
  growPool(durable: DurableControl, count: number): Promise<void>;
  /** deletes the pool's ready rooms and empties it; returns how many rooms were deleted */
  clearPool(durable: DurableControl): Promise<number>;
  publisher(durable: DurableControl): SessionEventPublisher;
  settings: SessionSettings;
  /** the citizen's join link, added to the create answer as `join_url`; absent without a Customer App */
  joinLinks?: JoinLinks | undefined;
  logger: Logger;
  now(): Date;
}

/** v1's Alias and ConstrainedConference / Conference views of a Pexip VMR. */
export function constrainedView(room: PexipConference, options: { includeHostPin: boolean }) {
  return {
    id: room.id,
    name: room.name,
    service_type: room.service_type ?? 'conference',
    allow_guests: room.allow_guests ?? true,
    ...(options.includeHostPin ? { pin: room.pin ?? '' } : {}),
    guest_pin: room.guest_pin ?? '',
    tag: room.tag ?? '',
    aliases: (room.aliases ?? []).map((a) => ({
      id: a.id,
      alias: a.alias,
      conference: a.conference ?? `/api/admin/configuration/v1/conference/${room.id}/`,
      creation_time: a.creation_time,
      description: a.description ?? '',
    })),
  };
}

const Constrained = z.preprocess(
  (v) => (v === undefined ? 'true' : v),
  z.enum(['true', 'false', 'True', 'False', '1', '0']).transform((v) => v === 'true' || v === 'True' || v === '1'),
);

export const CreateRoomQuery = z.object({ uuiData: z.string() });
export const GetRoomQuery = z.object({ constrained_attributes: Constrained });
export const UpdateRoomBody = z.object({ tag: z.url({ protocol: /^https$/ }).max(250) }).strict();
export const BulkCreateQuery = z.object({ count: z.coerce.number().int().min(1).max(100) });

/**
 * IDIM's routes need the IDIM app role: without it any app of the tenant that can get a token for
 * MaxConf's audience could make or delete rooms. Entra adds the role to IDIM's client-credentials
 * token once it is assigned (docs/deploy.md), so IDIM's own requests do not change.
 */
async function authorize(deps: RoomsDeps, request: ApiRequest): Promise<ApiResponse | undefined> {
  const result = await deps.verifier.verify(request.header('authorization'), ROLES.idim);
  if (result.ok) return undefined;
  return problem(result.status, result.status === 401 ? 'unauthorized' : 'forbidden', result.reason);
}

function durableOf(context: RequestContext): DurableControl {
  if (!context.durable) throw new Error('room routes need a durable client binding');
  return context.durable;
}

export function createRoomHandler(deps: RoomsDeps): ApiHandler {
  const log = deps.logger.child({ route: 'room/create' });
  return async (request, context) => {
    const tooLarge = bodyTooLarge(request, JSON_BODY_MAX_BYTES);
    if (tooLarge) return tooLarge;
    const denied = await authorize(deps, request);
    if (denied) return denied;
    const uui = parseUui(request.query.get('uuiData'));
    if (!uui.ok) {
      return problem(400, 'invalid-input', 'The request is invalid', `query field "uuiData": ${uui.reason}`, {
        'invalid-params': [{ name: 'uuiData', reason: uui.reason }],
      });
    }
    const durable = durableOf(context);
    const claim = await deps.claimRoom(durable, uui.uui.tag);
    if (!claim.ok) {
      log.warn({ reason: claim.reason, detail: claim.detail }, 'no room could be handed out');
      return { ...problem(503, 'no-room-available', 'No room is available right now', claim.detail), headers: { 'content-type': 'application/problem+json', 'retry-after': '30' } };
    }
    // a room made on demand came through the claim orchestration's output, which holds no PIN:
    // read it before any session starts, so a failed read leaves nothing behind
    const guestPin = claim.room.guest_pin ?? (await deps.rooms.getRoomByName(claim.room.name).catch(() => undefined))?.guest_pin;
    if (!guestPin) {
      log.error({ roomName: claim.room.name }, 'the guest PIN could not be read from Pexip; releasing the room');
      await deps.rooms.deleteRoom(claim.room.name).catch(() => undefined);
      return { ...problem(503, 'no-room-available', 'No room is available right now', 'Pexip did not answer; try again shortly'), headers: { 'content-type': 'application/problem+json', 'retry-after': '30' } };
    }
    const room = { ...claim.room, guest_pin: guestPin };
    try {
      await durable.startNew(ORCHESTRATIONS.callSession, room.name, {
        roomName: room.name,
        roomId: room.id,
        uui: uui.uui.raw,
        videoCallId: uui.uui.videoCallId,
        settings: deps.settings,
      });
    } catch (error) {
      // A claimed room without a session is an orphan: delete it now; the reaper is the backstop.
      log.error({ err: error, roomName: room.name }, 'session did not start; releasing the room');
      await deps.rooms.deleteRoom(room.name).catch(() => undefined);
      return problem(503, 'session-not-started', 'The call session could not be started', 'try again shortly');
    }
    log.info({ roomName: room.name, videoCallId: uui.uui.videoCallId }, 'room handed out, session started');
    const view = constrainedView(room, { includeHostPin: false });
    // an additional field after v1's: IDIM may ignore it (v1's fields and their values are unchanged)
    const joinUrl = await deps.joinLinks?.linkFor({ sessionId: room.name, alias: view.aliases[0]?.alias ?? room.name, createdAt: deps.now() });
    return { status: 200, body: joinUrl ? { ...view, join_url: joinUrl } : view };
  };
}

/** 404 for a room that is gone; when it belonged to a session, the body names the session's outcome. */
async function roomGone(durable: DurableControl | undefined, name: string, prefix: string): Promise<ApiResponse> {
  // only a session id of this deployment reaches the durable client (src/contracts/ids.ts)
  const status = durable && isSessionIdOf(name, prefix) ? await durable.getStatus(name) : undefined;
  const view = (status?.output ?? status?.customStatus) as Partial<SessionView> | undefined;
  if (status && view?.outcome) {
    return problem(404, 'room-torn-down', 'The room has been torn down', `its session ended: ${view.outcome}`, {
      roomName: name,
      outcome: view.outcome,
      endedAt: view.endedAt ?? null,
    });
  }
  return problem(404, 'room-not-found', 'No room has this name', undefined, { roomName: name });
}

export function getRoomHandler(deps: RoomsDeps): ApiHandler {
  return async (request, context) => {
    const denied = await authorize(deps, request);
    if (denied) return denied;
    const bad = checkId(RoomName, request.params.room_name, 'room_name');
    if (bad) return bad;
    const query = GetRoomQuery.safeParse(Object.fromEntries(request.query));
    if (!query.success) return invalidInput(query.error, 'query');
    const name = request.params.room_name!;
    const room = await deps.rooms.getRoomByName(name);
    if (!room) return roomGone(context.durable, name, deps.roomPrefix);
    return { status: 200, body: query.data.constrained_attributes ? constrainedView(room, { includeHostPin: true }) : room };
  };
}

export function deleteRoomHandler(deps: RoomsDeps): ApiHandler {
  const log = deps.logger.child({ route: 'room/delete' });
  return async (request, context) => {
    const denied = await authorize(deps, request);
    if (denied) return denied;
    const bad = checkId(RoomName, request.params.room_name, 'room_name');
    if (bad) return bad;
    const name = request.params.room_name!;
    if (isPersistentRoomName(name)) return problem(409, 'persistent-room', 'Persistent rooms are never deleted', undefined, { roomName: name });
    const durable = durableOf(context);
    // a name that is not one of this deployment's session ids has no session to tell
    const outcome = !isSessionIdOf(name, deps.roomPrefix) ? 'unknown_session' : await deps.publisher(durable).publish({
      type: 'idim_deleted',
      source: 'idim',
      roomName: name,
      at: deps.now().toISOString(),
      eventId: `idim-delete:${name}`,
    });
    if (outcome === 'unknown_session') {
      const room = await deps.rooms.getRoomByName(name);
      // only the exact room: a lookup that matches loosely (case, normalisation) must not delete another
      if (room && room.name === name && isOwnedRoom(room, deps.roomPrefix)) {
        // ours but with no session (a create that failed half-way): nothing else will delete it sooner
        await deps.rooms.deleteRoom(name);
        log.info({ roomName: name }, 'deleted an owned room that had no session');
      } else if (room) {
        log.info({ roomName: name }, 'room is not owned by this deployment; left alone');
      }
    }
    return { status: 204 };
  };
}

export function updateRoomHandler(deps: RoomsDeps): ApiHandler {
  return async (request) => {
    const tooLarge = bodyTooLarge(request, JSON_BODY_MAX_BYTES);
    if (tooLarge) return tooLarge;
    const denied = await authorize(deps, request);
    if (denied) return denied;
    const bad = checkId(RoomName, request.params.room_name, 'room_name');
    if (bad) return bad;
    const body = parseJsonBody(request.body);
    if (!body.ok) return body.response;
    const parsed = UpdateRoomBody.safeParse(body.value);
    if (!parsed.success) return invalidInput(parsed.error, 'body');
    const name = request.params.room_name!;
    const room = await deps.rooms.getRoomByName(name);
    if (!room) return problem(404, 'room-not-found', 'No room has this name', undefined, { roomName: name });
    await deps.rooms.updateTag(name, parsed.data.tag);
    return { status: 202 };
  };
}

export function listRoomsHandler(deps: RoomsDeps): ApiHandler {
  return async (request) => {
    const denied = await authorize(deps, request);
    if (denied) return denied;
    const query = GetRoomQuery.safeParse(Object.fromEntries(request.query));
    if (!query.success) return invalidInput(query.error, 'query');
    const rooms: PexipConference[] = [];
    for (let offset: number | undefined = 0; offset !== undefined; ) {
      const page = await deps.rooms.listRooms({ offset, limit: 200 });
      rooms.push(...page.rooms);
      offset = page.nextOffset;
    }
    return {
      status: 200,
      body: rooms.map((room) => (query.data.constrained_attributes ? constrainedView(room, { includeHostPin: true }) : room)),
    };
  };
}

export function bulkCreateRoomsHandler(deps: RoomsDeps): ApiHandler {
  return async (request, context) => {
    const denied = await authorize(deps, request);
    if (denied) return denied;
    const query = BulkCreateQuery.safeParse(Object.fromEntries(request.query));
    if (!query.success) return invalidInput(query.error, 'query');
    await deps.growPool(durableOf(context), query.data.count);
    return { status: 202, body: { message: 'Rooms are being created in the background.', requested: query.data.count } };
  };
}

export function bulkDeleteRoomsHandler(deps: RoomsDeps): ApiHandler {
  return async (request, context) => {
    const denied = await authorize(deps, request);
    if (denied) return denied;
    const deleted = await deps.clearPool(durableOf(context));
    return { status: 200, body: { message: 'All matching rooms deleted and queue cleared.', deleted } };
  };
}
