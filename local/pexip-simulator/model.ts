import { randomBytes, randomUUID } from 'node:crypto';
import type { SipDestination, SipDialogue } from '../../src/contracts/sip';
import type { SimClock } from './clock';

/** A VMR as the configuration API stores it. */
export interface Vmr {
  id: number;
  name: string;
  service_type: string;
  allow_guests: boolean;
  pin: string;
  guest_pin: string;
  tag: string;
  description: string;
  aliases: { id: number; alias: string; conference: string; creation_time: string; description: string }[];
  creation_time: string;
  resource_uri: string;
  /**
   * What the conference nodes know about this VMR: each configuration change reaches them only
   * after the propagation delay, so a join on a fresh room (or with a just-changed PIN) fails
   * exactly as it does on Pexip.
   */
  nodeHistory: { visibleAt: number; config: NodeConfig | undefined }[];
}

export interface NodeConfig {
  name: string;
  aliases: string[];
  pin: string;
  guest_pin: string;
  allow_guests: boolean;
  tag: string;
}

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
}

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
}

export class PexipModel {
  readonly vmrs = new Map<number, Vmr>();
  readonly conferences = new Map<string, RunningConference>();
  private readonly tokens = new Map<string, { participant: string; conference: string; validUntil: number }>();
  private nextId = 1;
  private nextAliasId = 1;
  private nodeTurn = 0;

  constructor(readonly options: ModelOptions) {}

  private iso(ms: number): string {
    return new Date(ms).toISOString().replace('Z', '');
  }

  private nodeConfigOf(vmr: Vmr): NodeConfig {
    return {
      name: vmr.name,
      aliases: vmr.aliases.map((a) => a.alias),
      pin: vmr.pin,
      guest_pin: vmr.guest_pin,
      allow_guests: vmr.allow_guests,
      tag: vmr.tag,
    };
  }

  private recordConfig(vmr: Vmr, config: NodeConfig | undefined): void {
    vmr.nodeHistory.push({ visibleAt: this.options.clock.now() + this.options.propagationDelayMs, config });
  }

  // ---- configuration API ----------------------------------------------------------------------

  findByName(name: string): Vmr | undefined {
    for (const v of this.vmrs.values()) if (v.name === name) return v;
    return undefined;
  }

  aliasTaken(alias: string): boolean {
    for (const v of this.vmrs.values()) if (v.name === alias || v.aliases.some((a) => a.alias === alias)) return true;
    return false;
  }

  createVmr(input: { name: string; pin: string; guest_pin: string; allow_guests: boolean; tag: string; description: string; service_type: string; aliases: string[] }): Vmr {
    const id = this.nextId++;
    const now = this.options.clock.now();
    const resource = `/api/admin/configuration/v1/conference/${id}/`;
    const vmr: Vmr = {
      id,
      name: input.name,
      service_type: input.service_type,
      allow_guests: input.allow_guests,
      pin: input.pin,
      guest_pin: input.guest_pin,
      tag: input.tag,
      description: input.description,
      aliases: input.aliases.map((alias) => ({ id: this.nextAliasId++, alias, conference: resource, creation_time: this.iso(now), description: '' })),
      creation_time: this.iso(now),
      resource_uri: resource,
      nodeHistory: [],
    };
    this.vmrs.set(id, vmr);
    this.recordConfig(vmr, this.nodeConfigOf(vmr));
    return vmr;
  }

  updateVmr(vmr: Vmr, patch: Partial<Pick<Vmr, 'tag' | 'pin' | 'guest_pin' | 'allow_guests' | 'description'>>): void {
    Object.assign(vmr, patch);
    this.recordConfig(vmr, this.nodeConfigOf(vmr));
  }

  deleteVmr(vmr: Vmr): void {
    this.vmrs.delete(vmr.id);
    // the nodes keep serving the deleted room until the change reaches them
    const ghost = { ...vmr, id: -vmr.id, nodeHistory: [...vmr.nodeHistory] };
    this.recordConfig(ghost, undefined);
    this.ghosts.push(ghost);
  }

  private ghosts: Vmr[] = [];

  /** The VMR a conferencing node would route this alias to right now. */
  nodeLookup(alias: string): NodeConfig | undefined {
    const now = this.options.clock.now();
    for (const v of [...this.vmrs.values(), ...this.ghosts]) {
      const visible = v.nodeHistory.filter((h) => h.visibleAt <= now);
      const config = visible[visible.length - 1]?.config;
      if (config && (config.name === alias || config.aliases.includes(alias))) return config;
    }
    return undefined;
  }

