import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SipDestination } from '../../src/contracts/sip';
import { createControl } from './control';
import { createRequestHandler } from './http/server';
import type { GenesysSimulator, GenesysSimulatorOptions } from './options';
import { analyticsRoutes } from './routes/analytics';
import { controlApi } from './routes/control';
import { conversationRoutes } from './routes/conversations';
import { desktopRoutes } from './routes/desktop';
import { notificationRoutes } from './routes/notifications';
import { oauthRoutes } from './routes/oauth';
import { routingRoutes } from './routes/routing';
import { userRoutes } from './routes/users';
import { createSimulatorState } from './state';

export { manualClock, realClock } from './clock';
export type { ManualClock, SimClock } from './clock';
export type { EventBridgeEnvelope, EventFaults, EventSink, SinkRetry } from './eventbridge';
export type { BrowserClient } from './auth/browserClients';
export type { RateLimitSettings } from './http/rateLimit';
export type { FlowSettings, SimAgent, SimDivision, SimQueue } from './model';
export type { GenesysSimulator, GenesysSimulatorControl, GenesysSimulatorOptions, MintedToken, ScriptedFault, SimEndpoint, SimFaults } from './options';

/** Starts the Genesys Cloud simulator: OAuth, the Platform API subset MaxConf uses, SIP in, EventBridge out. */
export async function startGenesysSimulator(options: GenesysSimulatorOptions = {}): Promise<GenesysSimulator> {
  const s = createSimulatorState(options);
  const control = createControl(s);
  let url = '';
  const routes = [...desktopRoutes(s, () => url), ...oauthRoutes(s), ...routingRoutes(s), ...conversationRoutes(s), ...analyticsRoutes(s), ...userRoutes(s), ...notificationRoutes(s)];
  const handler = createRequestHandler({
    routes,
    tokens: s.tokens,
    faults: s.faults,
    rateLimit: s.rateLimit,
    cors: options.corsOrigins ? { origins: options.corsOrigins } : {},
    log: s.log,
    control: (method, url, body) => controlApi(control, method, url, body),
  });

  const sipDestination: SipDestination = {
    async invite(invite, caller) {
      const outcome = s.model.invite(invite, caller);
      if (!outcome.ok) return { answered: false, status: outcome.status, reason: outcome.reason };
      const conversationId = outcome.conversation.id;
      return { answered: true, dialogue: { hangUp: () => void s.model.customerHangUp(conversationId, 'endpoint') } };
    },
  };

  const server = createServer((req, res) => void handler(req, res));
  server.on('upgrade', (req, socket, head) => s.hub.upgrade(req, socket, head));
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, host, resolve));
  url = `http://${host}:${(server.address() as AddressInfo).port}`;
  s.hub.setBaseUrl(url);
  s.log?.info({ url }, 'Genesys simulator listening');

  return {
    url,
    orgId: s.orgId,
    queue: s.queues[0]!,
    divisions: s.divisions,
    clients: s.clients,
    browserClients: s.browserClients,
    sipUri: s.sipUri,
    desktopUrl: `${url}/desktop`,
    sipDestination,
    setEventSink: (sink) => s.delivery.setSink(sink),
    control,
    env: () => ({
      GENESYS_CLIENT_ID: s.clients[0]!.clientId,
      GENESYS_CLIENT_SECRET: s.clients[0]!.clientSecret,
      GENESYS_API_BASE_URL: url,
      GENESYS_SIP_URI: s.sipUri,
      GENESYS_QUEUE_NAME: s.queueName,
      GENESYS_ALLOWED_DIVISIONS: s.divisions[0]!.id,
    }),
    async stop() {
      s.model.stop();
      s.hub.stop();
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
}
