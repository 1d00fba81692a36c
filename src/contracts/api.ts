import { z } from 'zod';
import { OUTCOMES } from '../domain/session';

/** Response shapes of the HTTP API, for the OpenAPI document and the contract tests. */

export const Alias = z.object({
  id: z.number().int().optional(),
  alias: z.string(),
  conference: z.string(),
  creation_time: z.string().optional(),
  description: z.string(),
});

/** v1's ConstrainedConference. `pin` (the host PIN) is absent from create responses. */
export const ConstrainedConference = z.object({
  id: z.number().int(),
  name: z.string(),
  service_type: z.literal('conference').or(z.string()),
  allow_guests: z.boolean(),
  pin: z.string().optional(),
  guest_pin: z.string(),
  tag: z.string(),
  aliases: z.array(Alias),
}).meta({ id: 'ConstrainedConference' });

/** The create answer: v1's ConstrainedConference without the host PIN, and the citizen's join link where a Customer App is configured. */
export const CreatedConference = ConstrainedConference.omit({ pin: true })
  .extend({
    join_url: z
      .string()
      .optional()
      .meta({ description: "additional to v1 (IDIM may ignore it): the Customer App link for the citizen, `<app>/#alias=<alias>&token=<citizen token>`; absent where no Customer App is configured" }),
  })
  .meta({ id: 'CreatedConference' });

/** v1's full Conference: the Pexip VMR object as the management node returns it. */
export const Conference = z.looseObject({
  id: z.number().int(),
  name: z.string(),
  service_type: z.string().optional(),
  allow_guests: z.boolean().optional(),
  pin: z.string().nullable().optional(),
  guest_pin: z.string().nullable().optional(),
  tag: z.string().nullable().optional(),
  description: z.string().nullable().optional(),
  aliases: z.array(z.looseObject({ alias: z.string() })).optional(),
}).meta({ id: 'Conference' });

/** RFC 9457 problem details: every error MaxConf itself answers (`application/problem+json`). */
export const Problem = z
  .looseObject({
    type: z.string().meta({ description: '`https://maxconf.ca/problems/<kind>`; the kinds each response can carry are listed on it' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    'invalid-params': z
      .array(z.object({ name: z.string(), reason: z.string() }))
      .optional()
      .meta({ description: 'on `invalid-input`: every offending field, by name' }),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details; some kinds add members (`roomName`, `outcome`, `field`)' });

/** What API Management itself answers when it refuses a request before it reaches MaxConf. */
export const GatewayError = z
  .object({ statusCode: z.number().int(), message: z.string() })
  .meta({ id: 'GatewayError', description: 'API Management’s own refusal (Test and Production servers only)' });

/** `POST /public/event_sink`'s acknowledgement: how many events of the post went where. */
export const EventSinkAck = z.object({
  message: z.string(),
  received: z.number().int(),
  ignored: z.number().int().meta({ description: 'events MaxConf does not use' }),
  foreign: z.number().int().meta({ description: 'events about rooms outside this deployment’s prefix' }),
  duplicate: z.number().int(),
  accepted: z.number().int(),
  unknown_session: z.number().int(),
  session_finished: z.number().int(),
});

export const EnvelopesAccepted = z.object({ accepted: z.number().int().meta({ description: 'envelopes queued' }) });

export const Health = z.object({
  status: z.literal('alive'),
  timestamp: z.string(),
  ready: z.boolean(),
  dependencies: z.record(z.string(), z.object({ ready: z.boolean(), detail: z.string().optional() })),
}).meta({ id: 'Health' });

const TimelineEntry = z.object({
  at: z.string(),
  kind: z.enum(['event', 'command', 'result', 'deadline', 'ignored']),
  what: z.string(),
  detail: z.string().optional(),
});

export const SessionRecord = z.object({
  id: z.string().meta({ description: 'the session id: its room name' }),
  roomName: z.string(),
  videoCallId: z.string(),
  phase: z.enum(['waiting_for_citizen', 'dialing', 'queued', 'in_call', 'reconnecting', 'ending', 'ended']),
  outcome: z.string().nullable(),
  createdAt: z.string(),
  endedAt: z.string().nullable(),
  updatedAt: z.string().meta({ description: 'when the session last changed what support sees' }),
  conversationId: z.string().nullable(),
  agentUserId: z.string().nullable(),
  answeredAt: z.string().nullable(),
  queue: z
    .object({ estimatedWaitSeconds: z.number().optional(), position: z.number().optional(), at: z.string() })
    .nullable(),
  dialAttempts: z.number().int(),
  citizenParticipants: z.array(z.string()).meta({ description: "the citizen's Pexip participant ids, newest last (at most 10)" }),
  sipParticipantId: z.string().nullable().meta({ description: 'the Pexip participant id of the SIP leg to Genesys' }),
  agentVideoParticipants: z.array(z.string()).meta({ description: "the agents' video-only Pexip participant ids, newest last (at most 10)" }),
  teardown: z.object({ ok: z.boolean(), detail: z.string().optional() }).nullable(),
  revision: z.number().int().meta({ description: 'grows with every change the session records' }),
  timeline: z.array(TimelineEntry).meta({ description: 'the whole timeline, oldest first' }),
  joinUrl: z
    .string()
    .nullable()
    .optional()
    .meta({ description: "the citizen's join link (Customer App, docs/customer-app.md), the same one the create answer carried; null once the session is ending or the link's time is over; absent where no Customer App is configured" }),
}).meta({ id: 'SessionRecord' });

export const SessionList = z.object({
  sessions: z.array(SessionRecord.omit({ timeline: true })),
  page: z.number().int(),
  pageSize: z.number().int(),
  continuationToken: z
    .string()
    .optional()
    .meta({ description: 'pass it back for the next page; absent on the last page. (`total` is gone: counting every match would scan the index.)' }),
}).meta({ id: 'SessionList' });

/** `GET /public/citizen/session`: what the citizen may know of their session, and nothing else (docs/customer-app.md). */
export const CitizenSession = z
  .object({
    phase: z.enum(['waiting_for_citizen', 'dialing', 'queued', 'reconnecting', 'in_call', 'ending', 'ended']),
    position: z.number().int().min(1).optional().meta({ description: 'while queued: the place in the Genesys queue (the queue observer’s estimate)' }),
    estimatedWaitSeconds: z.number().int().min(0).optional().meta({ description: 'while queued: MaxConf’s estimate; may differ from the queue’s announcement' }),
    outcome: z.enum(OUTCOMES).optional().meta({ description: 'once ending or ended' }),
    pollAfterSeconds: z.number().int().min(1).max(60).meta({ description: 'when to ask again' }),
  })
  .strict()
  .meta({ id: 'CitizenSession' });

/** `GET /public/citizen/room`: how the citizen's page joins the room as its guest. */
export const CitizenRoom = z
  .object({
    alias: z.string().regex(/^[A-Za-z0-9._@+-]{1,100}$/),
    guestPin: z.string().regex(/^\d{4,10}$/),
    conferenceNode: z.string().regex(/^[A-Za-z0-9.-]{1,253}(:\d{1,5})?$/).meta({ description: 'host[:port] of the conference node; the page joins it with its configured protocol' }),
  })
  .strict()
  .meta({ id: 'CitizenRoom' });
