import type { Logger } from '../../logging/logger';
import { PexipError } from './errors';
import type { PexipHttp } from './http';
import { CommandReply, ListEnvelope, PexipConferenceStatus, PexipParticipantStatus } from './models';

const COMMAND = '/api/admin/command/v1';
const STATUS = '/api/admin/status/v1';

export interface DialOutRequest {
  roomName: string;
  /** the session's UUI (hex with `;encoding=hex`), carried in one `User-to-User` SIP header */
  uui?: string;
}

export interface CallSettings {
  /** the Genesys SIP address Pexip dials */
  destination: string;
  systemLocation: string | undefined;
  /** false for conference nodes that refuse custom SIP headers: the room name alone correlates the call */
  uuiHeader: boolean;
}

/** Calls in running conferences: dial-out, disconnects, live participants. */
export interface PexipCalls {
  dialOut(request: DialOutRequest): Promise<{ participantId: string }>;
  /** A participant that is already gone counts as disconnected. */
  disconnectParticipant(participantId: string): Promise<'disconnected' | 'already_gone'>;
  /** Ends the running conference of a room; a room with no running conference is `not_running`. */
  disconnectConference(roomName: string): Promise<'disconnected' | 'not_running'>;
  listParticipants(roomName: string): Promise<PexipParticipantStatus[]>;
}

/** A UUI goes into a SIP header value: only the characters a UUI can hold, so no header can be injected. */
const UUI_PATTERN = /^[0-9A-Fa-f]{1,512}(;[A-Za-z0-9=._-]{1,64})*$/;

export function pexipCalls(http: PexipHttp, settings: () => CallSettings, logger: Logger): PexipCalls {
  const log = logger.child({ component: 'pexip-calls' });

  async function participantsOf(roomName: string): Promise<PexipParticipantStatus[]> {
    const reply = await http({ method: 'GET', path: `${STATUS}/participant/`, params: { conference: roomName, limit: 0 }, idempotent: true, operation: 'list participants' });
    if (reply.status !== 200) throw new PexipError('bad_request', `Pexip list participants: status ${reply.status}`, false, reply.status);
    const env = ListEnvelope.safeParse(reply.data);
    if (!env.success) throw new PexipError('invalid_response', 'Pexip participant list without envelope', true);
    return env.data.objects
      .map((o) => PexipParticipantStatus.safeParse(o))
      .flatMap((p) => (p.success ? [p.data] : []))
      .filter((p) => p.conference === roomName);
  }

  return {
    async dialOut({ roomName, uui }) {
      const { destination, systemLocation, uuiHeader } = settings();
      if (uui !== undefined && !UUI_PATTERN.test(uui)) throw new PexipError('bad_request', 'UUI has characters a SIP header cannot carry', false);
      const body: Record<string, unknown> = {
        conference_alias: roomName,
        destination,
        protocol: 'sip',
        role: 'chair',
        routing: 'manual',
        call_type: 'audio',
        local_display_name: roomName,
        remote_display_name: 'Genesys',
        keep_conference_alive: 'keep_conference_alive',
        streaming: false,
        ...(systemLocation ? { system_location: systemLocation } : {}),
        ...(uui && uuiHeader ? { custom_sip_headers: `User-to-User: ${uui}` } : {}),
      };
      const reply = await http({ method: 'POST', path: `${COMMAND}/participant/dial/`, data: body, idempotent: false, operation: 'dial out' });
      if (reply.status !== 200 && reply.status !== 201 && reply.status !== 202) {
        throw new PexipError(reply.status === 404 ? 'not_found' : 'bad_request', `Pexip refused the dial (${reply.status})`, false, reply.status);
      }
      const parsed = CommandReply.safeParse(reply.data);
      const participantId = parsed.success ? parsed.data.data?.participant_id : undefined;
      if (!parsed.success || parsed.data.status !== 'success' || !participantId) {
        throw new PexipError('invalid_response', 'Pexip dial reply without data.participant_id', false);
      }
      log.info({ room: roomName, participantId }, 'dial-out placed');
      return { participantId };
    },

    async disconnectParticipant(participantId) {
      const reply = await http({ method: 'POST', path: `${COMMAND}/participant/disconnect/`, data: { participant_id: participantId }, idempotent: true, operation: 'disconnect participant' });
      if (reply.status === 200 || reply.status === 202) return 'disconnected';
      if (reply.status === 404 || reply.status === 400) return 'already_gone';
      throw new PexipError('bad_request', `Pexip disconnect participant: status ${reply.status}`, false, reply.status);
    },

    async disconnectConference(roomName) {
      const found = await http({ method: 'GET', path: `${STATUS}/conference/`, params: { name: roomName }, idempotent: true, operation: 'find conference' });
      if (found.status !== 200) throw new PexipError('bad_request', `Pexip find conference: status ${found.status}`, false, found.status);
      const env = ListEnvelope.safeParse(found.data);
      if (!env.success) throw new PexipError('invalid_response', 'Pexip conference status without envelope', true);
      const running = env.data.objects.map((o) => PexipConferenceStatus.safeParse(o)).find((c) => c.success && c.data.name === roomName);
      if (!running?.success) return 'not_running';
      const reply = await http({ method: 'POST', path: `${COMMAND}/conference/disconnect/`, data: { conference_id: running.data.id }, idempotent: true, operation: 'disconnect conference' });
      if (reply.status === 200 || reply.status === 202) return 'disconnected';
      if (reply.status === 404 || reply.status === 400) return 'not_running';
      throw new PexipError('bad_request', `Pexip disconnect conference: status ${reply.status}`, false, reply.status);
    },

    listParticipants: participantsOf,
  };
}