  // ---- conferences -----------------------------------------------------------------------------

  private conferenceFor(config: NodeConfig): RunningConference {
    let conf = this.conferences.get(config.name);
    if (!conf) {
      conf = { id: randomUUID(), name: config.name, tag: config.tag, startTime: this.options.clock.now(), nodes: new Set(), participants: new Map(), listeners: new Set() };
      this.conferences.set(config.name, conf);
    }
    return conf;
  }

  private pickNode(): string {
    const node = this.options.nodes[this.nodeTurn % this.options.nodes.length] ?? '127.0.0.1';
    this.nodeTurn++;
    return node;
  }

  hostPresent(conf: RunningConference): boolean {
    return [...conf.participants.values()].some((p) => p.role === 'chair' && p.state === 'connected');
  }

  conferenceData(conf: RunningConference, ended = false): Record<string, unknown> {
    return {
      name: conf.name,
      service_type: 'conference',
      tag: conf.tag,
      is_started: this.hostPresent(conf),
      is_locked: false,
      guests_muted: false,
      start_time: conf.startTime / 1000,
      ...(ended ? { end_time: this.options.clock.now() / 1000 } : {}),
    };
  }

  serviceTypeOf(conf: RunningConference, p: Participant): string {
    return p.role === 'guest' && !this.hostPresent(conf) ? 'waiting_room' : 'conference';
  }

  participantData(conf: RunningConference, p: Participant, extra: Record<string, unknown> = {}): Record<string, unknown> {
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
      service_type: this.serviceTypeOf(conf, p),
      connect_time: p.connectTime !== undefined ? p.connectTime / 1000 : null,
      has_media: p.hasMedia,
      is_muted: false,
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
  clientParticipant(conf: RunningConference, p: Participant): Record<string, unknown> {
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
      is_muted: 'NO',
      is_presenting: 'NO',
      is_streaming_conference: false,
      is_video_call: p.protocol === 'SIP' ? 'NO' : 'YES',
      is_video_muted: false,
      is_video_silent: false,
      local_alias: conf.name,
      mute_supported: 'YES',
      overlay_text: p.displayName,
      protocol: p.protocol === 'WebRTC' ? 'webrtc' : p.protocol.toLowerCase(),
      role: p.role === 'chair' ? 'chair' : 'guest',
      rx_presentation_policy: 'ALLOW',
      spotlight: 0,
      start_time: Math.floor((p.connectTime ?? this.options.clock.now()) / 1000),
      supports_direct_chat: false,
      transfer_supported: 'YES',
      uuid: p.uuid,
      can_receive_personal_mix: false,
      receive_from_video_mix: true,
      service_type: this.serviceTypeOf(conf, p),
    };
  }

  private broadcast(conf: RunningConference, event: string, data: unknown): void {
    for (const l of [...conf.listeners]) l(event, data);
  }

  /** A participant enters the conference with media: node events, waiting room, host rules. */
  private connect(conf: RunningConference, p: Participant): void {
    const hadHost = this.hostPresent(conf);
    p.state = 'connected';
    p.hasMedia = true;
    p.connectTime = this.options.clock.now();
    if (!conf.nodes.has(p.node)) {
      conf.nodes.add(p.node);
      this.options.emit(p.node, 'conference_started', this.conferenceData(conf));
    }
    this.options.emit(p.node, 'participant_connected', this.participantData(conf, p));
    this.broadcast(conf, 'participant_create', this.clientParticipant(conf, p));
    if (p.role === 'chair') {
      conf.lastHostTimer?.cancel();
      conf.lastHostTimer = undefined;
      if (!hadHost) {
        // the guests waiting for a host are let in: Pexip reports each one as updated
        for (const other of conf.participants.values()) {
          if (other !== p && other.role === 'guest' && other.state === 'connected') {
            this.options.emit(other.node, 'participant_updated', this.participantData(conf, other));
            this.broadcast(conf, 'participant_update', this.clientParticipant(conf, other));
          }
        }
        for (const node of conf.nodes) this.options.emit(node, 'conference_updated', this.conferenceData(conf));
      }
    }
  }

