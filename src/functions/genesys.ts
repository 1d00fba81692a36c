import { DefaultAzureCredential } from '@azure/identity';
import { genesysDisconnectActivity, genesysFindConversationActivity, genesysQueueStatusActivity } from '../../activities/genesys';
import { conversationIndexEntity } from '../../entities/conversationIndex';
import { durableSessionEventPublisher } from '../adapters/durable/sessionEventPublisher';
import type { GenesysConversations } from '../adapters/genesys/conversations';
import { FLOW_OUTCOME_ATTRIBUTE, ingestMessage, LinkedConversations } from '../adapters/genesys/ingest';
import {
  inlineEnvelopeQueue,
  inProcessEnvelopeQueue,
  serviceBusEnvelopeQueue,
  type EnvelopeQueue,
  type LocalEnqueue,
} from '../adapters/servicebus/envelopeQueue';
import { isPoisonMessageError } from '../adapters/servicebus/poison';
import { ACTIVITIES, ENTITIES } from '../contracts/durable';
import type { RequestContext } from '../contracts/ports';
import { genesysEventsHandler } from '../http/genesysEvents';
import { activityRegistration, entityRegistration, type Registration } from './registration';
import { once, type AppServices } from './services';

/** The app-setting prefix of the identity-based Service Bus connection (`ServiceBusConnection__fullyQualifiedNamespace`). */
export const SERVICE_BUS_CONNECTION = 'ServiceBusConnection';

export const GENESYS_FUNCTIONS = {
  eventsQueue: 'genesysEventsQueue',
  eventsHttp: 'genesysEvents',
} as const;

export interface GenesysWiring {
  /** an in-process queue (`host.enqueue`) to hand envelopes to instead of processing them inline; Azure uses Service Bus */
  localEnqueue?: LocalEnqueue;
  /** replaces the Genesys adapter (tests) */
  conversations?: GenesysConversations;
}

/**
 * Every Genesys function: the queue consumer of EventBridge envelopes, `POST /genesys/events`,
 * the conversation index entity and the activities the session calls, over the app's one
 * Genesys client.
 */
export function genesysRegistrations(services: AppServices, wiring: GenesysWiring = {}): Registration[] {
  const { config, logger } = services;
  const g = config.genesys;
  const log = logger.child({ component: 'genesys' });

  const conversations = (): GenesysConversations | undefined => wiring.conversations ?? services.genesys();

  // one per app instance, shared by every invocation of the consumer
  const linked = new LinkedConversations();
  const consumer = (context: RequestContext) => {
    if (!context.durable) throw new Error('Genesys event ingestion needs a durable client binding');
    const durable = context.durable;
    const deps = {
      durable,
      publisher: durableSessionEventPublisher(durable),
      logger: log.child({ invocationId: context.invocationId }),
      flowOutcomeOf: async (conversationId: string) => conversations()?.customerAttribute(conversationId, FLOW_OUTCOME_ATTRIBUTE),
      linked,
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
    entityRegistration(ENTITIES.conversationIndex, conversationIndexEntity),
    activityRegistration(ACTIVITIES.genesysQueueStatus, genesysQueueStatusActivity(activityDeps)),
    activityRegistration(ACTIVITIES.genesysDisconnect, genesysDisconnectActivity(activityDeps)),
    activityRegistration(ACTIVITIES.genesysFindConversation, genesysFindConversationActivity(activityDeps)),
  ];
}
