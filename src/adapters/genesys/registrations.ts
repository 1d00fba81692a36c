import { DefaultAzureCredential } from '@azure/identity';
import type { AppServices, Registration } from '../../registrations';
import { CONVERSATION_INDEX, conversationIndexEntity } from '../../../entities/conversationIndex';
import {
  asActivity,
  GENESYS_ACTIVITIES,
  genesysDisconnectActivity,
  genesysFindConversationActivity,
  genesysQueueStatusActivity,
} from '../../../activities/genesys';
import { durableSessionEventPublisher } from '../durable/sessionEventPublisher';
import { genesysEventsHandler } from '../../http/genesysEvents';
import {
  inlineEnvelopeQueue,
  inProcessEnvelopeQueue,
  serviceBusEnvelopeQueue,
  type EnvelopeQueue,
  type LocalEnqueue,
} from '../servicebus/envelopeQueue';
import { isPoisonMessageError } from '../servicebus/poison';
import type { RequestContext } from '../../http/types';
import type { MaxConfConfig } from '../../config';
import type { Logger } from '../../logging/logger';
import { createServiceClient } from './client';
import { createGenesysConversations, type GenesysConversations } from './conversations';
import { FLOW_OUTCOME_ATTRIBUTE, ingestMessage } from './ingest';

/** The app-setting prefix of the identity-based Service Bus connection (`ServiceBusConnection__fullyQualifiedNamespace`). */
export const SERVICE_BUS_CONNECTION = 'ServiceBusConnection';

export const GENESYS_FUNCTIONS = {
  eventsQueue: 'genesysEventsQueue',
  eventsHttp: 'genesysEvents',
} as const;

export interface GenesysWiring {
  /** the local host's in-process queue (`host.enqueue`); Azure uses Service Bus instead */
  localEnqueue?: LocalEnqueue;
  /** replaces the Genesys adapter (tests) */
  conversations?: GenesysConversations;
}

/** Builds one thing once, on first use, so registering functions opens no connection. */
function once<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
}

/** MaxConf's own Genesys client from config; undefined when no org is configured. */
export function createGenesysFromConfig(config: MaxConfConfig, logger: Logger, now: () => Date): GenesysConversations | undefined {
  const g = config.genesys;
  if (!g.credentials) return undefined;
  const log = logger.child({ component: 'genesys' });
  const client = createServiceClient({ region: g.region, apiBaseUrl: g.apiBaseUrl, credentials: g.credentials, logger: log });
  return createGenesysConversations({ client, logger: log, now, queueName: g.queueName });
}

/**
 * Every Genesys function: the queue consumer of EventBridge envelopes, `POST /genesys/events`,
 * the conversation index entity and the activities the session calls.
 */
export function genesysRegistrations(services: AppServices, wiring: GenesysWiring = {}): Registration[] {
  const { config, logger } = services;
  const g = config.genesys;
  const log = logger.child({ component: 'genesys' });

  const conversations = (): GenesysConversations | undefined => wiring.conversations ?? services.genesys();

  const consumer = (context: RequestContext) => {
    if (!context.durable) throw new Error('Genesys event ingestion needs a durable client binding');
    const durable = context.durable;
    const deps = {
      durable,
      publisher: durableSessionEventPublisher(durable),
      logger: log.child({ invocationId: context.invocationId }),
      flowOutcomeOf: async (conversationId: string) => conversations()?.customerAttribute(conversationId, FLOW_OUTCOME_ATTRIBUTE),
    };
    return async (message: unknown) => void (await ingestMessage(message, deps));
  };

  const sharedQueue = once<EnvelopeQueue | undefined>(() => {
    if (g.serviceBusNamespace) {
      return serviceBusEnvelopeQueue({
        fullyQualifiedNamespace: g.serviceBusNamespace,
        queueName: g.eventsQueue,
        credential: new DefaultAzureCredential(),
        logger: log,
      });
    }
    if (wiring.localEnqueue) return inProcessEnvelopeQueue(wiring.localEnqueue, g.eventsQueue);
    return undefined;
  });
  // Azure: Service Bus. Local: the host's queue when it hands one over, else inline processing.
  const envelopeQueue = (context: RequestContext): EnvelopeQueue =>
    sharedQueue() ?? inlineEnvelopeQueue(consumer(context), isPoisonMessageError, { logger: log });

  const activityDeps = { conversations, logger: log };

  return [
    {
      kind: 'serviceBusQueue',
      name: GENESYS_FUNCTIONS.eventsQueue,
      connection: SERVICE_BUS_CONNECTION,
      queueName: g.eventsQueue,
      durableClient: true,
      handler: (message, context) => consumer(context)(message),
    },
    {
      kind: 'http',
      name: GENESYS_FUNCTIONS.eventsHttp,
      route: 'genesys/events',
      methods: ['POST'],
      // only the local inline path uses it; on Azure the binding is present and idle
      durableClient: true,
      handler: genesysEventsHandler({ apiKey: g.eventsApiKey, queue: envelopeQueue, logger: log }),
    },
    { kind: 'entity', name: CONVERSATION_INDEX, handler: conversationIndexEntity },
    { kind: 'activity', name: GENESYS_ACTIVITIES.queueStatus, handler: asActivity(genesysQueueStatusActivity(activityDeps)) },
    { kind: 'activity', name: GENESYS_ACTIVITIES.disconnect, handler: asActivity(genesysDisconnectActivity(activityDeps)) },
    { kind: 'activity', name: GENESYS_ACTIVITIES.findConversation, handler: asActivity(genesysFindConversationActivity(activityDeps)) },
  ];
}