  /** Removes a participant; applies the conference-ending rules. */
  leave(conf: RunningConference, p: Participant, reason: string): void {
    if (p.state === 'gone') return;
    const wasConnected = p.state === 'connected';
    const wasHost = p.role === 'chair' && wasConnected;
    p.state = 'gone';
    p.tokenTimer?.cancel();
    if (p.token) this.tokens.delete(p.token);
    conf.participants.delete(p.uuid);
    const now = this.options.clock.now();
    this.options.emit(
      p.node,
      'participant_disconnected',
      this.participantData(conf, p, {
        disconnect_reason: reason,
        duration: p.connectTime !== undefined ? Math.round((now - p.connectTime) / 1000) : 0,
        end_time: now / 1000,
        has_media: false,
      }),
    );
    this.broadcast(conf, 'participant_delete', { uuid: p.uuid });
    p.sipDialogue?.hangUp(reason);
    p.sipDialogue = undefined;

    const remaining = [...conf.participants.values()];
    if (remaining.length === 0 || remaining.every((r) => r.keepAlive === 'keep_conference_alive_never')) {
      this.endConference(conf, 'No participants can keep conference alive');
      return;
    }
    if (wasHost && !this.hostPresent(conf) && remaining.every((r) => r.role === 'guest')) {
      conf.lastHostTimer?.cancel();
      conf.lastHostTimer = this.options.clock.setTimer(this.options.lastHostTimeoutMs, () => {
        conf.lastHostTimer = undefined;
        if (!this.hostPresent(conf)) this.endConference(conf, 'All conference hosts departed hosted conference');
      });
      for (const other of remaining) {
        if (other.state === 'connected') this.options.emit(other.node, 'participant_updated', this.participantData(conf, other));
      }
    }
  }

  endConference(conf: RunningConference, reason: string): void {
    if (this.conferences.get(conf.name) !== conf) return;
    conf.lastHostTimer?.cancel();
    for (const p of [...conf.participants.values()]) this.leaveQuietly(conf, p, reason);
    this.conferences.delete(conf.name);
    for (const node of conf.nodes) this.options.emit(node, 'conference_ended', this.conferenceData(conf, true));
    this.broadcast(conf, 'disconnect', { reason });
    conf.listeners.clear();
  }

  private leaveQuietly(conf: RunningConference, p: Participant, reason: string): void {
    if (p.state === 'gone') return;
    p.state = 'gone';
    p.tokenTimer?.cancel();
    if (p.token) this.tokens.delete(p.token);
    conf.participants.delete(p.uuid);
    const now = this.options.clock.now();
    this.options.emit(p.node, 'participant_disconnected', this.participantData(conf, p, { disconnect_reason: reason, duration: p.connectTime !== undefined ? Math.round((now - p.connectTime) / 1000) : 0, end_time: now / 1000, has_media: false }));
    p.sipDialogue?.hangUp(reason);
    p.sipDialogue = undefined;
  }

  // ---- client REST API -------------------------------------------------------------------------

  requestToken(alias: string, pin: string | undefined, displayName: string, callTag: string):
    | { kind: 'not_found' }
    | { kind: 'pin_required'; guestPin: boolean }
    | { kind: 'invalid_pin' }
    | { kind: 'ok'; token: string; participant: Participant; conf: RunningConference } {
    const config = this.nodeLookup(alias);
    if (!config) return { kind: 'not_found' };
    let role: Role;
    if (config.pin && pin === undefined) return { kind: 'pin_required', guestPin: config.allow_guests && config.guest_pin !== '' };
    if (!config.pin || pin === config.pin) role = 'chair';
    else if (config.allow_guests && config.guest_pin && pin === config.guest_pin) role = 'guest';
    else return { kind: 'invalid_pin' };
    const conf = this.conferenceFor(config);
    const p: Participant = {
      uuid: randomUUID(),
      conference: conf.name,
      node: this.pickNode(),
      displayName,
      role,
      callDirection: 'in',
      protocol: 'WebRTC',
      sourceAlias: displayName,
      destinationAlias: alias,
      callTag,
      connectTime: undefined,
      callUuid: undefined,
      hasMedia: false,
      keepAlive: 'keep_conference_alive',
      state: 'dialing',
      systemLocation: 'simulated-location',
    };
    conf.participants.set(p.uuid, p);
    const token = this.issueToken(conf, p);
    return { kind: 'ok', token, participant: p, conf };
  }

  private issueToken(conf: RunningConference, p: Participant): string {
    if (p.token) this.tokens.delete(p.token);
    const token = randomBytes(24).toString('base64url');
    const lifetimeMs = this.options.tokenExpiresSeconds * 1000;
    this.tokens.set(token, { participant: p.uuid, conference: conf.name, validUntil: this.options.clock.now() + lifetimeMs });
    p.token = token;
    p.tokenTimer?.cancel();
    p.tokenTimer = this.options.clock.setTimer(lifetimeMs, () => {
      const current = this.conferences.get(conf.name);
      if (current && p.state !== 'gone') {
        this.broadcast(conf, 'disconnect', { reason: 'Timer expired awaiting token refresh' });
        this.leave(current, p, 'Timer expired awaiting token refresh');
      }
    });
    return token;
  }

