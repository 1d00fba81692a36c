import { parseJson, str, type RouteResult } from '../http';
import type { MuteFlag, Participant, PexipModel, RunningConference } from '../model';
import type { MediaPeers } from '../media/types';

/** Host (or self) actions: the client API path → the flag it sets. */
const FLAG_ACTIONS: Record<string, [MuteFlag, boolean]> = {
  mute: ['isMuted', true],
  unmute: ['isMuted', false],
  video_muted: ['isVideoMuted', true],
  video_unmuted: ['isVideoMuted', false],
  client_mute: ['isClientMuted', true],
  client_unmute: ['isClientMuted', false],
};

function plausibleAnswer(offer: string): string {
  // for offers that carry no ICE or DTLS (API-level tests): the same media sections, passive DTLS role
  const lines = offer.split(/\r?\n/).filter(Boolean);
  const out = lines.map((l) => (l.startsWith('a=setup:') ? 'a=setup:passive' : l.startsWith('o=') ? `o=- ${Date.now()} 1 IN IP4 127.0.0.1` : l));
  return `${out.join('\r\n')}\r\n`;
}

export interface ParticipantApiContext {
  model: PexipModel;
  media: MediaPeers | undefined;
}

const failed = (status: number, result: string): RouteResult => [status, { status: 'failed', result }];

async function callRoute(ctx: ParticipantApiContext, conf: RunningConference, self: Participant, callUuid: string | undefined, action: string | undefined, body: string): Promise<RouteResult> {
  const { model, media } = ctx;
  if (callUuid === undefined) {
    const input = parseJson(body);
    if (str(input.call_type) !== 'WEBRTC' || !str(input.sdp)) return [400, 'call_type WEBRTC and an sdp offer are required'];
    const offer = str(input.sdp);
    if (self.callUuid) model.endCall(conf, self);
    const sdp = (await media?.answer(conf.name, self.uuid, offer)) ?? plausibleAnswer(offer);
    const uuid = model.startWebrtcCall(conf, self);
    return [200, { status: 'success', result: { call_uuid: uuid, sdp } }];
  }
  if (self.callUuid !== callUuid) return failed(403, 'Invalid call');
  switch (action) {
    case 'new_candidate': {
      const input = parseJson(body);
      if (str(input.candidate)) await media?.addCandidate(self.uuid, str(input.candidate), typeof input.mid === 'string' ? input.mid : undefined);
      return [200, { status: 'success', result: null }];
    }
    case 'ack':
      return [200, { status: 'success', result: true }];
    case 'update': {
      const input = parseJson(body);
      const offer = str(input.sdp);
      if (!offer) return [200, { status: 'success', result: { call_uuid: callUuid, sdp: '' } }];
      const sdp = (await media?.answer(conf.name, self.uuid, offer)) ?? plausibleAnswer(offer);
      return [200, { status: 'success', result: { call_uuid: callUuid, sdp } }];
    }
    case 'statistics':
      return [200, { status: 'success', result: null }];
    case 'disconnect':
      model.endCall(conf, self);
      return [200, { status: 'success', result: null }];
    default:
      return failed(404, 'Not found');
  }
}

/** `participants/{uuid}/…`: calls and their legs, disconnect, and the host's mute controls. */
export async function participantRoute(ctx: ParticipantApiContext, conf: RunningConference, self: Participant, rest: string, body: string): Promise<RouteResult> {
  const m = /^participants\/([^/]+)\/(calls|[a-z_]+)(?:\/([^/]+)\/([a-z_]+))?$/.exec(rest);
  if (!m) return failed(404, 'Not found');
  const target = conf.participants.get(decodeURIComponent(m[1]!));
  if (!target || target.state === 'gone') return failed(403, 'Participant not found');
  const action = m[2]!;
  const mayControl = self.role === 'chair' || target === self;
  if (action === 'calls') {
    if (target !== self) return failed(403, 'Invalid token');
    return callRoute(ctx, conf, self, m[3] === undefined ? undefined : decodeURIComponent(m[3]), m[4], body);
  }
  if (m[3] !== undefined) return failed(404, 'Not found');
  if (action === 'disconnect') {
    if (!mayControl) return failed(403, 'Invalid role');
    ctx.model.leave(conf, target, target === self ? 'Participant disconnected' : 'Disconnected by another participant');
    return [200, { status: 'success', result: null }];
  }
  const flag = FLAG_ACTIONS[action];
  if (!flag) return failed(404, 'Not found');
  if (!mayControl) return failed(403, 'Invalid role');
  ctx.model.setFlag(conf, target, flag[0], flag[1]);
  if (flag[0] === 'isVideoMuted') ctx.media?.setVideoForwarding(target.uuid, !flag[1]);
  return [200, { status: 'success', result: true }];
}
