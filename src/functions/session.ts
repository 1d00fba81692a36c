import { dialQueueActivity, teardownSessionActivity } from '../../activities/callSession';
import { checkCallTruthActivity } from '../../activities/callTruth';
import { recordSessionActivity } from '../../activities/readModel';
import { callSession } from '../../orchestrators/callSession';
import { verifierFromConfig } from '../adapters/auth';
import { durableSessionEventPublisher } from '../adapters/durable/sessionEventPublisher';
import type { PexipCalls, PexipRooms } from '../adapters/pexip';
import { ACTIVITIES, ORCHESTRATIONS } from '../contracts/durable';
import type { DurableControl } from '../contracts/ports';
import { sessionSettings } from '../domain/session';
import { createAgentTokenValidator } from '../http/agentAuth';
import { coreRoutes, openApiHandler } from '../http/openapi';
import { joinLinksFromConfig } from '../http/joinLink';
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
import type { ApiHandler } from '../http/types';
import { reap } from '../maintenance/reaper';
import { purgeExpired } from '../maintenance/retention';
import { claimWarmRoom, clearRoomPool, growRoomPool, readRoomPool } from '../session/roomPoolClient';
import { activityRegistration, orchestrationRegistration, type HttpMethod, type Registration } from './registration';
import type { AppServices } from './services';

/** How long a claimed room may exist before its session shows up; younger orphans are left alone. */
const ORPHAN_GRACE_MS = 10 * 60_000;

/** The Pexip client's rooms, resolved per call so an unconfigured Pexip fails the request, not the app's start. */
function lazyRooms(services: AppServices): PexipRooms {
  const rooms = () => services.pexip().rooms;
  return {
    createRoom: (room) => rooms().createRoom(room),
    getRoomByName: (name) => rooms().getRoomByName(name),
    listRooms: (options) => rooms().listRooms(options),
    listOwnedRooms: () => rooms().listOwnedRooms(),
    updateTag: (name, tag) => rooms().updateTag(name, tag),
    deleteRoom: (name) => rooms().deleteRoom(name),
    deleteRoomById: (id, name) => rooms().deleteRoomById(id, name),
  };
}

function lazyCalls(services: AppServices): PexipCalls {
  const calls = () => services.pexip().calls;
  return {
    dialOut: (request) => calls().dialOut(request),
    disconnectParticipant: (id) => calls().disconnectParticipant(id),
    disconnectConference: (name) => calls().disconnectConference(name),
    listParticipants: (name) => calls().listParticipants(name),
  };
}

/**
 * The call session and the API around it: v1's room routes, the Agent App route, support's
 * session routes, the OpenAPI document, the callSession orchestration and its activities, and
 * the reaper.
 */
export function sessionRegistrations(services: AppServices): Registration[] {
  const { config, logger, now } = services;
  const verifier = verifierFromConfig(config);
  const rooms = lazyRooms(services);
  const joinLinks = joinLinksFromConfig(config, services.citizenTokens(), now);
  const roomDeps = {
    verifier,
    rooms,
    roomPrefix: config.pexip.roomPrefix,
    claimRoom: (durable: DurableControl, tag: string) => claimWarmRoom({ queue: services.warmRoomQueue, rooms, logger, now }, durable, tag),
    growPool: growRoomPool,
    async clearPool(durable: DurableControl) {
      // the queue's messages name the rooms the clear deletes: empty it first so no create claims one
      await (await services.warmRoomQueue()).clear();
      return clearRoomPool(durable);
    },
    publisher: durableSessionEventPublisher,
    settings: sessionSettings(config.deadlines),
    joinLinks,
    logger,
    now,
  };
  const sessionDeps = {
    verifier,
    publisher: durableSessionEventPublisher,
    index: services.sessionIndex,
    joinLinks,
    now,
  };
  const validateAgentToken = createAgentTokenValidator({
    genesys: { region: config.genesys.region, apiBaseUrl: config.genesys.apiBaseUrl, allowedDivisions: config.genesys.allowedDivisions },
    logger,
    now,
  });
  const activityDeps = { calls: lazyCalls(services), rooms, logger };

  const http = (name: string, route: string, methods: HttpMethod[], handler: ApiHandler, durableClient = true): Registration => ({
    kind: 'http',
    name,
    route,
    methods,
    durableClient,
    handler,
  });

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
    http('openApi', 'openapi.json', ['GET'], openApiHandler(coreRoutes()), false),
    orchestrationRegistration(ORCHESTRATIONS.callSession, callSession),
    activityRegistration(ACTIVITIES.dialQueue, dialQueueActivity(activityDeps)),
    activityRegistration(ACTIVITIES.teardownSession, teardownSessionActivity(activityDeps)),
    activityRegistration(
      ACTIVITIES.checkCallTruth,
      checkCallTruthActivity({ calls: activityDeps.calls, conversations: () => services.genesys(), genesysSipUri: config.genesys.sipUri, logger }),
    ),
    activityRegistration(ACTIVITIES.recordSession, recordSessionActivity({ index: services.sessionIndex, logger })),
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
            index: services.sessionIndex,
            sessionLifetimeMs: config.deadlines.sessionLifetimeSeconds * 1000,
            orphanGraceMs: ORPHAN_GRACE_MS,
            logger,
            now,
          },
          context.durable,
        );
      },
    },
    {
      kind: 'timer',
      name: 'retention',
      schedule: config.retention.schedule,
      durableClient: true,
      async handler(context, firedAt) {
        if (!context.durable) return;
        // the later of the app's clock and the runtime's: the local host's clock is virtual in tests
        const at = () => new Date(Math.max(now().getTime(), firedAt?.getTime() ?? 0));
        await purgeExpired({ index: services.sessionIndex, retentionMs: config.retention.sessionDays * 24 * 3600_000, logger, now: at }, context.durable);
      },
    },
  ];
}
