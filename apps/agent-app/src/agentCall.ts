import { legView, roomActions, type LegView, type RoomAction } from './callControl';
import { parseConfig, type AgentAppConfig } from './config';
import { apiFailure, GenesysFailure, signIn, type GenesysSession } from './genesys/client';
import { participantsOfConversation, participantsOfEvent, roomNameOf } from './genesys/participants';
import { joinSharedChannel, type BroadcastLike, type ChannelStatus, type SocketLike } from './genesys/sharedChannel';
import type { FailureKind, StatusKind } from './i18n';
import { parentAllowed, redirectUriOf, stateOf, type LaunchParse } from './launch';
import { lookUpRoom, type RoomToJoin } from './maxconf';
import { openCamera, stopStream } from './media/camera';
import { tapPeerConnections } from './media/peerConnectionTap';
import { joinRoom, type RoomSession } from './room/roomSession';

/**
 * The widget's flow, outside React: config → sign-in → conversation → room → follow the agent's
 * leg. It reports what the UI shows through `AgentCallView` updates; tokens and the PIN stay in
 * this closure.
 */

export interface AgentCallView {
  status?: StatusKind;
  failure?: { kind: FailureKind; detail: string };
  remoteStream?: MediaStream;
  localStream?: MediaStream;
  cameraHeld: boolean;
  cameraUserOff: boolean;
  citizenPaused: boolean;
  joinedAt?: number;
  peerConnection?: RTCPeerConnection;
  deviceId?: string;
}

export interface AgentCall {
  start(): void;
  retry(): void;
  setCameraOff(off: boolean): Promise<void>;
  chooseCamera(deviceId: string): Promise<void>;
  stop(): void;
}

const DEVICE_KEY = 'maxconf-agent-camera';

