import { parseJson, str, type RouteResult } from '../http';
import type { Participant, PexipModel } from '../model';

const KEEP_ALIVE = ['keep_conference_alive', 'keep_conference_alive_if_multiple', 'keep_conference_alive_never'];

/** The command API: dial out, disconnect a participant, end a conference. */
export function commandRoute(model: PexipModel, path: string, body: string): RouteResult {
  const input = parseJson(body);
  if (path === '/api/admin/command/v1/participant/dial/') {
    const alias = str(input.conference_alias);
    const destination = str(input.destination);
    if (!alias || !destination) return [400, { status: 'failed', error: 'conference_alias and destination are required' }];
    if (!input.system_location && !input.node) return [400, { status: 'failed', error: 'system_location or node is required' }];
    const role = str(input.role, 'guest');
    if (role !== 'guest' && role !== 'chair') return [400, { status: 'failed', error: 'role must be guest or chair' }];
    const keep = str(input.keep_conference_alive, 'keep_conference_alive');
    if (!KEEP_ALIVE.includes(keep)) return [400, { status: 'failed', error: 'invalid keep_conference_alive' }];
    const headers = str(input.custom_sip_headers);
    const uui = /(?:^|\r?\n)User-to-User:\s*([^\r\n]+)/i.exec(headers)?.[1]?.trim();
    const result = model.dial({
      alias,
      destination,
      role,
      displayName: str(input.local_display_name, alias),
      remoteDisplayName: str(input.remote_display_name),
      keepAlive: keep as Participant['keepAlive'],
      userToUser: uui,
      systemLocation: str(input.system_location, 'simulated-location'),
    });
    if (result.kind === 'not_found') return [400, { status: 'failed', error: 'Conference alias not found' }];
    return [202, { status: 'success', data: { participant_id: result.participantId, participant_ids: [result.participantId] } }];
  }
  if (path === '/api/admin/command/v1/participant/disconnect/') {
    const found = model.findParticipant(str(input.participant_id));
    if (!found) return [404, { status: 'failed', error: 'Participant not found' }];
    model.leave(found.conf, found.participant, 'Disconnected by an administrator');
    return [200, { status: 'success', data: null }];
  }
  if (path === '/api/admin/command/v1/conference/disconnect/') {
    const conf = model.conferenceById(str(input.conference_id));
    if (!conf) return [404, { status: 'failed', error: 'Conference not found' }];
    model.endConference(conf, 'Conference terminated by an administrator');
    return [200, { status: 'success', data: null }];
  }
  return [404, ''];
}
