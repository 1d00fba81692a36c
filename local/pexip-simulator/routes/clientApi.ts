import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseJson, str, type RouteResult } from '../http';
import type { PexipModel } from '../model';
import { clientParticipant, serviceTypeOf } from '../model/views';
import { openEventStream } from './events';

const VERSION = { version_id: '35', pseudo_version: '77683.0.0' };

function answerSdp(offer: string): string {
  // a syntactically plausible answer built from the offer: same media sections, passive DTLS role
  const lines = offer.split(/\r?\n/).filter(Boolean);
  const out = lines.map((l) => (l.startsWith('a=setup:') ? 'a=setup:passive' : l.startsWith('o=') ? `o=- ${Date.now()} 1 IN IP4 127.0.0.1` : l));
  return `${out.join('\r\n')}\r\n`;
}

export interface ClientApiContext {
  model: PexipModel;
  /** open event streams, ended when the simulator stops */
  streams: Set<ServerResponse>;
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

/** The conferencing node's client REST API (`/api/client/v2/conferences/{alias}/…`). */
export function clientApiRoute(ctx: ClientApiContext, req: IncomingMessage, res: ServerResponse, method: string, path: string, query: URLSearchParams, body: string): RouteResult {
  const { model } = ctx;
  const m = /^\/api\/client\/v2\/conferences\/([^/]+)\/(.+)$/.exec(path);
  if (!m) return [404, { status: 'failed', result: 'Not found' }];
  const alias = decodeURIComponent(m[1]!);
  const rest = m[2]!;
  const tokenHeader = req.headers.token;
  const token = typeof tokenHeader === 'string' ? tokenHeader : query.get('token') ?? undefined;

  if (rest === 'request_token' && method === 'POST') return requestToken(ctx, req, alias, body);

  const who = model.byToken(alias, token);
  if (!who) return [403, { status: 'failed', result: 'Invalid token' }];
  const { conf, participant } = who;

  if (rest === 'refresh_token' && method === 'POST') {
    const fresh = model.refreshToken(conf, participant);
    return [200, { status: 'success', result: { token: fresh, expires: String(model.options.tokenExpiresSeconds) } }];
  }
  if (rest === 'release_token' && method === 'POST') {
    model.leave(conf, participant, 'Participant released token');
    return [200, { status: 'success', result: true }];
  }
  if (rest === 'participants' && method === 'GET') {
    const now = model.options.clock.now();
    return [200, { status: 'success', result: [...conf.participants.values()].filter((p) => p.state === 'connected').map((p) => clientParticipant(conf, p, now)) }];
  }
  if (rest === 'events' && method === 'GET') {
    openEventStream(model, req, res, conf, participant, ctx.streams, {});
    return 'stream';
  }
  const call = /^participants\/([^/]+)\/(calls|disconnect)(?:\/([^/]+)\/(new_candidate|ack|disconnect))?$/.exec(rest);
  if (call && method === 'POST') {
    const target = conf.participants.get(decodeURIComponent(call[1]!));
    if (!target) return [403, { status: 'failed', result: 'Participant not found' }];
    if (call[2] === 'disconnect') {
      if (participant.role !== 'chair' && target !== participant) return [403, { status: 'failed', result: 'Invalid role' }];
      model.leave(conf, target, 'Disconnected by another participant');
      return [200, { status: 'success', result: null }];
    }
    if (target !== participant) return [403, { status: 'failed', result: 'Invalid token' }];
    if (!call[3]) {
      const input = parseJson(body);
      if (str(input.call_type) !== 'WEBRTC' || !str(input.sdp)) return [400, 'call_type WEBRTC and an sdp offer are required'];
      const callUuid = model.startWebrtcCall(conf, participant);
      return [200, { status: 'success', result: { call_uuid: callUuid, sdp: answerSdp(str(input.sdp)) } }];
    }
    if (participant.callUuid !== decodeURIComponent(call[3])) return [403, { status: 'failed', result: 'Invalid call' }];
    if (call[4] === 'new_candidate') return [200, { status: 'success', result: null }];
    if (call[4] === 'ack') return [200, { status: 'success', result: true }];
    model.leave(conf, participant, 'Call disconnected');
    return [200, { status: 'success', result: null }];
  }
  return [404, { status: 'failed', result: 'Not found' }];
}
