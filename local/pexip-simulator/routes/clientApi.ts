import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseJson, str, type RouteResult } from '../http';
import type { PexipModel } from '../model';
import type { MediaPeers } from '../media/types';
import { clientParticipant, hostPresent, serviceTypeOf } from '../model/views';
import { openEventStream } from './events';
import { participantRoute } from './participantApi';

const VERSION = { version_id: '35', pseudo_version: '77683.0.0' };

export interface ClientApiContext {
  model: PexipModel;
  /** open event streams, ended when the simulator stops */
  streams: Set<ServerResponse>;
  /** the WebRTC side; without it every call gets a plausible (media-less) answer */
  media: MediaPeers | undefined;
}

function requestToken(ctx: ClientApiContext, req: IncomingMessage, alias: string, body: string): RouteResult {
  const { model } = ctx;
  const input = parseJson(body);
  const displayName = str(input.display_name);
  if (!displayName) return [400, { status: 'failed', result: 'display_name is required' }];
  const pinHeader = req.headers.pin;
  const pin = typeof pinHeader === 'string' ? pinHeader : undefined;
  const result = model.requestToken(alias, pin, displayName, str(input.call_tag));
  if (result.kind === 'not_found') return [404, { status: 'failed', result: 'Neither conference nor gateway found' }];
  if (result.kind === 'pin_required') return [403, { status: 'success', result: { pin: 'required', guest_pin: result.guestPin ? 'required' : 'none', version: VERSION } }];
  if (result.kind === 'invalid_pin') return [403, { status: 'failed', result: 'Invalid PIN' }];
  const { participant, conf } = result;
  return [200, {
    status: 'success',
    result: {
      token: result.token,
      expires: String(model.options.tokenExpiresSeconds),
      participant_uuid: participant.uuid,
      version: VERSION,
      role: participant.role === 'chair' ? 'HOST' : 'GUEST',
      display_name: participant.displayName,
      current_service_type: serviceTypeOf(conf, participant) === 'waiting_room' ? 'waiting_room' : 'conference',
      service_type: 'conference',
      conference_name: conf.name,
      call_tag: participant.callTag,
      chat_enabled: false,
      fecc_enabled: false,
      rtmp_enabled: false,
      rtsp_enabled: false,
      trickle_ice_enabled: true,
      analytics_enabled: false,
      guests_can_present: true,
      stun: [{ url: 'stun:stun.l.google.com:19302' }],
    },
  }];
}

/** The conferencing node's client REST API (`/api/client/v2/conferences/{alias}/…`), as @pexip/infinity calls it. */
export async function clientApiRoute(ctx: ClientApiContext, req: IncomingMessage, res: ServerResponse, method: string, path: string, query: URLSearchParams, body: string): Promise<RouteResult> {
  const { model } = ctx;
  const m = /^\/api\/client\/v2\/conferences\/([^/]+)\/(.+?)\/?$/.exec(path);
  if (!m) return [404, { status: 'failed', result: 'Not found' }];
  const alias = decodeURIComponent(m[1]!);
  const rest = m[2]!;
  // the token travels in a `token` header, or as `?token=` (EventSource, sendBeacon)
  const tokenHeader = req.headers.token;
  const token = typeof tokenHeader === 'string' ? tokenHeader : query.get('token') ?? undefined;

  if (rest === 'request_token' && method === 'POST') return requestToken(ctx, req, alias, body);

  const who = model.byToken(alias, token);
  if (!who) return [403, { status: 'failed', result: 'Invalid token' }];
  const { conf, participant } = who;

  if (method === 'GET') {
    switch (rest) {
      case 'participants': {
        const now = model.options.clock.now();
        return [200, { status: 'success', result: [...conf.participants.values()].filter((p) => p.state === 'connected').map((p) => clientParticipant(conf, p, now)) }];
      }
      case 'events':
        openEventStream(model, req, res, conf, participant, ctx.streams, {});
        return 'stream';
      case 'conference_status':
        return [200, { status: 'success', result: { locked: false, guests_muted: false, started: hostPresent(conf), guests_can_unmute: true, direct_media: false, live_captions_available: false, presentation_allowed: true } }];
      case 'theme':
        // no theme: @pexip/infinity accepts 204 and uses its defaults
        return [204, ''];
      default:
        return [404, { status: 'failed', result: 'Not found' }];
    }
  }
  if (method !== 'POST') return [405, { status: 'failed', result: 'Method not allowed' }];
  switch (rest) {
    case 'refresh_token': {
      const fresh = model.refreshToken(conf, participant);
      return [200, { status: 'success', result: { token: fresh, expires: String(model.options.tokenExpiresSeconds) } }];
    }
    case 'release_token':
      // the body ({reason?}) is ignored: a sendBeacon release sends it as a Blob of any type
      model.leave(conf, participant, 'Participant released token');
      return [200, { status: 'success', result: true }];
    case 'disconnect':
      if (participant.role !== 'chair') return [403, { status: 'failed', result: 'Invalid role' }];
      model.endConference(conf, 'Conference disconnected by a host');
      return [200, { status: 'success', result: true }];
    default:
      return participantRoute(ctx, conf, participant, rest, body);
  }
}
