import type { SipDestination, SipDialogue } from '../../../src/contracts/sip';
import type { SimClock } from '../clock';

export type Role = 'chair' | 'guest';

export interface Participant {
  uuid: string;
  conference: string;
  node: string;
  displayName: string;
  role: Role;
  callDirection: 'in' | 'out';
  protocol: 'WebRTC' | 'SIP' | 'API';
  sourceAlias: string;
  destinationAlias: string;
  callTag: string;
  connectTime: number | undefined;
  /** the WebRTC call or SIP dialogue */
  callUuid: string | undefined;
  hasMedia: boolean;
  /** SIP dial-out legs say whether they keep the conference alive */
  keepAlive: 'keep_conference_alive' | 'keep_conference_alive_if_multiple' | 'keep_conference_alive_never';
  state: 'dialing' | 'connected' | 'gone';
  /** client API participants: current token and its expiry timer */
  token?: string;
  tokenTimer?: { cancel(): void };
  sipDialogue?: SipDialogue;
  systemLocation: string;
  /** muted by a host (`…/mute`): the node stops mixing its audio */
  isMuted: boolean;
  /** `…/video_muted`: the node stops forwarding its video */
  isVideoMuted: boolean;
  /** `…/client_mute`: the client is told to mute itself */
  isClientMuted: boolean;
}

/** The host-controllable flags of a participant, by the client API action that sets them. */
export type MuteFlag = 'isMuted' | 'isVideoMuted' | 'isClientMuted';

export interface RunningConference {
  id: string;
  name: string;
  tag: string;
  startTime: number;
  /** nodes that have announced `conference_started` for this instance */
  nodes: Set<string>;
  participants: Map<string, Participant>;
  lastHostTimer?: { cancel(): void };
  /** SSE listeners of this conference (one per client participant) */
  listeners: Set<(event: string, data: unknown) => void>;
}

export type SinkEventName =
  | 'conference_started'
  | 'conference_updated'
  | 'conference_ended'
  | 'participant_connected'
  | 'participant_updated'
  | 'participant_disconnected';

export interface ModelOptions {
  clock: SimClock;
  propagationDelayMs: number;
  tokenExpiresSeconds: number;
  lastHostTimeoutMs: number;
  nodes: string[];
  nodeHostname: string;
  sipDestination: SipDestination | undefined;
  emit(node: string, event: SinkEventName, data: Record<string, unknown>): void;
  /** a participant's media call ended (hung up, or the participant left): its WebRTC peer goes */
  onMediaEnd?(participant: Participant): void;
}
