import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { OPENAPI_TAGS, type DocumentedRoute } from './openapiRoutes';
import type { ApiHandler } from './types';

export { coreRoutes, type DocumentedRoute } from './openapiRoutes';

/** Where MaxConf answers: the local host and each environment's API Management gateway (docs/deploy.md). */
export const OPENAPI_SERVERS = [
  {
    url: 'http://127.0.0.1:{port}',
    description: 'local: `npm start` (the local durable host with the simulators)',
    variables: { port: { default: '7071', description: 'the PORT setting' } },
  },
  { url: 'https://api.test.vc.maxconf.ca', description: 'Test, production slot (API Management)' },
  { url: 'https://api.test.vc.maxconf.ca/edge', description: 'Test, edge slot (API Management)' },
  { url: 'https://api.vc.maxconf.ca', description: 'Production (API Management)' },
];

function registerSecuritySchemes(registry: OpenAPIRegistry): void {
  registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description:
      'An Entra ID access token for the MaxConf API’s audience (`api://<client-id>`), checked by API Management and again by the app. ' +
      'The requirement names the app role the token must carry: `IDIM` (assigned to IDIM’s client application) for the room routes, ' +
      '`Support` (the support staff’s group) for the session routes; a valid token without it is answered 403. ' +
      'Locally, `npm run token` mints one from the dev issuer.',
  });
  registry.registerComponent('securitySchemes', 'apimSubscriptionKey', {
    type: 'apiKey',
    in: 'header',
    name: 'Ocp-Apim-Subscription-Key',
    description: 'API Management subscription key, one per caller (IDIM, support). Checked only by the gateway: a local host or a slot called directly does not ask for it.',
  });
  registry.registerComponent('securitySchemes', 'eventSinkBasic', {
    type: 'http',
    scheme: 'basic',
    description: 'The event-sink credentials configured on Pexip Infinity (PEXIP_EVENT_SINK_USERNAME / PEXIP_EVENT_SINK_PASSWORD).',
  });
  registry.registerComponent('securitySchemes', 'eventBridgeApiKey', {
    type: 'apiKey',
    in: 'header',
    name: 'x-api-key',
    description: 'The key the EventBridge API destination’s connection sends (GENESYS_EVENTS_API_KEY). API Management refuses a request without one; the app checks its value.',
  });
  registry.registerComponent('securitySchemes', 'citizenToken', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description:
      'The citizen token from the join link (`#token=…`): HS256, minted by MaxConf for one session (`sub`), accepted only by the citizen routes, ' +
      'valid at most for the session’s lifetime. No subscription key: API Management admits the Customer App’s origin and limits by session and address.',
  });
  registry.registerComponent('securitySchemes', 'genesysUserToken', {
    type: 'apiKey',
    in: 'header',
    name: 'x-auth-token',
    description: 'The agent’s own Genesys Cloud access token (a `Bearer ` prefix is accepted). The app asks Genesys who the user is; the user must be in an allowed division.',
  });
}

export function buildOpenApiDocument(routes: DocumentedRoute[]) {
  const registry = new OpenAPIRegistry();
  registerSecuritySchemes(registry);
  for (const route of routes) registry.registerPath({ method: route.method, path: route.path, ...route.config });
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'MaxConf',
      version: '2.0.0',
      description:
        'Orchestration API behind BC Services Card video identity-verification calls. v1 routes keep today’s contract. ' +
        'Every error MaxConf answers itself is RFC 9457 `application/problem+json`; each response lists the problem kinds it can carry.',
    },
    servers: OPENAPI_SERVERS,
    tags: OPENAPI_TAGS,
  });
}

export function openApiHandler(routes: DocumentedRoute[]): ApiHandler {
  let document: unknown;
  return async () => ({ status: 200, body: (document ??= buildOpenApiDocument(routes)) });
}
