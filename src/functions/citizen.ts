import { durableSessionEventPublisher } from '../adapters/durable/sessionEventPublisher';
import { citizenLeaveHandler, citizenRoomHandler, citizenSessionHandler, type CitizenDeps } from '../http/citizen';
import { TokenBuckets } from '../http/rateLimit';
import type { ApiHandler } from '../http/types';
import type { Registration } from './registration';
import type { AppServices } from './services';

/**
 * The Customer App's citizen routes (docs/customer-app.md). The rate limits live here, one pair
 * per app instance: per session, a page polling every 2 s or more with room for a rejoin's
 * burst; per client address, a few citizens behind one NAT. API Management's
 * `rate-limit-by-key` (infra/apim/public.xml) is the limit across instances.
 */
export const CITIZEN_LIMITS = {
  perSession: { capacity: 20, refillPerSecond: 1, maxKeys: 10_000 },
  perAddress: { capacity: 60, refillPerSecond: 3, maxKeys: 10_000 },
} as const;

export function citizenRegistrations(services: AppServices): Registration[] {
  const { config, logger, now } = services;
  const clock = () => now().getTime();
  const deps: CitizenDeps = {
    tokens: services.citizenTokens(),
    index: services.sessionIndex,
    rooms: { getRoomByName: (name) => services.pexip().rooms.getRoomByName(name) },
    publisher: durableSessionEventPublisher,
    conferenceNode: config.pexip.conferenceHost,
    limits: {
      perSession: new TokenBuckets({ ...CITIZEN_LIMITS.perSession, now: clock }),
      perAddress: new TokenBuckets({ ...CITIZEN_LIMITS.perAddress, now: clock }),
    },
    logger,
    now,
  };
  const http = (name: string, route: string, method: 'GET' | 'POST', handler: ApiHandler, durableClient: boolean): Registration => ({
    kind: 'http',
    name,
    route,
    methods: [method],
    durableClient,
    handler,
  });
  return [
    http('citizenSession', 'public/citizen/session', 'GET', citizenSessionHandler(deps), false),
    http('citizenRoom', 'public/citizen/room', 'GET', citizenRoomHandler(deps), false),
    http('citizenLeave', 'public/citizen/leave', 'POST', citizenLeaveHandler(deps), true),
  ];
}
