import { randomBytes, randomUUID } from 'node:crypto';
import type { Logger } from '../../src/logging/logger';
import { realClock, type SimClock } from './clock';
import { EventDelivery, toEnvelope } from './eventbridge';
import { defaultBrowserClients, type BrowserClient } from './auth/browserClients';
import { AuthorizationCodes } from './auth/codes';
import { TokenStore } from './auth/tokens';
import { FaultInjector } from './http/faults';
import { GENESYS_DEFAULT_LIMIT_PER_MINUTE, RateLimiter, type RateLimitSettings } from './http/rateLimit';
import { GenesysModel, type SimConversation, type SimDivision, type SimQueue } from './model';
import { NotificationHub } from './notifications/hub';
import type { GenesysSimulatorOptions } from './options';

const DEFAULT_DIVISIONS: SimDivision[] = [
  { id: '1d6a5c1e-0c8e-4c4e-9d7b-5bc0a1b2c3d4', name: 'SBC' },
  { id: '7f3e2d1c-4b5a-4c6d-8e9f-0a1b2c3d4e5f', name: 'Home' },
];

/** Everything one simulator instance holds; the routes and the control API share it. */
export interface SimulatorState {
  options: GenesysSimulatorOptions;
  clock: SimClock;
  random: () => number;
  log: Logger | undefined;
  orgId: string;
  divisions: SimDivision[];
  queues: SimQueue[];
  queueName: string;
  sipUri: string;
  clients: { clientId: string; clientSecret: string }[];
  browserClients: BrowserClient[];
  tokenLifetimeSeconds: number;
  model: GenesysModel;
  tokens: TokenStore;
  codes: AuthorizationCodes;
  faults: FaultInjector;
  rateLimit: RateLimiter;
  delivery: EventDelivery;
  hub: NotificationHub;
  /** a conversation by id, or the newest one for a room (caller name or `maxconfSessionId`) */
  find(idOrRoom: string): SimConversation | undefined;
}

export function createSimulatorState(options: GenesysSimulatorOptions): SimulatorState {
  const clock = options.clock ?? realClock();
  const random = options.random ?? Math.random;
  const orgId = randomUUID();
  const divisions = options.divisions ?? DEFAULT_DIVISIONS;
  const queueName = options.queueName ?? 'SBC_VBV_TEST';
  const queues: SimQueue[] = [queueName, ...(options.extraQueues ?? [`${queueName}_OVERFLOW`])].map((name) => ({
    id: randomUUID(),
    name,
    divisionId: divisions[0]!.id,
  }));
  const sipUri = options.sipUri ?? `sip:${queueName.toLowerCase()}@byoc.sim.invalid`;
  const faults = new FaultInjector(options.faults ?? {}, random);
  const delivery = new EventDelivery(options.eventSink, faults.current.events ?? {}, random, options.sinkRetry);
  const log = options.logger?.child({ component: 'genesys-simulator' });
  const hub = new NotificationHub({ clock, heartbeatMs: options.heartbeatMs ?? 30_000, log });
  const model = new GenesysModel({
    clock,
    orgId,
    queues,
    divisions,
    flow: { holiday: false, open: true, releaseWhenNoAgents: true, ...options.flow },
    flowDelayMs: options.flowDelayMs ?? 0,
    answerDelayMs: options.answerDelayMs ?? 2000,
    ...(options.autoAnswer !== undefined ? { autoAnswer: options.autoAnswer } : {}),
    abandonAfterMs: options.abandonAfterMs,
    sipUri,
    averageHandleSeconds: options.averageHandleSeconds ?? 240,
    emit: (record) => delivery.publish(toEnvelope(record, orgId, clock)),
    // each agent whose conversation it is hears of it on both user topics, as Genesys sends them
    changed: (c, users) => {
      for (const userId of users) {
        hub.publish(`v2.users.${userId}.conversations.calls`, () => model.callEventView(c));
        hub.publish(`v2.users.${userId}.conversations`, () => model.conversationView(c, true));
      }
    },
  });
  for (let i = 0; i < (options.agents ?? 1); i++) model.addAgent({ available: !options.agentsBusy });
  return {
    options,
    clock,
    random,
    log,
    orgId,
    divisions,
    queues,
    queueName,
    sipUri,
    clients: options.clients ?? [{ clientId: randomUUID(), clientSecret: randomBytes(24).toString('base64url') }],
    browserClients: options.browserClients ?? defaultBrowserClients(),
    tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 86400,
    model,
    tokens: new TokenStore(clock),
    codes: new AuthorizationCodes(clock),
    faults,
    rateLimit: new RateLimiter(clock, rateLimitSettings(options)),
    delivery,
    hub,
    find: (idOrRoom) =>
      model.conversations.get(idOrRoom) ??
      [...model.conversations.values()].reverse().find((c) => c.aniName === idOrRoom || model.customer(c).attributes.maxconfSessionId === idOrRoom),
  };
}

function rateLimitSettings(options: GenesysSimulatorOptions): RateLimitSettings | undefined {
  if (options.rateLimit === false) return undefined;
  if (options.rateLimit) return options.rateLimit;
  return options.productionLike ? { requestsPerMinute: GENESYS_DEFAULT_LIMIT_PER_MINUTE, tokenGrantsPerMinute: GENESYS_DEFAULT_LIMIT_PER_MINUTE } : undefined;
}
