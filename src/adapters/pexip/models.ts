import { z } from 'zod';

/** A VMR as the configuration API returns it. Extra fields are kept: v1's full `Conference` view shows them. */
export const PexipAlias = z.looseObject({
  id: z.number().optional(),
  alias: z.string(),
  conference: z.string().optional(),
  creation_time: z.string().optional(),
  description: z.string().optional().nullable(),
});

export const PexipConference = z.looseObject({
  id: z.number(),
  name: z.string(),
  service_type: z.string().optional(),
  allow_guests: z.boolean().optional(),
  pin: z.string().optional().nullable(),
  guest_pin: z.string().optional().nullable(),
  tag: z.string().optional().nullable(),
  description: z.string().optional().nullable(),
  aliases: z.array(PexipAlias).optional().default([]),
  resource_uri: z.string().optional(),
});
export type PexipConference = z.infer<typeof PexipConference>;

export const ListEnvelope = z.object({
  meta: z.object({
    limit: z.number(),
    offset: z.number(),
    total_count: z.number(),
    next: z.string().nullable().optional(),
    previous: z.string().nullable().optional(),
  }),
  objects: z.array(z.unknown()),
});

/** A live participant from the status API (fields per go-infinity-sdk status/models.go). */
export const PexipParticipantStatus = z.looseObject({
  id: z.string(),
  conference: z.string(),
  display_name: z.string().optional().nullable(),
  role: z.string().optional().nullable(),
  call_direction: z.string().optional().nullable(),
  protocol: z.string().optional().nullable(),
  source_alias: z.string().optional().nullable(),
  destination_alias: z.string().optional().nullable(),
  call_uuid: z.string().optional().nullable(),
  connect_time: z.string().optional().nullable(),
  has_media: z.boolean().optional(),
  system_location: z.string().optional().nullable(),
});
export type PexipParticipantStatus = z.infer<typeof PexipParticipantStatus>;

export const PexipConferenceStatus = z.looseObject({
  id: z.string(),
  name: z.string(),
  is_started: z.boolean().optional(),
  tag: z.string().optional().nullable(),
});

export const CommandReply = z.object({
  status: z.string(),
  data: z.looseObject({ participant_id: z.string().optional() }).optional().nullable(),
});