export function createAgentCall(launch: LaunchParse, href: string, update: (change: Partial<AgentCallView>) => void): AgentCall {
  let config: AgentAppConfig | undefined;
  let genesys: GenesysSession | undefined;
  let room: RoomToJoin | undefined;
  let session: RoomSession | undefined;
  let stream: MediaStream | undefined;
  let untap: (() => void) | undefined;
  let leaveChannel: (() => void) | undefined;
  let view: LegView = { phase: 'waiting' };
  let queue: Promise<void> = Promise.resolve();
  let cameraHeld = false;
  let cameraUserOff = false;
  let deviceId = localStorage.getItem(DEVICE_KEY) ?? undefined;
  let failed = false;
  let generation = 0;

  const fail = (kind: FailureKind, detail: string) => {
    failed = true;
    update({ failure: { kind, detail }, status: undefined });
  };
  const status = (s: StatusKind) => {
    if (!failed) update({ status: s });
  };

  async function loadConfig(): Promise<AgentAppConfig | undefined> {
    let response: Response;
    try {
      response = await fetch('./config.json', { cache: 'no-store', credentials: 'omit' });
    } catch {
      fail('config-missing', 'config.json: network error');
      return undefined;
    }
    const parsed = parseConfig(response.status, await response.text());
    if (!parsed.ok) {
      fail(parsed.kind, parsed.detail);
      return undefined;
    }
    return parsed.config;
  }

  async function follow(leg: LegView) {
    const actions = roomActions(view, leg);
    view = leg;
    for (const action of actions) queue = queue.then(() => apply(action)).catch(() => undefined);
    await queue;
  }

  async function readConversation(): Promise<unknown> {
    try {
      return await genesys!.getConversation(launch.context!.conversationId);
    } catch (error) {
      throw apiFailure('conversation', error);
    }
  }

  async function effectiveCamera() {
    if (!session) return;
    const wantOn = !cameraHeld && !cameraUserOff;
    if (wantOn && !stream) {
      const camera = await openCamera(deviceId);
      if (!camera.ok) return fail(camera.kind, camera.detail);
      stream = camera.stream;
      await session.setCamera(stream);
    } else if (!wantOn && stream) {
      await session.setCamera(undefined);
      stopStream(stream);
      stream = undefined;
    }
    update({ localStream: stream, cameraHeld, cameraUserOff });
  }

  async function apply(action: RoomAction): Promise<void> {
    if (failed && action.type !== 'leave') return;
    switch (action.type) {
      case 'join': {
        status('joining');
        const camera = await openCamera(deviceId);
        if (!camera.ok) return fail(camera.kind, camera.detail);
        stream = camera.stream;
        update({ localStream: stream });
        untap?.();
        untap = tapPeerConnections((pc) => update({ peerConnection: pc }));
        const joined = await joinRoom({
          nodeUrl: config!.conferenceNodeUrl,
          alias: room!.alias,
          pin: room!.pin,
          displayName: genesys!.userName,
          bandwidthKbps: config!.bandwidthKbps,
          stream,
          events: {
            onRemoteStream: (remote) => update({ remoteStream: remote }),
            onDropped: (reason) => {
              session = undefined;
              stopStream(stream);
              stream = undefined;
              fail('node-unreachable', `conference node: ${reason}`);
            },
          },
        });
        if (!joined.ok) {
          stopStream(stream);
          stream = undefined;
          return fail(joined.kind, joined.detail);
        }
        session = joined.session;
        update({ joinedAt: Date.now(), status: 'in-call' });
        return;
      }
      case 'citizenVideo':
        session?.setCitizenVideoPaused(action.paused);
        update({ citizenPaused: action.paused, status: action.paused ? 'on-hold' : 'in-call' });
        return;
      case 'cameraHeld':
        cameraHeld = action.held;
        await effectiveCamera();
        return;
      case 'sipAudio':
        session?.setSipMuted(action.muted);
        return;
      case 'leave': {
        const leaving = session;
        session = undefined;
        stopStream(stream);
        stream = undefined;
        untap?.();
        untap = undefined;
        update({ localStream: undefined, remoteStream: undefined, joinedAt: undefined, peerConnection: undefined, citizenPaused: false });
        await leaving?.leave().catch(() => undefined);
        if (!failed) update({ status: action.reason === 'transferred' ? 'left-transferred' : 'left-disconnected' });
        return;
      }
    }
  }

  async function run(mine: number) {
    failed = false;
    update({ failure: undefined, status: 'starting' });
    config ??= await loadConfig();
    if (!config || mine !== generation) return;
    const context = launch.context;
    if (!context) return fail('not-in-genesys', 'pcConversationId is missing or not a conversation id');
    if (!parentAllowed(context, config.genesys.allowedParentOrigin)) return fail('parent-not-allowed', `gcHostOrigin ${context.hostOrigin ?? ''}`);
    try {
      if (!genesys) {
        status('signing-in');
        try {
          genesys = await signIn(config, redirectUriOf(href), stateOf(context));
        } finally {
          // the OAuth answer (code, token or error) must not stay in the address or reach a server log on reload
          if (launch.oauth.kind !== 'none') history.replaceState(null, '', `${redirectUriOf(href)}?${stateOf(context)}`);
        }
      }
      status('finding-room');
      const conversation = await readConversation();
      const name = roomNameOf(conversation, config.videoQueueIds);
      if (!name.ok) return fail(name.kind, 'customer aniName');
      const lookup = await lookUpRoom(config.maxconfApiBase, name.name, genesys.accessToken);
      if (!lookup.ok) return fail(lookup.kind, lookup.detail);
      room = lookup.room;
      if (mine !== generation) return;
      leaveChannel?.();
      leaveChannel = joinChannel();
      // the leg as it is now; notifications then carry every change
      const leg = legView(participantsOfConversation(await readConversation()), genesys.userId);
      if (leg.phase === 'waiting') status('waiting-answer');
      await follow(leg);
    } catch (error) {
      if (error instanceof GenesysFailure) return fail(error.kind, error.detail);
      return fail('genesys-unavailable', error instanceof Error ? error.message : 'unexpected');
    }
  }

  function joinChannel(): () => void {
    const userId = genesys!.userId;
    return joinSharedChannel(
      {
        userId,
        api: genesys!.channels,
        openSocket: (uri) => new WebSocket(uri) as unknown as SocketLike,
        openBroadcast: (name) => new BroadcastChannel(name) as unknown as BroadcastLike,
        requestLock: async (name, whileLeader) => {
          if (!navigator.locks) return whileLeader();
          await navigator.locks.request(name, { mode: 'exclusive' }, whileLeader);
        },
        store: sessionStorage,
        now: () => Date.now(),
        setTimer: (fn, ms) => window.setTimeout(fn, ms),
        clearTimer: (handle) => window.clearTimeout(handle as number),
      },
      {
        onEvent: (message) => {
          const participants = participantsOfEvent(message.eventBody, launch.context!.conversationId);
          if (participants) void follow(legView(participants, userId));
        },
        onStatus: (s: ChannelStatus) => {
          if (s === 'failed') fail('notifications-failed', 'notification channel: reconnects failed');
          else if (s === 'reconnecting') status('reconnecting-notifications');
          else if (s === 'connected') restoreStatus();
        },
        onResync: () => {
          void readConversation()
            .then((c) => follow(legView(participantsOfConversation(c), userId)))
            .catch(() => undefined);
        },
      },
    );
  }

  function restoreStatus() {
    if (view.phase === 'live') status(view.onHold ? 'on-hold' : 'in-call');
    else if (view.phase === 'waiting') status('waiting-answer');
  }

  return {
    start() {
      generation += 1;
      void run(generation);
    },
    retry() {
      // a refused sign-in starts again from the widget's launch URL (no OAuth answer in it)
      if (!genesys && launch.context && launch.oauth.kind !== 'none') {
        location.replace(`${redirectUriOf(href)}?${stateOf(launch.context)}`);
        return;
      }
      if (session) return;
      view = { phase: 'waiting' };
      generation += 1;
      void run(generation);
    },
    async setCameraOff(off) {
      cameraUserOff = off;
      queue = queue.then(() => effectiveCamera()).catch(() => undefined);
      await queue;
    },
    async chooseCamera(id) {
      deviceId = id;
      localStorage.setItem(DEVICE_KEY, id);
      update({ deviceId: id });
      if (!stream || !session) return;
      queue = queue
        .then(async () => {
          const camera = await openCamera(id);
          if (!camera.ok) return fail(camera.kind, camera.detail);
          const old = stream;
          stream = camera.stream;
          await session?.setCamera(stream);
          stopStream(old);
          update({ localStream: stream });
        })
        .catch(() => undefined);
      await queue;
    },
    stop() {
      generation += 1;
      leaveChannel?.();
      void session?.leave();
      stopStream(stream);
      untap?.();
    },
  };
}
