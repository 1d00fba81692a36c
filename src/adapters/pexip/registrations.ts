import type { ActivityHandler, OrchestrationHandler } from 'durable-functions';
import {
  createPoolRoomActivity,
  deleteRoomActivity,
  listOwnedRoomsActivity,
  POOL_ACTIVITIES,
  tagRoomActivity,
  type PoolActivityDeps,
} from '../../../activities/pexipRoom';
import { ROOM_POOL_ENTITY, roomPoolEntity } from '../../../entities/roomPool';
import { PEXIP_SINK_STATE_ENTITY, pexipSinkStateEntity } from '../../../entities/roomPoolSinkState';
import { CLAIM_ROOM, claimRoomOrchestrator } from '../../../orchestrators/claimRoom';
import { ensureRoomPoolRefill } from '../../session/roomPoolClient';
import { CLEAR_ROOM_POOL, clearRoomPoolOrchestrator, REFILL_ROOM_POOL, refillRoomPoolOrchestrator } from '../../../orchestrators/refillRoomPool';
import { durableSessionEventPublisher } from '../durable/sessionEventPublisher';
import { eventSinkHandler } from '../../http/eventSink';
import type { EntityRegistration, Registration, AppServices } from '../../registrations';
import { createPexipClient, type PexipClient } from './index';

/** How often the keeper checks the pool (also how soon after start-up the first refill runs). */
export const ROOM_POOL_KEEPER_SCHEDULE = '0 */1 * * * *';

/**
 * Everything the Pexip side of MaxConf registers: the event sink route, the room-pool entity and
 * its orchestrations, the pool activities and the keeper timer. The Pexip client is made on first
 * use, so an app without Pexip settings still starts (and its activities fail, permanently).
 */
export function pexipRegistrations(services: AppServices): Registration[] {
  const { config, logger } = services;
  let client: PexipClient | undefined;
  const pexip = (): PexipClient => (client ??= createPexipClient(config, logger));
  const deps: PoolActivityDeps = { rooms: () => pexip().rooms, logger };

  const activity = (name: string, handler: (input: never) => Promise<unknown>): Registration => ({
    kind: 'activity',
    name,
    handler: handler as unknown as ActivityHandler,
  });
  const orchestration = (name: string, handler: OrchestrationHandler): Registration => ({ kind: 'orchestration', name, handler });
  const entity = (name: string, handler: unknown): Registration => ({ kind: 'entity', name, handler: handler as EntityRegistration['handler'] });

  return [
    {
      kind: 'http',
      name: 'pexipEventSink',
      route: 'public/event_sink',
      methods: ['POST'],
      durableClient: true,
      handler: eventSinkHandler({
        credentials: config.pexip.eventSink,
        roomPrefix: config.pexip.roomPrefix,
        genesysSipUri: config.genesys.sipUri,
        logger,
        now: services.now,
        publisher: durableSessionEventPublisher,
      }),
    },
    entity(ROOM_POOL_ENTITY, roomPoolEntity),
    entity(PEXIP_SINK_STATE_ENTITY, pexipSinkStateEntity),
    orchestration(CLAIM_ROOM, claimRoomOrchestrator({ roomPrefix: config.pexip.roomPrefix, onDemandTimeoutMs: 20_000 })),
    orchestration(
      REFILL_ROOM_POOL,
      refillRoomPoolOrchestrator({
        roomPrefix: config.pexip.roomPrefix,
        poolSize: config.roomPoolSize,
        batchSize: 5,
        staleAfterMs: 2 * 60_000,
        retryDelayMs: 30_000,
        maxFailingRounds: 5,
      }),
    ),
    orchestration(CLEAR_ROOM_POOL, clearRoomPoolOrchestrator),
    activity(POOL_ACTIVITIES.createPoolRoom, createPoolRoomActivity(deps)),
    activity(POOL_ACTIVITIES.tagRoom, tagRoomActivity(deps)),
    activity(POOL_ACTIVITIES.deleteRoom, deleteRoomActivity(deps)),
    activity(POOL_ACTIVITIES.listOwnedRooms, listOwnedRoomsActivity(deps)),
    {
      kind: 'timer',
      name: 'roomPoolKeeper',
      schedule: ROOM_POOL_KEEPER_SCHEDULE,
      durableClient: true,
      async handler(context) {
        if (!context.durable) return;
        await ensureRoomPoolRefill(context.durable).catch((error: unknown) => {
          logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'room pool keeper could not start the refill');
        });
      },
    },
  ];
}
