import { ClientCallType, createCallSignals, createInfinityClient, createInfinityClientSignals, setLogger, type InfinityClient } from '@pexip/infinity';

/**
 * The citizen's leg in the Pexip room: a guest with camera and microphone. The guest PIN stays in
 * this closure; Pexip's client logger is replaced by one that keeps only warnings and errors,
 * without their data.
 */

export interface RoomEvents {
  onRemoteStream(stream: MediaStream): void;
  /** the leg ended without the citizen asking (network drop, node gone) */
  onDropped(reason: string): void;
}

export interface RoomLeg {
  setStream(stream: MediaStream): void;
  muteAudio(muted: boolean): Promise<void>;
  muteVideo(muted: boolean): Promise<void>;
  leave(): Promise<void>;
}

export type JoinFailure = 'node-unreachable' | 'room-ended' | 'link-invalid';
export type JoinResult = { ok: true; leg: RoomLeg } | { ok: false; kind: JoinFailure; detail: string };

function quietLogger() {
  const drop = () => undefined;
  const keep = (level: 'warn' | 'error') => (_meta: unknown, message?: string) => {
    if (message) console[level](`[pexip] ${message}`);
  };
  return { trace: drop, debug: drop, info: drop, warn: keep('warn'), error: keep('error'), fatal: keep('error'), silent: drop, addRedactPattern: drop, redact: (t: string) => t };
}

export async function joinAsGuest(options: { nodeUrl: string; alias: string; pin: string; displayName: string; bandwidthKbps: number; stream: MediaStream; events: RoomEvents }): Promise<JoinResult> {
  setLogger(quietLogger());
  const signals = createInfinityClientSignals([], { batchScheduleTimeoutMS: 100, batchBufferSize: 20 });
  const callSignals = createCallSignals([]);
  const client: InfinityClient = createInfinityClient(signals, callSignals);
  let leaving = false;
  callSignals.onRemoteStream.add((stream) => options.events.onRemoteStream(stream));
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
      callType: ClientCallType.AudioVideo,
      mediaStream: options.stream,
      node: node.host,
      host: node.origin,
      pin: options.pin,
    });
  } catch (error) {
    return { ok: false, kind: 'node-unreachable', detail: error instanceof Error ? error.message : 'request_token failed' };
  }
  if (!answer) return { ok: false, kind: 'node-unreachable', detail: 'request_token: no answer' };
  if (answer.status === 404) return { ok: false, kind: 'room-ended', detail: 'request_token: 404 on the conference node' };
  if (answer.status === 403) return { ok: false, kind: 'link-invalid', detail: 'request_token: 403' };
  if (answer.status !== 200) return { ok: false, kind: 'node-unreachable', detail: `request_token: HTTP ${answer.status}` };
  return {
    ok: true,
    leg: {
      setStream: (stream) => client.setStream(stream),
      muteAudio: async (muted) => {
        await client.mute({ mute: muted });
      },
      muteVideo: async (muted) => {
        await client.muteVideo({ muteVideo: muted });
      },
      async leave() {
        leaving = true;
        await client.disconnect({ reason: 'User initiated disconnect' });
      },
    },
  };
}
