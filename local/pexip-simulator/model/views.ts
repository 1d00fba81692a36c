import type { Participant, RunningConference } from './types';

/** How the APIs show the model: sink event data, client-API participant objects. */

export function hostPresent(conf: RunningConference): boolean {
  return [...conf.participants.values()].some((p) => p.role === 'chair' && p.state === 'connected');
}

export function serviceTypeOf(conf: RunningConference, p: Participant): string {
  return p.role === 'guest' && !hostPresent(conf) ? 'waiting_room' : 'conference';
}

export function conferenceData(conf: RunningConference, now: number, ended = false): Record<string, unknown> {
  return {
    name: conf.name,
    service_type: 'conference',
    tag: conf.tag,
    is_started: hostPresent(conf),
    is_locked: false,
    guests_muted: false,
    start_time: conf.startTime / 1000,
    ...(ended ? { end_time: now / 1000 } : {}),
  };
}

/** The sink's participant `data`. */
export function participantData(conf: RunningConference, p: Participant, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    uuid: p.uuid,
    conference: conf.name,
    display_name: p.displayName,
    role: p.role,
    call_direction: p.callDirection,
    protocol: p.protocol,
    source_alias: p.sourceAlias,
    destination_alias: p.destinationAlias,
    call_id: p.callUuid ?? '',
    conversation_id: p.uuid,
    call_tag: p.callTag,
    service_tag: conf.tag,
    service_type: serviceTypeOf(conf, p),
    connect_time: p.connectTime !== undefined ? p.connectTime / 1000 : null,
    has_media: p.hasMedia,
    is_muted: p.isMuted,
    is_video_muted: p.isVideoMuted,
    is_presenting: false,
    is_streaming: false,
    encryption: 'On',
    media_node: p.node,
    signalling_node: p.node,
    remote_address: p.protocol === 'SIP' ? '203.0.113.10' : '198.51.100.20',
    rx_bandwidth: 0,
    tx_bandwidth: 0,
    system_location: p.systemLocation,
    vendor: p.protocol === 'SIP' ? 'Genesys' : 'Pexip Infinity Connect',
    related_uuids: [],
    ...extra,
  };
}

/** Client-API participant object (fields @pexip/infinity-api requires). */
export function clientParticipant(conf: RunningConference, p: Participant, now: number): Record<string, unknown> {
  return {
    buzz_time: 0,
    call_direction: p.callDirection,
    disconnect_supported: 'YES',
    display_name: p.displayName,
    encryption: 'On',
    external_node_uuid: '',
    fecc_supported: 'NO',
    has_media: p.hasMedia,
    is_audio_only_call: p.protocol === 'SIP' ? 'YES' : 'NO',
    is_external: false,
    is_muted: p.isMuted ? 'YES' : 'NO',
    is_client_muted: p.isClientMuted,
    is_presenting: 'NO',
    is_streaming_conference: false,
    is_video_call: p.protocol === 'SIP' ? 'NO' : 'YES',
    is_video_muted: p.isVideoMuted,
    is_video_silent: false,
    local_alias: conf.name,
    mute_supported: 'YES',
    overlay_text: p.displayName,
    protocol: p.protocol === 'WebRTC' ? 'webrtc' : p.protocol.toLowerCase(),
    role: p.role === 'chair' ? 'chair' : 'guest',
    rx_presentation_policy: 'ALLOW',
    spotlight: 0,
    start_time: Math.floor((p.connectTime ?? now) / 1000),
    supports_direct_chat: false,
    transfer_supported: 'YES',
    uuid: p.uuid,
    can_receive_personal_mix: false,
    receive_from_video_mix: { mix_name: 'main', timestamp: Math.floor(now / 1000) },
    service_type: serviceTypeOf(conf, p),
  };
}
