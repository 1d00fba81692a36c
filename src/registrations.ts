import type { ActivityHandler, EntityHandler, OrchestrationHandler } from 'durable-functions';
import type { MaxConfConfig } from './config';
import type { Logger } from './logging/logger';
import { healthHandler, type DependencyProbe } from './http/health';
import { withErrorBoundary } from './http/errorBoundary';
import { createPexipClient, type PexipClient } from './adapters/pexip';
import { sessionRegistrations } from './session/registrations';
import { pexipRegistrations } from './adapters/pexip/registrations';
import { createGenesysFromConfig, genesysRegistrations } from './adapters/genesys/registrations';
import type { GenesysConversations } from './adapters/genesys/conversations';
import type { ApiHandler } from './http/types';

/**
 * Every function MaxConf runs, described once. src/functions registers this list with the Azure
 * Functions programming model; the local host loads that same entry, so both runtimes serve
 * exactly these functions.
 */
export type Registration =
  | HttpRegistration
  | TimerRegistration
  | ServiceBusQueueRegistration
  | OrchestrationRegistration
  | ActivityRegistration
  | EntityRegistration;

export interface HttpRegistration {
  kind: 'http';
  name: string;
  route: string;
  methods: ('GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE')[];
  /** handlers that start, signal or read durable instances get a durable client binding */
  durableClient: boolean;
  handler: ApiHandler;
}

export interface TimerRegistration {
  kind: 'timer';
  name: string;
  /** NCRONTAB, six fields */
  schedule: string;
  durableClient: boolean;
  handler: ApiHandlerless;
}

export interface ServiceBusQueueRegistration {
  kind: 'serviceBusQueue';
  name: string;
  /** app-setting prefix of the identity-based connection (`<connection>__fullyQualifiedNamespace`) */
  connection: string;
  queueName: string;
  durableClient: boolean;
  handler: (message: unknown, context: import('./http/types').RequestContext) => Promise<void>;
}

export type ApiHandlerless = (context: import('./http/types').RequestContext) => Promise<void>;

export interface OrchestrationRegistration {
  kind: 'orchestration';
  name: string;
  handler: OrchestrationHandler;
}

export interface ActivityRegistration {
  kind: 'activity';
  name: string;
  handler: ActivityHandler;
}

export interface EntityRegistration {
  kind: 'entity';
  name: string;
  handler: EntityHandler<unknown>;
}

export interface AppServices {
  config: MaxConfConfig;
  logger: Logger;
  now(): Date;
  /** the one Pexip client, made on first use (an app without Pexip settings still registers) */
  pexip(): PexipClient;
  /** MaxConf's own Genesys client, made on first use; undefined without Genesys credentials */
  genesys(): GenesysConversations | undefined;
}

export function createAppServices(config: MaxConfConfig, logger: Logger, now: () => Date = () => new Date()): AppServices {
  let pexip: PexipClient | undefined;
  let genesys: { client: GenesysConversations | undefined } | undefined;
  return {
    config,
    logger,
    now,
    pexip: () => (pexip ??= createPexipClient(config, logger)),
    genesys: () => (genesys ??= { client: createGenesysFromConfig(config, logger, now) }).client,
  };
}

/** Readiness of each vendor this deployment is configured for, for GET /health. */
function dependencyProbes(services: AppServices): DependencyProbe[] {
  const probes: DependencyProbe[] = [];
  if (services.config.pexip.managementUrl) {
    probes.push({
      name: 'pexip',
      check: async () => {
        await services.pexip().rooms.listRooms({ limit: 1 });
        return { ready: true };
      },
    });
  }
  if (services.config.genesys.credentials) {
    probes.push({
      name: 'genesys',
      check: async () => {
        await services.genesys()?.checkReady();
        return { ready: true };
      },
    });
  }
  return probes;
}

export function buildRegistrations(services: AppServices): Registration[] {
  const registrations: Registration[] = [
    {
      kind: 'http',
      name: 'health',
      route: 'health',
      methods: ['GET'],
      durableClient: false,
      handler: healthHandler({ now: services.now, probes: dependencyProbes(services) }),
    },
    ...pexipRegistrations(services),
    ...genesysRegistrations(services),
    ...sessionRegistrations(services),
  ];
  return registrations.map((r) => (r.kind === 'http' ? { ...r, handler: withErrorBoundary(r.route, r.handler, services.logger) } : r));
}
