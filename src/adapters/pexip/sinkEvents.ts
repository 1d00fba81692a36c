import { z } from 'zod';
import { MAX_SEEN, type RoomIngestState } from '../../contracts/durable';
import type { SessionEvent } from '../../contracts/sessionEvents';
import { isSessionIdOf } from '../../contracts/ids';
import { isPersistentRoomName } from './naming';

/**
 * Pexip event-sink payloads (docs.pexip.com admin/api_event_sink.htm). Every event name is
 * accepted; the ones MaxConf acts on have their `data` parsed, the rest are acknowledged.
 */
export const SinkEnvelope = z.object({
  event: z.string().min(1).max(100),
  node: z.string().max(100).optional(),
  seq: z.number().int().nonnegative().optional(),
  version: z.number().int().optional(),
  // any number: one an ISO timestamp cannot hold is acknowledged with the received time (isoFrom)
  time: z.number().optional(),
  data: z.unknown().optional(),
});
export type SinkEnvelope = z.infer<typeof SinkEnvelope>;

export const BulkEnvelope = z.object({
  event: z.literal('eventsink_bulk'),
  node: z.string().max(100).optional(),
  seq: z.number().int().nonnegative().optional(),
  data: z.array(SinkEnvelope).max(5000),
});

const text = z.string().max(1000);
const optionalText = text.nullable().optional();

export const ParticipantData = z.looseObject({
  uuid: z.string().min(1).max(200),
  conference: z.string().min(1).max(250),
  role: optionalText,
  call_direction: optionalText,
  protocol: optionalText,
  destination_alias: optionalText,
  source_alias: optionalText,
  connect_time: z.union([z.number(), z.string()]).nullable().optional(),
  duration: z.number().nullable().optional(),
  has_media: z.boolean().nullable().optional(),
  disconnect_reason: optionalText,
  service_type: optionalText,
});
export type ParticipantData = z.infer<typeof ParticipantData>;

export const ConferenceData = z.looseObject({
  name: z.string().min(1).max(250),
  start_time: z.number().nullable().optional(),
  end_time: z.number().nullable().optional(),
});

export const PARTICIPANT_EVENTS = ['participant_connected', 'participant_updated', 'participant_disconnected'] as const;
export const CONFERENCE_EVENTS = ['conference_started', 'conference_ended'] as const;
export type UsedEventName = (typeof PARTICIPANT_EVENTS)[number] | (typeof CONFERENCE_EVENTS)[number];

export function isUsedEvent(name: string): name is UsedEventName {
  return (PARTICIPANT_EVENTS as readonly string[]).includes(name) || (CONFERENCE_EVENTS as readonly string[]).includes(name);
}

/** `unusable` names the fields MaxConf could not use and replaced (e.g. a `time` out of range). */
export type ParsedSinkEvent =
  | { kind: 'participant'; event: (typeof PARTICIPANT_EVENTS)[number]; node: string; seq: number | undefined; at: string; data: ParticipantData; unusable?: string[] }
  | { kind: 'conference'; event: (typeof CONFERENCE_EVENTS)[number]; node: string; seq: number | undefined; at: string; room: string; unusable?: string[] }
  | { kind: 'ignored'; event: string; unusable?: string[] };

export class SinkPayloadError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

function issueAt(prefix: string, error: z.ZodError): SinkPayloadError {
  const issue = error.issues[0];
  const path = [prefix, ...(issue?.path ?? []).map(String)].filter(Boolean).join('.');
  return new SinkPayloadError(path, `${path || 'body'}: ${issue?.message ?? 'invalid'}`);
}

/** 9999-12-31T23:59:59Z, the last second a four-digit ISO year holds. */
export const SINK_TIME_MAX_SECONDS = 253_402_300_799;

/**
 * The event's time, or the time it was received when it has none or one no timestamp can hold.
 * Pexip's retry policy is undocumented, so such an event is acknowledged (and counted), never
 * refused: a refusal could stall the node's queue behind it.
 */
function isoFrom(time: number | undefined, fallback: Date): { at: string; usable: boolean } {
  if (time === undefined) return { at: fallback.toISOString(), usable: true };
  if (!(time >= 0 && time <= SINK_TIME_MAX_SECONDS)) return { at: fallback.toISOString(), usable: false };
  return { at: new Date(time * 1000).toISOString(), usable: true };
}

/** Parses a whole POST (single or bulk). Throws SinkPayloadError naming the first bad field; nothing is half-accepted. */
export function parseSinkBody(body: unknown, receivedAt: Date): ParsedSinkEvent[] {
  const top = SinkEnvelope.safeParse(body);
  if (!top.success) throw issueAt('', top.error);
  let envelopes: { envelope: SinkEnvelope; path: string }[];
  if (top.data.event === 'eventsink_bulk') {
    const bulk = BulkEnvelope.safeParse(body);
    if (!bulk.success) throw issueAt('', bulk.error);
    envelopes = bulk.data.data.map((envelope, i) => ({ envelope: { node: bulk.data.node, ...envelope }, path: `data.${i}` }));
  } else {
    envelopes = [{ envelope: top.data, path: '' }];
  }
  return envelopes.map(({ envelope, path }): ParsedSinkEvent => {
    const { at, usable } = isoFrom(envelope.time, receivedAt);
    const unusable = usable ? {} : { unusable: [[path, 'time'].filter(Boolean).join('.')] };
    const node = envelope.node ?? 'unknown';
    const name = envelope.event;
    if ((PARTICIPANT_EVENTS as readonly string[]).includes(name)) {
      const data = ParticipantData.safeParse(envelope.data);
      if (!data.success) throw issueAt([path, 'data'].filter(Boolean).join('.'), data.error);
      return { kind: 'participant', event: name as (typeof PARTICIPANT_EVENTS)[number], node, seq: envelope.seq, at, data: data.data, ...unusable };
    }
    if ((CONFERENCE_EVENTS as readonly string[]).includes(name)) {
      const data = ConferenceData.safeParse(envelope.data);
      if (!data.success) throw issueAt([path, 'data'].filter(Boolean).join('.'), data.error);
      return { kind: 'conference', event: name as (typeof CONFERENCE_EVENTS)[number], node, seq: envelope.seq, at, room: data.data.name, ...unusable };
    }
    return { kind: 'ignored', event: name, ...unusable };
  });
}

