import { offerWarmRoomActivity } from '../../activities/warmRoom';
import { createPoolRoomActivity, deleteRoomActivity, tagRoomActivity, type PoolActivityDeps } from '../../activities/pexipRoom';
import { pexipSinkStateEntity } from '../../entities/pexipSinkState';
import { roomPoolEntity } from '../../entities/roomPool';
import { claimRoomOrchestrator } from '../../orchestrators/claimRoom';
import { clearRoomPoolOrchestrator, refillRoomPoolOrchestrator } from '../../orchestrators/refillRoomPool';
import { durableSessionEventPublisher } from '../adapters/durable/sessionEventPublisher';
import { ACTIVITIES, ENTITIES, ORCHESTRATIONS } from '../contracts/durable';
import { eventSinkHandler } from '../http/eventSink';
import { ensureRoomPoolRefill } from '../session/roomPoolClient';
import { activityRegistration, entityRegistration, orchestrationRegistration, type Registration } from './registration';
import type { AppServices } from './services';

/** How often the keeper checks the pool (also how soon after start-up the first refill runs). */
export const ROOM_POOL_KEEPER_SCHEDULE = '0 */1 * * * *';

/**
 * The Pexip side of MaxConf: the event sink route, the room-pool entity and its orchestrations,
 * the pool activities and the keeper timer, all over the app's one Pexip client.
 */
export function pexipRegistrations(services: AppServices): Registration[] {
  const { config, logger } = services;
  const deps: PoolActivityDeps = { rooms: () => services.pexip().rooms, logger };

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
    entityRegistration(ENTITIES.roomPool, roomPoolEntity),
    entityRegistration(ENTITIES.pexipSinkState, pexipSinkStateEntity),
    orchestrationRegistration(ORCHESTRATIONS.claimRoom, claimRoomOrchestrator({ roomPrefix: config.pexip.roomPrefix, onDemandTimeoutMs: 20_000 })),
    orchestrationRegistration(
      ORCHESTRATIONS.refillRoomPool,
      refillRoomPoolOrchestrator({
        roomPrefix: config.pexip.roomPrefix,
        poolSize: config.roomPoolSize,
        batchSize: 5,
        staleAfterMs: 2 * 60_000,
        retryDelayMs: 30_000,
        maxFailingRounds: 5,
      }),
    ),
    orchestrationRegistration(ORCHESTRATIONS.clearRoomPool, clearRoomPoolOrchestrator),
    activityRegistration(ACTIVITIES.pexipCreatePoolRoom, createPoolRoomActivity(deps)),
    activityRegistration(ACTIVITIES.pexipTagRoom, tagRoomActivity(deps)),
    activityRegistration(ACTIVITIES.pexipDeleteRoom, deleteRoomActivity(deps)),
    activityRegistration(ACTIVITIES.offerWarmRoom, offerWarmRoomActivity(services.warmRoomQueue)),
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
