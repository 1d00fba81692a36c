import type { PexipRooms } from '../adapters/pexip';
import type { Logger } from '../logging/logger';
import { RoomName } from '../contracts/ids';
import { constrainedView } from './rooms';
import { checkId } from './validation';
import { problem, type ApiHandler } from './types';

/** What the Genesys adapter answers about an Agent App's user token. */
export type AgentCheck =
  | { ok: true; userId: string }
  | { ok: false; reason: 'missing' | 'invalid' | 'expired' | 'forbidden_division' | 'unavailable' };

export interface PublicRoomDeps {
  validateAgentToken(token: string | undefined): Promise<AgentCheck>;
  rooms: Pick<PexipRooms, 'getRoomByName'>;
  logger: Logger;
}

/**
 * `GET /public/room/{vmr_name}` for the Agent App: v1's room view with the host PIN the agent
 * joins with, for a Genesys user of an allowed division.
 */
export function publicRoomHandler(deps: PublicRoomDeps): ApiHandler {
  const log = deps.logger.child({ route: 'public/room' });
  return async (request) => {
    const check = await deps.validateAgentToken(request.header('x-auth-token'));
    if (!check.ok) {
      log.info({ reason: check.reason }, 'agent token refused');
      if (check.reason === 'unavailable') return problem(503, 'genesys-unavailable', 'The agent token could not be checked right now');
      if (check.reason === 'forbidden_division') return problem(403, 'forbidden', 'The user is not in a division allowed to join rooms');
      return problem(401, 'unauthorized', check.reason === 'missing' ? 'x-auth-token is required' : `the token is ${check.reason}`);
    }
    const bad = checkId(RoomName, request.params.vmr_name, 'vmr_name');
    if (bad) return bad;
    const name = request.params.vmr_name!;
    const room = await deps.rooms.getRoomByName(name);
    if (!room) return problem(404, 'room-not-found', 'No room has this name', undefined, { roomName: name });
    log.info({ roomName: name, agentUserId: check.userId }, 'agent looked up a room');
    return { status: 200, body: constrainedView(room, { includeHostPin: true }) };
  };
}
