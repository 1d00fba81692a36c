import { timingSafeEqual } from 'node:crypto';
import type { SessionEvent, SessionEventPublisher } from '../contracts';
import type { Logger } from '../logging/logger';
import { RecentSinkEvents } from '../adapters/pexip/recentSinkEvents';
import {
  isSessionRoom,
  parseSinkBody,
  SinkPayloadError,
  translateSinkEvent,
} from '../adapters/pexip/sinkEvents';
import { problem, type ApiHandler, type DurableControl } from './types';
import { BULK_BODY_MAX_BYTES, bodyTooLarge, invalidParam } from './validation';

/** Nodes batch events (`eventsink_bulk`, up to 5,000 per post), so the sink takes larger bodies than the JSON routes. */
export const EVENT_SINK_MAX_BYTES = BULK_BODY_MAX_BYTES;

export interface EventSinkOptions {
  credentials: { username: string; password: string };
  roomPrefix: string;
  genesysSipUri: string | undefined;
  logger: Logger;
  now(): Date;
  publisher(durable: DurableControl): SessionEventPublisher;
  maxBytes?: number;
  /** what this app instance has already handed on; one per handler (so per app instance) unless given */
  recent?: RecentSinkEvents;
}

function sameSecret(given: string, expected: string): boolean {
  // hash-free constant-time compare: pad to a common length so the length itself leaks nothing useful
  const a = Buffer.from(given, 'utf8');
  const b = Buffer.from(expected, 'utf8');
  const size = Math.max(a.length, b.length, 1);
  const x = Buffer.alloc(size);
  const y = Buffer.alloc(size);
  a.copy(x);
  b.copy(y);
  return timingSafeEqual(x, y) && a.length === b.length;
}

function authorised(header: string | undefined, expected: { username: string; password: string }): boolean {
  if (!header?.startsWith('Basic ')) return false;
  const decoded = Buffer.from(header.slice(6).trim(), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return false;
  const userOk = sameSecret(decoded.slice(0, colon), expected.username);
  const passOk = sameSecret(decoded.slice(colon + 1), expected.password);
  return userOk && passOk;
}

/**
 * `POST /public/event_sink` (v1's path): Pexip's conferencing nodes post here. A bad post is a 4xx
 * that changes nothing; a good one is answered once its events are durably queued on their
 * sessions. Events about rooms that are not a live session here are acknowledged and counted,
 * never refused, so a node never retries them forever.
 *
 * Cost: noise (keep-alives, other rooms, `participant_updated` of a leg already reported, events
 * of a session seen finished) is filtered in memory (RecentSinkEvents) and answered with no
 * durable call; each event that gets through is ONE raise. A bulk post is one unit of work:
 * grouped by room, each room's events raised in order, the rooms side by side.
 */
export function eventSinkHandler(options: EventSinkOptions): ApiHandler {
  const maxBytes = options.maxBytes ?? EVENT_SINK_MAX_BYTES;
  const log = options.logger.child({ route: 'event_sink' });
  const recent = options.recent ?? new RecentSinkEvents();
  return async (request, context) => {
    const tooLarge = bodyTooLarge(request, maxBytes);
    if (tooLarge) return tooLarge;
    if (!authorised(request.header('authorization'), options.credentials)) {
      const response = problem(401, 'unauthenticated', 'Event sink credentials missing or wrong', 'HTTP Basic with the configured event-sink credentials is required');
      response.headers = { ...response.headers, 'www-authenticate': 'Basic realm="maxconf-event-sink"' };
      return response;
    }
    let body: unknown;
    try {
      body = JSON.parse(request.body ?? '');
    } catch {
      const response = invalidParam('body', 'body', 'must be one Pexip event or an eventsink_bulk batch, as JSON', 'invalid-json', 'Event sink body is not JSON');
      return { ...response, body: { ...(response.body as object), field: 'body' } };
    }
    let parsed;
    try {
      parsed = parseSinkBody(body, options.now());
    } catch (error) {
      if (error instanceof SinkPayloadError) {
        const field = error.field || 'body';
        const response = invalidParam('body', field, error.message, 'invalid-event', 'Event sink payload is invalid');
        return { ...response, body: { ...(response.body as object), field } };
      }
      throw error;
    }
    const counts = { received: parsed.length, ignored: 0, foreign: 0, duplicate: 0, accepted: 0, unknown_session: 0, session_finished: 0, unusable_fields: 0 };
    const byRoom = new Map<string, SessionEvent[]>();
    for (const event of parsed) {
      counts.unusable_fields += event.unusable?.length ?? 0;
      const translated = translateSinkEvent(event, options.genesysSipUri);
      if (!translated) {
        counts.ignored++;
        continue;
      }
      if (!isSessionRoom(translated.roomName, options.roomPrefix)) {
        counts.foreign++;
        continue;
      }
      const room = byRoom.get(translated.roomName);
      if (room) room.push(translated);
      else byRoom.set(translated.roomName, [translated]);
    }
    const work: [string, SessionEvent[]][] = [];
    for (const [room, events] of byRoom) {
      if (recent.isFinished(room)) {
        counts.session_finished += events.length;
        continue;
      }
      const publish = recent.unseen(room, events);
      counts.duplicate += events.length - publish.length;
      if (publish.length > 0) work.push([room, publish]);
    }

    if (work.length > 0) {
      const durable = context.durable;
      if (!durable) return problem(503, 'unavailable', 'Durable runtime unavailable', 'events were not accepted; retry');
      const publisher = options.publisher(durable);
      const raiseInOrder = async (room: string, events: SessionEvent[]) => {
        for (const [i, event] of events.entries()) {
          const outcome = await publisher.publish(event);
          counts[outcome]++;
          if (outcome === 'accepted') {
            recent.record(room, event);
            continue;
          }
          if (outcome === 'session_finished') recent.markFinished(room);
          // the session cannot take this one, so neither the rest of its batch
          counts[outcome] += events.length - i - 1;
          return;
        }
      };
      const results = await Promise.allSettled(work.map(([room, events]) => raiseInOrder(room, events)));
      const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed) {
        // what was taken is remembered; Pexip's retry of this post re-raises only the rest
        log.error({ err: failed.reason, counts }, 'event sink could not queue events');
        return problem(503, 'unavailable', 'Events could not be queued', 'retry later');
      }
    }
    if (counts.unusable_fields > 0) {
      // names the fields only, never their values: a vendor's odd value can carry citizen data
      log.warn({ counts, fields: parsed.flatMap((e) => e.unusable ?? []).slice(0, 20) }, 'event sink acknowledged events with fields it could not use');
    } else if (counts.unknown_session + counts.session_finished + counts.foreign > 0) {
      log.info({ counts }, 'event sink acknowledged events for rooms without a live session');
    } else {
      log.debug({ counts }, 'event sink post handled');
    }
    return { status: 200, body: { message: 'Event acknowledged and processed.', ...counts } };
  };
}
