import { randomBytes, randomUUID } from 'node:crypto';
import { clientParticipant, conferenceData, hostPresent, participantData } from './views';
import type { ModelOptions, MuteFlag, Participant, Role, RunningConference } from './types';
import { VmrStore, type NodeConfig } from './vmrs';

export type { ModelOptions, MuteFlag, Participant, Role, RunningConference, SinkEventName } from './types';
export type { NodeConfig, Vmr } from './vmrs';

/**
 * The running side of the simulated deployment: conferences on the nodes, their participants,
 * client tokens, SIP dial-outs; every change reported to the event sink (`options.emit`) and to
 * the conference's client-API listeners.
 */
export class PexipModel {
  readonly vmrs: VmrStore;
  readonly conferences = new Map<string, RunningConference>();
  private readonly tokens = new Map<string, { participant: string; conference: string; validUntil: number }>();
  private nodeTurn = 0;

  constructor(readonly options: ModelOptions) {
    this.vmrs = new VmrStore(options.clock, options);
  }

  private now(): number {
    return this.options.clock.now();
  }

  private conferenceFor(config: NodeConfig): RunningConference {
    let conf = this.conferences.get(config.name);
    if (!conf) {
      conf = { id: randomUUID(), name: config.name, tag: config.tag, startTime: this.now(), nodes: new Set(), participants: new Map(), listeners: new Set() };
      this.conferences.set(config.name, conf);
    }
    return conf;
  }

  private pickNode(): string {
    const node = this.options.nodes[this.nodeTurn % this.options.nodes.length] ?? '127.0.0.1';
    this.nodeTurn++;
    return node;
  }

  private broadcast(conf: RunningConference, event: string, data: unknown): void {
    for (const l of [...conf.listeners]) l(event, data);
  }

  /** A participant enters the conference with media: node events, waiting room, host rules. */
  private connect(conf: RunningConference, p: Participant): void {
    const hadHost = hostPresent(conf);
    p.state = 'connected';
    p.hasMedia = true;
    p.connectTime = this.options.clock.now();
    if (!conf.nodes.has(p.node)) {
      conf.nodes.add(p.node);
      this.options.emit(p.node, 'conference_started', conferenceData(conf, this.now()));
    }
    this.options.emit(p.node, 'participant_connected', participantData(conf, p));
    this.broadcast(conf, 'participant_create', clientParticipant(conf, p, this.now()));
    if (p.role === 'chair') {
      conf.lastHostTimer?.cancel();
      conf.lastHostTimer = undefined;
      if (!hadHost) {
        // the guests waiting for a host are let in: Pexip reports each one as updated
        for (const other of conf.participants.values()) {
          if (other !== p && other.role === 'guest' && other.state === 'connected') {
            this.options.emit(other.node, 'participant_updated', participantData(conf, other));
            this.broadcast(conf, 'participant_update', clientParticipant(conf, other, this.now()));
          }
        }
        for (const node of conf.nodes) this.options.emit(node, 'conference_updated', conferenceData(conf, this.now()));
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
      participantData(conf, p, {
        disconnect_reason: reason,
        duration: p.connectTime !== undefined ? Math.round((now - p.connectTime) / 1000) : 0,
        end_time: now / 1000,
        has_media: false,
      }),
    );
    this.broadcast(conf, 'participant_delete', { uuid: p.uuid });
    p.sipDialogue?.hangUp(reason);
    p.sipDialogue = undefined;
    this.options.onMediaEnd?.(p);

    const remaining = [...conf.participants.values()];
    if (remaining.length === 0 || remaining.every((r) => r.keepAlive === 'keep_conference_alive_never')) {
      this.endConference(conf, 'No participants can keep conference alive');
      return;
    }
    if (wasHost && !hostPresent(conf) && remaining.every((r) => r.role === 'guest')) {
      conf.lastHostTimer?.cancel();
      conf.lastHostTimer = this.options.clock.setTimer(this.options.lastHostTimeoutMs, () => {
        conf.lastHostTimer = undefined;
        if (!hostPresent(conf)) this.endConference(conf, 'All conference hosts departed hosted conference');
      });
      for (const other of remaining) {
        if (other.state === 'connected') this.options.emit(other.node, 'participant_updated', participantData(conf, other));
      }
    }
  }

  endConference(conf: RunningConference, reason: string): void {
    if (this.conferences.get(conf.name) !== conf) return;
    conf.lastHostTimer?.cancel();
    for (const p of [...conf.participants.values()]) this.leaveQuietly(conf, p, reason);
    this.conferences.delete(conf.name);
    for (const node of conf.nodes) this.options.emit(node, 'conference_ended', conferenceData(conf, this.now(), true));
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
    this.options.emit(p.node, 'participant_disconnected', participantData(conf, p, { disconnect_reason: reason, duration: p.connectTime !== undefined ? Math.round((now - p.connectTime) / 1000) : 0, end_time: now / 1000, has_media: false }));
    p.sipDialogue?.hangUp(reason);
    p.sipDialogue = undefined;
    this.options.onMediaEnd?.(p);
  }

  // ---- client REST API -------------------------------------------------------------------------

  requestToken(alias: string, pin: string | undefined, displayName: string, callTag: string):
    | { kind: 'not_found' }
    | { kind: 'pin_required'; guestPin: boolean }
    | { kind: 'invalid_pin' }
    | { kind: 'ok'; token: string; participant: Participant; conf: RunningConference } {
    const config = this.vmrs.nodeLookup(alias);
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
      isMuted: false,
      isVideoMuted: false,
      isClientMuted: false,
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
    const config = this.vmrs.nodeLookup(alias);
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
    else if (!p.hasMedia) {
      // a participant calling again after hanging up its media: the same participant, with media
      p.hasMedia = true;
      this.updated(conf, p);
    }
    return callUuid;
  }

  /**
   * The media call hangs up, the participant stays: on Pexip a participant lives until its token
   * is released or expires, so a later `release_token` (the browser's leave) still works.
   */
  endCall(conf: RunningConference, p: Participant): void {
    if (p.callUuid === undefined) return;
    p.callUuid = undefined;
    p.hasMedia = false;
    this.options.onMediaEnd?.(p);
    this.updated(conf, p);
  }

  /** A host's (or the participant's own) mute, video mute or client mute. */
  setFlag(conf: RunningConference, p: Participant, flag: MuteFlag, on: boolean): void {
    if (p[flag] === on) return;
    p[flag] = on;
    this.updated(conf, p);
  }

  private updated(conf: RunningConference, p: Participant): void {
    this.options.emit(p.node, 'participant_updated', participantData(conf, p));
    this.broadcast(conf, 'participant_update', clientParticipant(conf, p, this.now()));
  }

  addListener(conf: RunningConference, listener: (event: string, data: unknown) => void): () => void {
    conf.listeners.add(listener);
    return () => conf.listeners.delete(listener);
  }

  // ---- command API -----------------------------------------------------------------------------

  dial(input: { alias: string; destination: string; role: Role; displayName: string; remoteDisplayName: string; keepAlive: Participant['keepAlive']; userToUser: string | undefined; systemLocation: string }):
    | { kind: 'not_found' }
    | { kind: 'ok'; participantId: string } {
    const config = this.vmrs.nodeLookup(input.alias);
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
      isMuted: false,
      isVideoMuted: false,
      isClientMuted: false,
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
