import {
  ClientCallType,
  createCallSignals,
  createInfinityClient,
  createInfinityClientSignals,
  setLogger,
  type InfinityClient,
  type Participant,
} from '@pexip/infinity';
import type { FailureKind } from '../i18n';

/**
 * The agent's leg in the Pexip room: video only, as host. The room's state the call asks for
 * (citizen video paused, SIP leg muted) is kept as a wish and reconciled with the roster on every
 * change, so a participant that joins late or a request that fails is brought in line next time.
 */

export interface RoomEvents {
  onRemoteStream(stream: MediaStream): void;
  /** the room ended this agent's leg (not at the agent's request) */
  onDropped(reason: string): void;
}

export interface RoomSession {
  setCitizenVideoPaused(paused: boolean): void;
  setSipMuted(muted: boolean): void;
  /** camera on with this stream, or off (video-muted in the room; the caller stops the tracks) */
  setCamera(stream: MediaStream | undefined): Promise<void>;
  leave(): Promise<void>;
}

export type JoinResult = { ok: true; session: RoomSession } | { ok: false; kind: FailureKind; detail: string };

/** Pexip's client logs requests; the widget keeps only warnings and errors, without their data. */
function quietLogger() {
  const drop = () => undefined;
  const keep = (level: 'warn' | 'error') => (_meta: unknown, message?: string) => {
    if (message) console[level](`[pexip] ${message}`);
  };
  return { trace: drop, debug: drop, info: drop, warn: keep('warn'), error: keep('error'), fatal: keep('error'), silent: drop, addRedactPattern: drop, redact: (t: string) => t };
}

/** The Genesys SIP leg is the participant Pexip dialled out over SIP. */
export function isSipLeg(p: Participant): boolean {
  return p.protocol === 'sip' && p.rawData.call_direction === 'out';
}

export async function joinRoom(options: {
  nodeUrl: string;
  alias: string;
  pin: string;
  displayName: string;
  bandwidthKbps: number;
  stream: MediaStream;
  events: RoomEvents;
}): Promise<JoinResult> {
  setLogger(quietLogger());
  const signals = createInfinityClientSignals([], { batchScheduleTimeoutMS: 100, batchBufferSize: 20 });
  const callSignals = createCallSignals([]);
  const client: InfinityClient = createInfinityClient(signals, callSignals);
  const wish = { citizenPaused: false, sipMuted: false };
  const inFlight = new Set<string>();
  let leaving = false;

  const reconcile = () => {
    const me = client.getMe();
    for (const p of client.getParticipants('main')) {
      if (p.uuid === me?.uuid) continue;
      if (isSipLeg(p)) {
        if (p.isMuted !== wish.sipMuted) request(`mute:${p.uuid}`, () => client.mute({ mute: wish.sipMuted, participantUuid: p.uuid }));
      } else if (p.protocol !== 'sip' && p.callType !== 'audio') {
        if (p.isCameraMuted !== wish.citizenPaused) request(`video:${p.uuid}`, () => client.muteVideo({ muteVideo: wish.citizenPaused, participantUuid: p.uuid }));
      }
    }
  };
  const request = (key: string, send: () => Promise<unknown>) => {
    if (inFlight.has(key)) return;
    inFlight.add(key);
    void send()
      .catch(() => undefined)
      .finally(() => inFlight.delete(key));
  };

  callSignals.onRemoteStream.add((stream) => options.events.onRemoteStream(stream));
  signals.onParticipants.add(() => reconcile());
  signals.onParticipantJoined.add(() => reconcile());
  signals.onParticipantUpdated.add(() => reconcile());
  signals.onDisconnected.add(({ error }) => {
    if (!leaving) options.events.onDropped(error);
  });

  const node = new URL(options.nodeUrl);
  let answer: Awaited<ReturnType<InfinityClient['call']>>;
  try {
    answer = await client.call({
      conferenceAlias: options.alias,
      displayName: options.displayName,
      bandwidth: options.bandwidthKbps,
      callType: ClientCallType.Video,
      mediaStream: options.stream,
      node: node.host,
      host: node.origin,
      pin: options.pin,
    });
  } catch (error) {
    return { ok: false, kind: 'node-unreachable', detail: error instanceof Error ? error.message : 'request_token failed' };
  }
  if (!answer) return { ok: false, kind: 'node-unreachable', detail: 'request_token: no answer' };
  if (answer.status === 403) return { ok: false, kind: 'node-refused', detail: 'request_token: 403' };
  if (answer.status === 404) return { ok: false, kind: 'room-not-found', detail: 'request_token: 404 on the conference node' };
  if (answer.status !== 200) return { ok: false, kind: 'node-unreachable', detail: `request_token: HTTP ${answer.status}` };

  return {
    ok: true,
    session: {
      setCitizenVideoPaused(paused) {
        wish.citizenPaused = paused;
        reconcile();
      },
      setSipMuted(muted) {
        wish.sipMuted = muted;
        reconcile();
      },
      async setCamera(stream) {
        if (stream) {
          client.setStream(stream);
          await client.muteVideo({ muteVideo: false });
        } else {
          await client.muteVideo({ muteVideo: true });
        }
      },
      async leave() {
        leaving = true;
        // releases the token: the participant leaves the room at once, not when the token expires
        await client.disconnect({ reason: 'User initiated disconnect' });
      },
    },
  };
}
