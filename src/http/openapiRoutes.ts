/**
 * The HTTP API's operations for the OpenAPI document (src/http/openapi.ts builds it): each one's
 * request schemas (the ones the handlers parse with) and every response its handler, the error
 * boundary and API Management can give.
 */

import type { ResponseConfig, RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { ROLES } from '../adapters/auth';
import { BulkEnvelope, SinkEnvelope } from '../adapters/pexip/sinkEvents';
import { EventBridgeEnvelope } from '../adapters/genesys/events';
import {
  ConstrainedConference,
  Conference,
  CreatedConference,
  EnvelopesAccepted,
  EventSinkAck,
  GatewayError,
  Health,
  Problem,
  SessionList,
  SessionRecord,
} from '../contracts/api';
import { BulkCreateQuery, CreateRoomQuery, GetRoomQuery, UpdateRoomBody } from './rooms';
import { SessionListQuery, TerminateBody } from './sessions';
import { CITIZEN_TAG, citizenRoutes } from './openapiCitizenRoutes';

type Method = RouteConfig['method'];

/** Every route the API serves; the test checks this table against the registered functions. */
export interface DocumentedRoute {
  method: Method;
  /** OpenAPI path, e.g. `/room/{room_name}` */
  path: string;
  /** the operation's config; `operationId` is the Azure function's name (App Insights' operation_Name) */
  config: Omit<RouteConfig, 'method' | 'path'> & { operationId: string; summary: string };
}

type Responses = Record<number, ResponseConfig>;

const json = (schema: z.ZodType, description: string): ResponseConfig => ({ description, content: { 'application/json': { schema } } });
const jsonBody = (schema: z.ZodType) => ({ required: true, content: { 'application/json': { schema } } });
const kinds = (types: string[]) => types.map((t) => `\`${t}\``).join(', ');
const retryAfter = { 'Retry-After': { description: 'seconds to wait before trying again', schema: { type: 'integer' as const } } };

/** A problem+json response; `types` are the problem kinds (the last segment of `type`) it can carry. */
function problem(description: string, types: string[], extra: Partial<ResponseConfig> = {}): ResponseConfig {
  return { description: `${description} (${kinds(types)})`, content: { 'application/problem+json': { schema: Problem } }, ...extra };
}

/** 401/403 where API Management may refuse first (with its own JSON) and the app checks again. */
function gatewayOrProblem(description: string, types: string[]): ResponseConfig {
  return {
    description: `${description} (${kinds(types)}; API Management answers \`GatewayError\` JSON before the app is reached)`,
    content: { 'application/problem+json': { schema: Problem }, 'application/json': { schema: GatewayError } },
  };
}

/** Every route runs inside the error boundary (src/http/errorBoundary.ts). */
const INTERNAL: Responses = { 500: problem('an unexpected failure; logged with the invocation id named in `detail`', ['internal-error']) };

/** Routes that call Pexip's management API while the caller waits: a Pexip failure maps to these. */
const PEXIP_FAILURES: Responses = {
  502: problem('Pexip refused the operation', ['pexip-error']),
  503: problem('Pexip is not answering right now; try again after Retry-After', ['pexip-unavailable'], { headers: retryAfter }),
};

const bearerRefusals = (role: string): Responses => ({
  401: gatewayOrProblem('no bearer token, or one that is invalid or expired', ['unauthorized']),
  403: problem(`the token lacks the \`${role}\` app role`, ['forbidden']),
});

const INVALID_PATH_ID = (name: string) => `\`${name}\` is not a well-formed name (empty, too long or with characters no name has)`;
const TOO_LARGE = problem('the body is larger than the route accepts; nothing was read or changed', ['payload-too-large']);

/**
 * Bearer: room routes need IDIM's role, support routes Support's. Through API Management the
 * subscription key is required as well; a local host or a slot called directly checks the token only.
 */
const behindGateway = (role?: string): Record<string, string[]>[] => [
  { apimSubscriptionKey: [], bearer: role ? [role] : [] },
  { bearer: role ? [role] : [] },
];
const roomName = z.object({ room_name: z.string().meta({ description: 'the room (VMR) name, which also names its session' }) });
const sessionId = z.object({ id: z.string().meta({ description: 'the session id: its room name' }) });

const ROOMS = 'Rooms (IDIM)';
const SUPPORT = 'Sessions (support)';
const VENDORS = 'Vendor events';
const AGENT = 'Agent App';
const OPERATIONS = 'Operations';

export const OPENAPI_TAGS = [
  { name: ROOMS, description: 'MaxConf v1’s room contract for IDIM, unchanged: create starts a call session, delete ends it. Bearer token with the `IDIM` app role.' },
  { name: AGENT, description: 'The Agent App widget’s room lookup, authorised by the agent’s own Genesys Cloud token.' },
  { name: VENDORS, description: 'Where Pexip Infinity (event sink, HTTP Basic) and Genesys Cloud (EventBridge API destination, API key) deliver events.' },
  { name: CITIZEN_TAG, description: 'The Customer App’s routes for the citizen, authorised by the citizen token from the join link (one session each).' },
  { name: SUPPORT, description: 'Support staff’s view of call sessions and their one action, terminate. Bearer token with the `Support` app role.' },
  { name: OPERATIONS, description: 'Health and this document.' },
];

/** Other modules (the Pexip event sink, the Genesys ingestion) add their routes through this list. */
export function coreRoutes(): DocumentedRoute[] {
  const idim = behindGateway(ROLES.idim);
  const support = behindGateway(ROLES.support);
  return [
    {
      method: 'post',
      path: '/room/create',
      config: {
        operationId: 'roomCreate',
        tags: [ROOMS],
        summary: 'Hand out a room for a video call and start its session (v1)',
        security: idim,
        request: { query: CreateRoomQuery },
        responses: {
          200: json(CreatedConference, 'the room; no host PIN; `join_url` where a Customer App is configured'),
          400: problem('uuiData is missing or not a valid UUI', ['invalid-input']),
          ...bearerRefusals(ROLES.idim),
          ...INTERNAL,
          503: problem('no room could be handed out in time (with Retry-After), or its session did not start', ['no-room-available', 'session-not-started'], {
            headers: retryAfter,
          }),
        },
      },
    },
    {
      method: 'get',
      path: '/room/{room_name}',
      config: {
        operationId: 'roomGet',
        tags: [ROOMS],
        summary: 'Room details (v1)',
        security: idim,
        request: { params: roomName, query: GetRoomQuery },
        responses: {
          200: json(ConstrainedConference.or(Conference), 'ConstrainedConference (with the host PIN), or the full Conference with constrained_attributes=false'),
          400: problem(`constrained_attributes is not a boolean, or ${INVALID_PATH_ID('room_name')}`, ['invalid-input']),
          ...bearerRefusals(ROLES.idim),
          404: problem('no such room; after teardown the body names the session’s `outcome` and `endedAt`', ['room-not-found', 'room-torn-down']),
          ...INTERNAL,
          ...PEXIP_FAILURES,
        },
      },
    },
    {
      method: 'patch',
      path: '/room/{room_name}',
      config: {
        operationId: 'roomUpdate',
        tags: [ROOMS],
        summary: 'Update a room’s tag (v1 leaves this path undocumented; PATCH on the room is MaxConf’s choice)',
        security: idim,
        request: { params: roomName, body: jsonBody(UpdateRoomBody) },
        responses: {
          202: { description: 'updated on the Pexip management node' },
          400: problem(`the body is not JSON or its tag not an https URL of at most 250 characters, or ${INVALID_PATH_ID('room_name')}`, ['invalid-input', 'invalid-json']),
          ...bearerRefusals(ROLES.idim),
          404: problem('no such room', ['room-not-found']),
          409: problem('a persistent room, or one this deployment does not manage', ['persistent-room', 'room-not-owned']),
          413: TOO_LARGE,
          ...INTERNAL,
          ...PEXIP_FAILURES,
        },
      },
    },
    {
      method: 'delete',
      path: '/room/{room_name}',
      config: {
        operationId: 'roomDelete',
        tags: [ROOMS],
        summary: 'End the session and delete its room (v1); 204 also when already torn down',
        security: idim,
        request: { params: roomName },
        responses: {
          204: { description: 'the session is ending; its room is deleted' },
          400: problem(INVALID_PATH_ID('room_name'), ['invalid-input']),
          ...bearerRefusals(ROLES.idim),
          409: problem('a persistent room, or one this deployment does not manage', ['persistent-room', 'room-not-owned']),
          ...INTERNAL,
          ...PEXIP_FAILURES,
        },
      },
    },
    {
      method: 'get',
      path: '/room',
      config: {
        operationId: 'roomList',
        tags: [ROOMS],
        summary: 'List rooms on the management node (v1; path chosen by MaxConf)',
        security: idim,
        request: { query: GetRoomQuery },
        responses: {
          200: json(z.array(ConstrainedConference.or(Conference)), 'every room'),
          400: problem('constrained_attributes is not a boolean', ['invalid-input']),
          ...bearerRefusals(ROLES.idim),
          ...INTERNAL,
          ...PEXIP_FAILURES,
        },
      },
    },
    {
      method: 'post',
      path: '/room/bulk',
      config: {
        operationId: 'roomBulkCreate',
        tags: [ROOMS],
        summary: 'Add warm rooms to the pool, made in the background (v1 bulk create; path chosen by MaxConf)',
        security: idim,
        request: { query: BulkCreateQuery },
        responses: {
          202: json(z.object({ message: z.string(), requested: z.number().int() }), 'accepted'),
          400: problem('count is not a whole number from 1 to 100', ['invalid-input']),
          ...bearerRefusals(ROLES.idim),
          ...INTERNAL,
        },
      },
    },
    {
      method: 'delete',
      path: '/room',
      config: {
        operationId: 'roomBulkDelete',
        tags: [ROOMS],
        summary: 'Delete the pool’s unused rooms and empty it (v1 bulk delete; rooms in sessions are kept)',
        security: idim,
        responses: {
          200: json(z.object({ message: z.string(), deleted: z.number().int() }), 'done'),
          ...bearerRefusals(ROLES.idim),
          ...INTERNAL,
        },
      },
    },
    {
      method: 'get',
      path: '/public/room/{vmr_name}',
      config: {
        operationId: 'publicRoom',
        tags: [AGENT],
        summary: 'Room details for the Agent App, with the host PIN (Genesys user token in x-auth-token)',
        security: [{ genesysUserToken: [] }],
        request: { params: z.object({ vmr_name: z.string().meta({ description: 'the room (VMR) name' }) }) },
        responses: {
          200: json(ConstrainedConference, 'the room, with the host PIN the agent joins with'),
          400: problem(INVALID_PATH_ID('vmr_name'), ['invalid-input']),
          401: problem('missing, invalid or expired token', ['unauthorized']),
          403: problem('the user is not in an allowed division', ['forbidden']),
          404: problem('no such room', ['room-not-found']),
          ...INTERNAL,
          502: PEXIP_FAILURES[502]!,
          503: problem('Genesys could not check the token, or Pexip is not answering (then with Retry-After)', ['genesys-unavailable', 'pexip-unavailable'], {
            headers: retryAfter,
          }),
        },
      },
    },
    {
      method: 'post',
      path: '/public/event_sink',
      config: {
        operationId: 'pexipEventSink',
        tags: [VENDORS],
        summary: 'Pexip event sink (v1 path; HTTP Basic): one event or an eventsink_bulk batch',
        security: [{ eventSinkBasic: [] }],
        request: { body: jsonBody(SinkEnvelope.or(BulkEnvelope)) },
        responses: {
          200: json(EventSinkAck, 'accepted; events MaxConf does not use, or about rooms without a live session, are acknowledged and counted'),
          400: problem('the body is not JSON or an event is malformed, naming the field', ['invalid-json', 'invalid-event']),
          401: problem('wrong or missing credentials', ['unauthenticated'], {
            headers: { 'WWW-Authenticate': { description: '`Basic realm="maxconf-event-sink"`', schema: { type: 'string' } } },
          }),
          413: TOO_LARGE,
          ...INTERNAL,
          503: problem('the events could not be queued on their sessions; the node retries', ['unavailable']),
        },
      },
    },
    {
      method: 'post',
      path: '/genesys/events',
      config: {
        operationId: 'genesysEvents',
        tags: [VENDORS],
        summary: 'Genesys EventBridge envelopes from an EventBridge API destination (x-api-key); queued for the session',
        security: [{ eventBridgeApiKey: [] }],
        request: { body: jsonBody(EventBridgeEnvelope.or(z.array(EventBridgeEnvelope).min(1).max(100))) },
        responses: {
          202: json(EnvelopesAccepted, 'every envelope is queued'),
          400: problem('an empty body or array, not JSON, or not an EventBridge envelope, naming where', ['invalid-envelope']),
          401: gatewayOrProblem('missing or wrong API key', ['unauthorized']),
          413: problem('more than 1 MiB, or more than 100 envelopes', ['payload-too-large']),
          415: problem('content-type is not JSON', ['unsupported-media-type']),
          ...INTERNAL,
          503: problem('the envelopes could not be queued; retry after Retry-After', ['queue-unavailable'], { headers: retryAfter }),
        },
      },
    },
    {
      method: 'get',
      path: '/health',
      config: {
        operationId: 'health',
        tags: [OPERATIONS],
        summary: 'Liveness (v1 shape) and each dependency’s readiness',
        description: 'Open on a local host or a slot; through API Management the subscription key alone (no token).',
        security: [{ apimSubscriptionKey: [] }, {}],
        responses: {
          200: json(Health, 'alive and ready'),
          401: json(GatewayError, 'API Management only: no or wrong subscription key'),
          ...INTERNAL,
          503: json(Health, 'alive, a dependency is not ready'),
        },
      },
    },
    {
      method: 'get',
      path: '/sessions/{id}',
      config: {
        operationId: 'sessionGet',
        tags: [SUPPORT],
        summary: 'One session: phase, outcome, correlation ids, queue, timeline (support role)',
        security: support,
        request: { params: sessionId },
        responses: {
          200: json(SessionRecord, 'the session'),
          400: problem(INVALID_PATH_ID('id'), ['invalid-input']),
          ...bearerRefusals(ROLES.support),
          404: problem('no such session', ['session-not-found']),
          ...INTERNAL,
        },
      },
    },
    {
      method: 'get',
      path: '/sessions',
      config: {
        operationId: 'sessionList',
        tags: [SUPPORT],
        summary: 'Sessions filtered by phase, outcome, time, room, Genesys conversation or video call id (support role)',
        description:
          'Read from the session index, newest first by creation time (default window: the 7 days before `to`, at most 366 days). ' +
          'Page on with the answer\'s `continuationToken`; `page` still works for v1-era callers, skipping at most 2,000 sessions. ' +
          'Changed from the first v2 API: the answer carries no `total` (counting every match would scan the index) and no durable runtime status.',
        security: support,
        request: { query: SessionListQuery },
        responses: {
          200: json(SessionList, 'a page of sessions'),
          400: problem('a bad filter (`invalid-params` names it), `from` not before `to`, or a `continuationToken` this list did not issue', ['invalid-input']),
          ...bearerRefusals(ROLES.support),
          ...INTERNAL,
        },
      },
    },
    {
      method: 'post',
      path: '/sessions/{id}/terminate',
      config: {
        operationId: 'sessionTerminate',
        tags: [SUPPORT],
        summary: 'End a session now (support role); its room is torn down',
        security: support,
        request: { params: sessionId, body: jsonBody(TerminateBody) },
        responses: {
          202: json(z.object({ id: z.string(), status: z.literal('terminating') }), 'ending'),
          400: problem(`the body is not JSON or its reason missing or over 500 characters, or ${INVALID_PATH_ID('id')}`, ['invalid-input', 'invalid-json']),
          ...bearerRefusals(ROLES.support),
          404: problem('no such session', ['session-not-found']),
          409: problem('already ended', ['session-finished']),
          413: TOO_LARGE,
          ...INTERNAL,
        },
      },
    },
    {
      method: 'get',
      path: '/openapi.json',
      config: {
        operationId: 'openApi',
        tags: [OPERATIONS],
        summary: 'This document',
        description: 'Open on a local host or a slot; through API Management it is a private route (subscription key and any valid token).',
        security: [...behindGateway(), {}],
        responses: {
          200: json(z.object({}).loose(), 'OpenAPI 3.1'),
          401: json(GatewayError, 'API Management only: no subscription key, or no valid token'),
          ...INTERNAL,
        },
      },
    },
    ...citizenRoutes(),
  ];
}
