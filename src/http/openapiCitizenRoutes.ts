import type { ResponseConfig, RouteConfig } from '@asteasolutions/zod-to-openapi';
import { CitizenRoom, CitizenSession, Problem } from '../contracts/api';

/** openapiRoutes.ts's DocumentedRoute, restated: that module imports this one */
interface CitizenRoute {
  method: 'get' | 'post';
  path: string;
  config: Omit<RouteConfig, 'method' | 'path'> & { operationId: string; summary: string };
}

/** The Customer App's citizen routes (src/http/citizen.ts, docs/customer-app.md) for the OpenAPI document. */
export const CITIZEN_TAG = 'Citizen (Customer App)';

const kinds = (types: string[]) => types.map((t) => `\`${t}\``).join(', ');
const problem = (description: string, types: string[], extra: Partial<ResponseConfig> = {}): ResponseConfig => ({
  description: `${description} (${kinds(types)})`,
  content: { 'application/problem+json': { schema: Problem } },
  ...extra,
});
const noStore = { 'Cache-Control': { description: '`no-store`', schema: { type: 'string' as const } } };
const json = (schema: typeof CitizenSession | typeof CitizenRoom, description: string): ResponseConfig => ({
  description,
  headers: noStore,
  content: { 'application/json': { schema } },
});

const REFUSALS: Record<number, ResponseConfig> = {
  401: problem('no token, or one that is forged, malformed or expired (`token-expired`: the page says the link has expired)', ['token-expired', 'invalid-token']),
  403: problem('a genuine token meant for another audience or use', ['forbidden']),
  404: problem('no session for the token’s subject', ['session-not-found']),
  429: problem('too many requests for this session or from this address; wait Retry-After', ['rate-limited'], {
    headers: { 'Retry-After': { description: 'seconds to wait before asking again', schema: { type: 'integer' } } },
  }),
  500: problem('an unexpected failure; logged with the invocation id named in `detail`', ['internal-error']),
};
const OFF = (more: string[] = [], why = '') => problem(`citizen access is not configured here (no CITIZEN_TOKEN_KEY)${why}`, ['citizen-access-off', ...more]);

export function citizenRoutes(): CitizenRoute[] {
  const security = [{ citizenToken: [] }];
  return [
    {
      method: 'get',
      path: '/public/citizen/session',
      config: {
        operationId: 'citizenSession',
        tags: [CITIZEN_TAG],
        summary: 'The citizen’s session: phase, queue position and estimated wait, outcome, when to ask again',
        description: 'Read from the support read model, never the orchestration. Nothing personal, no host PIN, no Genesys ids. A session that has ended answers 200 with its outcome.',
        security,
        responses: { 200: json(CitizenSession, 'the session as the citizen may see it'), ...REFUSALS, 503: OFF() },
      },
    },
    {
      method: 'get',
      path: '/public/citizen/room',
      config: {
        operationId: 'citizenRoom',
        tags: [CITIZEN_TAG],
        summary: 'How the citizen joins the room: its alias, guest PIN (read from Pexip) and conference node',
        security,
        responses: {
          200: json(CitizenRoom, 'the room, with the guest PIN only'),
          ...REFUSALS,
          410: problem('the session has ended and its room is gone', ['session-ended']),
          502: problem('Pexip refused the operation', ['pexip-error']),
          503: OFF(['conference-node-unknown', 'room-unavailable', 'pexip-unavailable'], ', no conference node configured, the room has no guest PIN, or Pexip is not answering'),
        },
      },
    },
    {
      method: 'post',
      path: '/public/citizen/leave',
      config: {
        operationId: 'citizenLeave',
        tags: [CITIZEN_TAG],
        summary: 'Leave call: the session ends now as a deliberate leave (`citizen_left` before an agent answered, `completed` after); no body',
        description: 'Idempotent: asked again it answers the session as it is then (`ending` or `ended`, the same outcome).',
        security,
        responses: {
          200: json(CitizenSession, '`phase` `ending` (or `ended`) and the outcome'),
          ...REFUSALS,
          413: problem('a body (the route takes none) over 1 KiB', ['payload-too-large']),
          503: OFF(),
        },
      },
    },
  ];
}