export type Leg = 'citizen' | 'sip' | 'agent' | 'other';

function sipAddress(value: string | null | undefined): string {
  return (value ?? '').trim().toLowerCase().replace(/^sips?:/, '').replace(/^<|>$/g, '').split(';')[0] ?? '';
}

/**
 * Which leg of a MaxConf call a participant is, told by its fields alone:
 * - the SIP leg: outbound (`call_direction: out`), protocol SIP, dialled to the Genesys address;
 * - the citizen: inbound WebRTC with role `guest` (joined with the guest PIN);
 * - the agent: inbound WebRTC with role `chair` (joined with the host PIN);
 * - anything else (an API-only participant, a stray SIP caller, role `unknown` at PIN entry): other.
 */
export function classifyLeg(p: Pick<ParticipantData, 'call_direction' | 'protocol' | 'role' | 'destination_alias'>, genesysSipUri: string | undefined): Leg {
  const direction = (p.call_direction ?? '').toLowerCase();
  const protocol = (p.protocol ?? '').toLowerCase();
  const role = (p.role ?? '').toLowerCase();
  if (direction === 'out' && protocol === 'sip') {
    if (!genesysSipUri) return 'sip';
    return sipAddress(p.destination_alias) === sipAddress(genesysSipUri) ? 'sip' : 'other';
  }
  if (direction === 'in' && protocol === 'webrtc') {
    if (role === 'guest') return 'citizen';
    if (role === 'chair' || role === 'host') return 'agent';
  }
  return 'other';
}

/** Whether a room belongs to this deployment's sessions (other slots' and persistent rooms never do). */
export function isSessionRoom(room: string, prefix: string): boolean {
  // the session id allow-list too: the name becomes an instance id and an entity key
  return isSessionIdOf(room, prefix) && !isPersistentRoomName(room);
}

function connectedOnce(p: ParticipantData): boolean {
  const connect = p.connect_time;
  return (connect !== null && connect !== undefined && connect !== '' && connect !== 0) || (p.duration ?? 0) > 0;
}

/**
 * The session event a parsed sink event stands for, or undefined. `participant_updated` maps to
 * the same event (and event id) as `participant_connected`, so an update only gets through when
 * the connect was never seen (missed while the sink was down); every other update is noise.
 */
export function translateSinkEvent(e: ParsedSinkEvent, genesysSipUri: string | undefined): SessionEvent | undefined {
  if (e.kind === 'ignored') return undefined;
  if (e.kind === 'conference') {
    const type = e.event === 'conference_started' ? 'conference_started' : 'conference_ended';
    // one per node: the id is per room and per kind of change, and the ingestion state keeps only transitions
    return { type, source: 'pexip', roomName: e.room, at: e.at, eventId: `pexip:${e.room}:${type}:${e.at}` };
  }
  const p = e.data;
  const leg = classifyLeg(p, genesysSipUri);
  if (leg === 'other') return undefined;
  const base = { source: 'pexip' as const, roomName: p.conference, at: e.at, participantId: p.uuid };
  const joined = e.event !== 'participant_disconnected';
  if (joined) {
    const type = leg === 'citizen' ? 'citizen_joined' : leg === 'agent' ? 'agent_video_joined' : 'sip_leg_connected';
    // a dialled leg is created before it answers; only an answered one (with media) is connected
    if (leg === 'sip' && p.has_media === false) return undefined;
    return { ...base, type, eventId: `pexip:${p.uuid}:joined` };
  }
  const reason = p.disconnect_reason ?? undefined;
  const eventId = `pexip:${p.uuid}:left`;
  if (leg === 'citizen') return { ...base, type: 'citizen_left', eventId, ...(reason ? { reason } : {}) };
  if (leg === 'agent') return { ...base, type: 'agent_video_left', eventId };
  if (!connectedOnce(p)) return { ...base, type: 'sip_leg_failed', eventId, reason: reason ?? 'not answered' };
  return { ...base, type: 'sip_leg_ended', eventId, ...(reason ? { reason } : {}) };
}

/** What ingestion remembers per room, outside the orchestration history. */

/** Drops what the session has already been told; returns the events to publish and the state after them. */
export function newEvents(events: SessionEvent[], state: RoomIngestState | undefined): { publish: SessionEvent[]; state: RoomIngestState } {
  const seen = new Set(state?.seen ?? []);
  let conference = state?.conference;
  const publish: SessionEvent[] = [];
  for (const event of events) {
    if (event.type === 'conference_started' || event.type === 'conference_ended') {
      const now = event.type === 'conference_started' ? 'started' : 'ended';
      if (conference === now) continue;
      conference = now;
      publish.push(event);
      continue;
    }
    if (seen.has(event.eventId)) continue;
    // a participant that already left cannot join again under the same uuid
    if (event.eventId.endsWith(':joined') && seen.has(event.eventId.replace(/:joined$/, ':left'))) continue;
    seen.add(event.eventId);
    publish.push(event);
  }
  const all = [...seen];
  return { publish, state: { seen: all.slice(Math.max(0, all.length - MAX_SEEN)), ...(conference ? { conference } : {}) } };
}