  /** The participant a client token belongs to, if the token is current. */
  byToken(alias: string, token: string | undefined): { conf: RunningConference; participant: Participant } | undefined {
    if (!token) return undefined;
    const entry = this.tokens.get(token);
    if (!entry || entry.validUntil < this.options.clock.now()) return undefined;
    const conf = this.conferences.get(entry.conference);
    const participant = conf?.participants.get(entry.participant);
    if (!conf || !participant || participant.state === 'gone') return undefined;
    const config = this.nodeLookup(alias);
    if (config && config.name !== conf.name) return undefined;
    return { conf, participant };
  }

  refreshToken(conf: RunningConference, p: Participant): string {
    return this.issueToken(conf, p);
  }

  startWebrtcCall(conf: RunningConference, p: Participant): string {
    const callUuid = randomUUID();
    p.callUuid = callUuid;
    if (p.state !== 'connected') this.connect(conf, p);
    return callUuid;
  }

  addListener(conf: RunningConference, listener: (event: string, data: unknown) => void): () => void {
    conf.listeners.add(listener);
    return () => conf.listeners.delete(listener);
  }

  // ---- command API -----------------------------------------------------------------------------

  dial(input: { alias: string; destination: string; role: Role; displayName: string; remoteDisplayName: string; keepAlive: Participant['keepAlive']; userToUser: string | undefined; systemLocation: string }):
    | { kind: 'not_found' }
    | { kind: 'ok'; participantId: string } {
    const config = this.nodeLookup(input.alias);
    if (!config) return { kind: 'not_found' };
    const conf = this.conferenceFor(config);
    const p: Participant = {
      uuid: randomUUID(),
      conference: conf.name,
      node: this.pickNode(),
      displayName: input.remoteDisplayName || input.destination,
      role: input.role,
      callDirection: 'out',
      protocol: 'SIP',
      sourceAlias: input.alias,
      destinationAlias: input.destination,
      callTag: '',
      connectTime: undefined,
      callUuid: randomUUID(),
      hasMedia: false,
      keepAlive: input.keepAlive,
      state: 'dialing',
      systemLocation: input.systemLocation,
    };
    conf.participants.set(p.uuid, p);
    const destination = this.options.sipDestination;
    const invite = {
      callId: p.callUuid ?? randomUUID(),
      fromUri: `sip:${input.alias}@${this.options.nodeHostname}`,
      fromDisplayName: input.displayName,
      toUri: input.destination.startsWith('sip') ? input.destination : `sip:${input.destination}`,
      ...(input.userToUser ? { userToUser: input.userToUser } : {}),
    };
    const caller = {
      remoteHangUp: (reason: string) => {
        const current = this.conferences.get(conf.name);
        if (current && p.state !== 'gone') {
          p.sipDialogue = undefined;
          this.leave(current, p, `Call disconnected by remote: ${reason}`);
        }
      },
    };
    const outcome = destination
      ? destination.invite(invite, caller)
      : Promise.resolve({ answered: true as const, dialogue: { hangUp: () => undefined } });
    outcome.then(
      (result) => {
        const current = this.conferences.get(conf.name);
        if (!current || p.state === 'gone') {
          if (result.answered) result.dialogue.hangUp('caller gone');
          return;
        }
        if (result.answered) {
          p.sipDialogue = result.dialogue;
          this.connect(current, p);
        } else {
          this.leave(current, p, `Call rejected (${result.status} ${result.reason})`);
        }
      },
      (error: unknown) => {
        const current = this.conferences.get(conf.name);
        if (current) this.leave(current, p, `Call failed: ${(error as Error).message}`);
      },
    );
    return { kind: 'ok', participantId: p.uuid };
  }

  findParticipant(uuid: string): { conf: RunningConference; participant: Participant } | undefined {
    for (const conf of this.conferences.values()) {
      const participant = conf.participants.get(uuid);
      if (participant) return { conf, participant };
    }
    return undefined;
  }

  conferenceById(id: string): RunningConference | undefined {
    for (const conf of this.conferences.values()) if (conf.id === id) return conf;
    return undefined;
  }
}
