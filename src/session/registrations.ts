import type { ActivityHandler } from 'durable-functions';
import { dialQueueActivity, teardownSessionActivity } from '../../activities/callSession';
import { CONVERSATION_INDEX, type ConversationIndexState } from '../../entities/conversationIndex';
import { CALL_SESSION, callSession, SESSION_ACTIVITIES } from '../../orchestrators/callSession';
import { claimRoomFromPool, clearRoomPool, growRoomPool, readRoomPool } from './roomPoolClient';
import { verifierFromConfig } from '../adapters/auth';
import { durableSessionEventPublisher } from '../adapters/durable/sessionEventPublisher';
import { sessionSettings } from '../domain/session';
import { createAgentTokenValidator } from '../http/agentAuth';
import { coreRoutes, openApiHandler, type DocumentedRoute } from '../http/openapi';
import { publicRoomHandler } from '../http/publicRoom';
import {
  bulkCreateRoomsHandler,
  bulkDeleteRoomsHandler,
  createRoomHandler,
  deleteRoomHandler,
  getRoomHandler,
  listRoomsHandler,
  updateRoomHandler,
} from '../http/rooms';
import { getSessionHandler, listSessionsHandler, terminateSessionHandler } from '../http/sessions';
import { reap } from '../maintenance/reaper';
import type { AppServices, Registration } from '../registrations';

/** How long a claimed room may exist before its session shows up; younger orphans are left alone. */
const ORPHAN_GRACE_MS = 10 * 60_000;

/**
 * The call session and the API around it: v1's room routes, the Agent App route, support's
 * session routes, the OpenAPI document, the callSession orchestration and its activities, and
 * the reaper.
 */
export function sessionRegistrations(services: AppServices, extraRoutes: DocumentedRoute[] = []): Registration[] {
  const { config, logger, now } = services;
  const verifier = verifierFromConfig(config);
  const rooms = {
    getRoomByName: (name: string) => services.pexip().rooms.getRoomByName(name),
    listRooms: (options?: Parameters<ReturnType<AppServices['pexip']>['rooms']['listRooms']>[0]) => services.pexip().rooms.listRooms(options),
    updateTag: (name: string, tag: string) => services.pexip().rooms.updateTag(name, tag),
    deleteRoom: (name: string) => services.pexip().rooms.deleteRoom(name),
    listOwnedRooms: () => services.pexip().rooms.listOwnedRooms(),
  };
  const roomDeps = {
    verifier,
    rooms,
    roomPrefix: config.pexip.roomPrefix,
    claimRoom: claimRoomFromPool,
    growPool: growRoomPool,
    clearPool: (durable: Parameters<typeof clearRoomPool>[0]) => clearRoomPool(durable),
    publisher: durableSessionEventPublisher,
    settings: sessionSettings(config.deadlines),
    logger,
    now,
  };
  const sessionDeps = {
    verifier,
    publisher: durableSessionEventPublisher,
    async roomOfConversation(durable: Parameters<typeof durableSessionEventPublisher>[0], conversationId: string) {
      const state = await durable.readEntityState<ConversationIndexState>(CONVERSATION_INDEX, conversationId);
      return state?.roomName ?? undefined;
    },
    now,
  };
  const validateAgentToken = createAgentTokenValidator({
    genesys: { region: config.genesys.region, apiBaseUrl: config.genesys.apiBaseUrl, allowedDivisions: config.genesys.allowedDivisions },
    logger,
    now,
  });
  const activityDeps = {
    calls: {
      dialOut: (r: Parameters<ReturnType<AppServices['pexip']>['calls']['dialOut']>[0]) => services.pexip().calls.dialOut(r),
      disconnectParticipant: (id: string) => services.pexip().calls.disconnectParticipant(id),
      disconnectConference: (name: string) => services.pexip().calls.disconnectConference(name),
      listParticipants: (name: string) => services.pexip().calls.listParticipants(name),
    },
    rooms,
    logger,
  };

  const http = (
    name: string,
    route: string,
    methods: ('GET' | 'POST' | 'PATCH' | 'DELETE')[],
    handler: Registration & { kind: 'http' } extends { handler: infer H } ? H : never,
    durableClient = true,
  ): Registration => ({ kind: 'http', name, route, methods, durableClient, handler });

  return [
    http('roomCreate', 'room/create', ['POST'], createRoomHandler(roomDeps)),
    http('roomBulkCreate', 'room/bulk', ['POST'], bulkCreateRoomsHandler(roomDeps)),
    http('roomGet', 'room/{room_name}', ['GET'], getRoomHandler(roomDeps)),
    http('roomUpdate', 'room/{room_name}', ['PATCH'], updateRoomHandler(roomDeps), false),
    http('roomDelete', 'room/{room_name}', ['DELETE'], deleteRoomHandler(roomDeps)),
    http('roomList', 'room', ['GET'], listRoomsHandler(roomDeps), false),
    http('roomBulkDelete', 'room', ['DELETE'], bulkDeleteRoomsHandler(roomDeps)),
    http('publicRoom', 'public/room/{vmr_name}', ['GET'], publicRoomHandler({ validateAgentToken, rooms, logger }), false),
    http('sessionGet', 'sessions/{id}', ['GET'], getSessionHandler(sessionDeps)),
    http('sessionList', 'sessions', ['GET'], listSessionsHandler(sessionDeps)),
    http('sessionTerminate', 'sessions/{id}/terminate', ['POST'], terminateSessionHandler(sessionDeps)),
    http('openApi', 'openapi.json', ['GET'], openApiHandler([...coreRoutes(), ...extraRoutes]), false),
    { kind: 'orchestration', name: CALL_SESSION, handler: callSession },
    { kind: 'activity', name: SESSION_ACTIVITIES.dialQueue, handler: dialQueueActivity(activityDeps) as unknown as ActivityHandler },
    { kind: 'activity', name: SESSION_ACTIVITIES.teardownSession, handler: teardownSessionActivity(activityDeps) as unknown as ActivityHandler },
    {
      kind: 'timer',
      name: 'reaper',
      schedule: config.reaperSchedule,
      durableClient: true,
      async handler(context) {
        if (!context.durable) return;
        await reap(
          {
            rooms,
            roomPrefix: config.pexip.roomPrefix,
            readRoomPool,
            publisher: durableSessionEventPublisher,
            sessionLifetimeMs: config.deadlines.sessionLifetimeSeconds * 1000,
            orphanGraceMs: ORPHAN_GRACE_MS,
            logger,
            now,
          },
          context.durable,
        );
      },
    },
  ];
}
