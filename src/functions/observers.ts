import { createQueueObservations } from '../adapters/genesys/queueObservations';
import { durableSessionEventPublisher } from '../adapters/durable/sessionEventPublisher';
import { createQueueObserver } from '../observers/queueObserver';
import { createReconciler } from '../observers/reconciler';
import type { Registration } from './registration';
import { once, type AppServices } from './services';

/**
 * The deployment-wide observers (docs/reconciler.md): the queue observer (one Genesys queue
 * observation per cycle for every queued caller) and the reconciler (one paged read of Pexip's
 * live participants per cycle for every session). Each is one timer; its state lives in the
 * closure made here, once per app.
 */
export function observerRegistrations(services: AppServices): Registration[] {
  const { config, logger, now } = services;
  const registrations: Registration[] = [];

  const queueObserver = once(() => {
    const genesys = services.genesys();
    const client = services.genesysClient();
    if (!genesys || !client) return undefined;
    return createQueueObserver({
      observations: createQueueObservations(client),
      conversations: genesys,
      queueName: config.genesys.queueName,
      publisher: durableSessionEventPublisher,
      logger,
      now,
    });
  });
  if (config.genesys.credentials) {
    registrations.push({
      kind: 'timer',
      name: 'queueObserver',
      schedule: config.queueObserverSchedule,
      durableClient: true,
      async handler(context) {
        const observer = queueObserver();
        if (!context.durable || !observer) return;
        await observer.cycle(context.durable);
      },
    });
  }

  const reconciler = once(() =>
    createReconciler({
      participants: services.pexip().participants,
      roomPrefix: config.pexip.roomPrefix,
      genesysSipUri: config.genesys.sipUri,
      publisher: durableSessionEventPublisher,
      logger,
      now,
    }),
  );
  registrations.push({
    kind: 'timer',
    name: 'reconciler',
    schedule: config.reconcilerSchedule,
    durableClient: true,
    async handler(context) {
      if (!context.durable) return;
      await reconciler().cycle(context.durable);
    },
  });
  return registrations;
}
