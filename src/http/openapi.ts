import { extendZodWithOpenApi, OpenAPIRegistry, OpenApiGeneratorV31, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { BulkEnvelope, SinkEnvelope } from '../adapters/pexip/sinkEvents';
import { EventBridgeEnvelope } from '../adapters/genesys/events';
import { ConstrainedConference, Conference, Health, Problem, SessionList, SessionRecord } from '../contracts/api';
import { BulkCreateQuery, CreateRoomQuery, GetRoomQuery, UpdateRoomBody } from './rooms';
import { SessionListQuery, TerminateBody } from './sessions';
import type { ApiHandler } from './types';

extendZodWithOpenApi(z);

type Method = RouteConfig['method'];

/** Every route the API serves; the test checks this table against the registered functions. */
export interface DocumentedRoute {
  method: Method;
  /** OpenAPI path, e.g. `/room/{room_name}` */
  path: string;
  config: Omit<RouteConfig, 'method' | 'path'>;
}

const json = (schema: z.ZodType, description: string) => ({ description, content: { 'application/json': { schema } } });
const problemOf = (description: string) => ({ description, content: { 'application/problem+json': { schema: Problem } } });
const bearer = [{ bearer: [] }];
const roomName = z.object({ room_name: z.string().openapi({ description: 'the room (VMR) name, which also names its session' }) });

/** Other modules (the Pexip event sink, the Genesys ingestion) add their routes through this list. */
export function coreRoutes(): DocumentedRoute[] {
  return [
    {
      method: 'post',
      path: '/room/create',
      config: {
        summary: 'Hand out a room for a video call and start its session (v1)',
        security: bearer,
        request: { query: CreateRoomQuery },
        responses: {
          200: json(ConstrainedConference.omit({ pin: true }), 'the room; no host PIN'),
          400: problemOf('uuiData is missing or not a valid UUI'),
          401: problemOf('no valid bearer token'),
          503: problemOf('no room could be handed out in time'),
        },
      },
    },
    {
      method: 'get',
      path: '/room/{room_name}',
      config: {
        summary: 'Room details (v1)',
        security: bearer,
        request: { params: roomName, query: GetRoomQuery },
        responses: {
          200: json(ConstrainedConference.or(Conference), 'ConstrainedConference, or the full Conference with constrained_attributes=false'),
          404: problemOf('no such room; after teardown the body names the session outcome'),
        },
      },
    },
    {
      method: 'patch',
      path: '/room/{room_name}',
      config: {
        summary: 'Update a room’s tag (v1 leaves this path undocumented; PATCH on the room is MaxConf’s choice)',
        security: bearer,
        request: { params: roomName, body: { content: { 'application/json': { schema: UpdateRoomBody } } } },
        responses: { 202: { description: 'updated on the Pexip management node' }, 404: problemOf('no such room') },
      },
    },
    {
      method: 'delete',
      path: '/room/{room_name}',
      config: {
        summary: 'End the session and delete its room (v1); 204 also when already torn down',
        security: bearer,
        request: { params: roomName },
        responses: { 204: { description: 'the session is ending; its room is deleted' }, 409: problemOf('a persistent room') },
      },
    },
    {
      method: 'get',
      path: '/room',
      config: {
        summary: 'List rooms on the management node (v1; path chosen by MaxConf)',
        security: bearer,
        request: { query: GetRoomQuery },
        responses: { 200: json(z.array(ConstrainedConference.or(Conference)), 'every room') },
      },
    },
    {
      method: 'post',
      path: '/room/bulk',
      config: {
        summary: 'Add warm rooms to the pool, made in the background (v1 bulk create; path chosen by MaxConf)',
        security: bearer,
        request: { query: BulkCreateQuery },
        responses: { 202: json(z.object({ message: z.string(), requested: z.number().int() }), 'accepted') },
      },
    },
    {
      method: 'delete',
      path: '/room',
      config: {
        summary: 'Delete the pool’s unused rooms and empty it (v1 bulk delete; rooms in sessions are kept)',
        security: bearer,
        responses: { 200: json(z.object({ message: z.string(), deleted: z.number().int() }), 'done') },
      },
    },
    {
      method: 'get',
      path: '/public/room/{vmr_name}',
      config: {
        summary: 'Room details for the Agent App, with the host PIN (Genesys user token in x-auth-token)',
        request: { params: z.object({ vmr_name: z.string() }), headers: z.object({ 'x-auth-token': z.string() }) },
        responses: {
          200: json(ConstrainedConference, 'the room'),
          401: problemOf('missing, invalid or expired token'),
          403: problemOf('the user is not in an allowed division'),
          404: problemOf('no such room'),
        },
      },
    },
    {
      method: 'post',
      path: '/public/event_sink',
      config: {
        summary: 'Pexip event sink (v1 path; HTTP Basic): one event or an eventsink_bulk batch',
        security: [{ basic: [] }],
        request: { body: { content: { 'application/json': { schema: SinkEnvelope.or(BulkEnvelope) } } } },
        responses: {
          200: { description: 'accepted (events MaxConf does not use are acknowledged and ignored)' },
          400: problemOf('malformed event, naming the field'),
          401: problemOf('wrong or missing credentials'),
          413: problemOf('body too large'),
        },
      },
    },
    {
      method: 'post',
      path: '/genesys/events',
      config: {
        summary: 'Genesys EventBridge envelopes from an EventBridge API destination (x-api-key); queued for the session',
        security: [{ apiKey: [] }],
        request: { body: { content: { 'application/json': { schema: EventBridgeEnvelope.or(z.array(EventBridgeEnvelope)) } } } },
        responses: { 202: { description: 'queued' }, 400: problemOf('malformed envelope'), 401: problemOf('wrong API key'), 413: problemOf('too large') },
      },
    },
    {
      method: 'get',
      path: '/health',
      config: { summary: 'Liveness (v1 shape) and each dependency’s readiness', responses: { 200: json(Health, 'alive and ready'), 503: json(Health, 'alive, a dependency is not ready') } },
    },
    {
      method: 'get',
      path: '/sessions/{id}',
      config: {
        summary: 'One session: phase, outcome, correlation ids, queue, timeline (support role)',
        security: bearer,
        request: { params: z.object({ id: z.string() }) },
        responses: { 200: json(SessionRecord, 'the session'), 404: problemOf('no such session') },
      },
    },
    {
      method: 'get',
      path: '/sessions',
      config: {
        summary: 'Sessions filtered by phase, outcome, time, room, Genesys conversation or video call id (support role)',
        security: bearer,
        request: { query: SessionListQuery },
        responses: { 200: json(SessionList, 'a page of sessions'), 400: problemOf('a bad filter') },
      },
    },
    {
      method: 'post',
      path: '/sessions/{id}/terminate',
      config: {
        summary: 'End a session now (support role); its room is torn down',
        security: bearer,
        request: { params: z.object({ id: z.string() }), body: { content: { 'application/json': { schema: TerminateBody } } } },
        responses: { 202: json(z.object({ id: z.string(), status: z.literal('terminating') }), 'ending'), 404: problemOf('no such session'), 409: problemOf('already ended') },
      },
    },
    {
      method: 'get',
      path: '/openapi.json',
      config: { summary: 'This document', responses: { 200: json(z.object({}).loose(), 'OpenAPI 3.1') } },
    },
  ];
}

export function buildOpenApiDocument(routes: DocumentedRoute[]) {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
  registry.registerComponent('securitySchemes', 'basic', { type: 'http', scheme: 'basic' });
  registry.registerComponent('securitySchemes', 'apiKey', { type: 'apiKey', in: 'header', name: 'x-api-key' });
  for (const route of routes) registry.registerPath({ method: route.method, path: route.path, ...route.config });
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'MaxConf',
      version: '2.0.0',
      description: 'Orchestration API behind BC Services Card video identity-verification calls. v1 routes keep today’s contract.',
    },
  });
}

export function openApiHandler(routes: DocumentedRoute[]): ApiHandler {
  let document: unknown;
  return async () => ({ status: 200, body: (document ??= buildOpenApiDocument(routes)) });
}
