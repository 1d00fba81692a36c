import { withErrorBoundary } from '../http/errorBoundary';
import { healthHandler, type DependencyProbe } from '../http/health';
import { citizenRegistrations } from './citizen';
import { genesysRegistrations } from './genesys';
import { observerRegistrations } from './observers';
import { pexipRegistrations } from './pexip';
import type { Registration } from './registration';
import { sessionRegistrations } from './session';
import type { AppServices } from './services';

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

/** THE registration list: every function of the app, each HTTP route behind the error boundary. */
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
    ...citizenRegistrations(services),
    ...observerRegistrations(services),
  ];
  return registrations.map((r) => (r.kind === 'http' ? { ...r, handler: withErrorBoundary(r.route, r.handler, services.logger) } : r));
}
