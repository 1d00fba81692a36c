import { citizenApi, type CitizenApi, type CitizenRoom, type CitizenSession } from './citizenApi';
import { endedWordingOf, pollDelayMs, rejoinDelayMs, retriesUnpropagatedRoom, screenOf, shownPosition, withinGrace, type CallScreen, type EndedWording } from './citizenState';
import { parseConfig, type CustomerAppConfig } from './config';
import type { FailureKind } from './i18n';
import type { JoinLink } from './link';
import { openDevices, stopStream, type DeviceChoice } from './media/devices';
import { tapPeerConnections } from '../../agent-app/src/media/peerConnectionTap';
import { joinAsGuest, type RoomLeg } from './room';
import { serviceStatus } from './serviceHours';

/**
 * The page's flow, outside React: settings → link → service hours → the session as it is → device
 * check → join → waiting / in call / reconnecting → ended. It reports what the UI shows through
 * `CitizenView` updates; the token and the guest PIN stay in this closure.
 */

export type Stage = 'starting' | 'closed' | 'check' | 'joining' | 'call' | 'failure';

export interface CitizenView {
  stage: Stage;
  failure?: { kind: FailureKind; detail: string };
  opensAt?: Date;
  config?: CustomerAppConfig;
  localStream?: MediaStream;
  remoteStream?: MediaStream;
  peerConnection?: RTCPeerConnection;
  session?: CitizenSession;
  position?: number;
  screen?: CallScreen;
  ended?: EndedWording;
  cameraOff: boolean;
  micMuted: boolean;
  leaving: boolean;
}

export interface CitizenCall {
  start(): void;
  retry(): void;
  chooseDevices(choice: DeviceChoice): Promise<void>;
  join(): Promise<void>;
  setCameraOff(off: boolean): Promise<void>;
  setMicMuted(muted: boolean): Promise<void>;
  leave(): Promise<void>;
  stop(): void;
}

export function createCitizenCall(link: JoinLink | undefined, update: (change: Partial<CitizenView>) => void): CitizenCall {
  let config: CustomerAppConfig | undefined;
  let api: CitizenApi | undefined;
  let room: CitizenRoom | undefined;
  let leg: RoomLeg | undefined;
  let stream: MediaStream | undefined;
  let choice: DeviceChoice = {};
  let untap: (() => void) | undefined;
  let pollTimer: number | undefined;
  let pollFailures = 0;
  let position: number | undefined;
  let session: CitizenSession | undefined;
  let droppedAt: number | undefined;
  let ended = false;
  let leaving = false;
  let cameraOff = false;
  let micMuted = false;

  const fail = (kind: FailureKind, detail: string) => {
    stopPolling();
    update({ stage: 'failure', failure: { kind, detail } });
  };
  const stopPolling = () => {
    if (pollTimer !== undefined) window.clearTimeout(pollTimer);
    pollTimer = undefined;
  };

  async function loadConfig(): Promise<CustomerAppConfig | undefined> {
    let response: Response;
    try {
      response = await fetch('./config.json', { cache: 'no-store', credentials: 'omit' });
    } catch {
      fail('config-missing', 'config.json: network error');
      return undefined;
    }
    const parsed = parseConfig(response.status, await response.text());
    if (!parsed.ok) return void fail(parsed.kind, parsed.detail);
    return parsed.config;
  }

  async function run() {
    update({ stage: 'starting', failure: undefined });
    config ??= await loadConfig();
    if (!config) return;
    update({ config });
    if (!link) return fail('link-invalid', 'the link has no alias and token');
    api ??= citizenApi(config.maxconfApiBase, link.token);
    const hours = serviceStatus(config.serviceHours, new Date());
    if (!hours.open) {
      update({ stage: 'closed', opensAt: hours.opensAt });
      return;
    }
    // the session as it is now: an old link shows how the call ended, not a device check
    const now = await api.session();
    if (!now.ok) return now.kind === 'rate-limited' ? later(run, pollDelayMs({ retryAfterSeconds: now.retryAfterSeconds })) : fail(now.kind, now.detail);
    if (now.value.phase === 'ended' || now.value.phase === 'ending') return finish(now.value.outcome);
    await openCheck();
  }

  function later(fn: () => unknown, ms: number) {
    window.setTimeout(() => void fn(), ms);
  }

  async function openCheck() {
    stopStream(stream);
    const opened = await openDevices(choice);
    if (!opened.ok) return fail(opened.kind, opened.detail);
    stream = opened.stream;
    applyToggles();
    update({ stage: 'check', localStream: stream, failure: undefined });
  }

  function applyToggles() {
    stream?.getVideoTracks().forEach((t) => (t.enabled = !cameraOff));
    stream?.getAudioTracks().forEach((t) => (t.enabled = !micMuted));
  }

  async function enterRoom(): Promise<{ ok: true } | { ok: false; kind: FailureKind; detail: string }> {
    if (!room) {
      const answer = await api!.room();
      if (!answer.ok) return { ok: false, kind: answer.kind === 'rate-limited' ? 'api-unavailable' : answer.kind, detail: answer.detail };
      room = answer.value;
    }
    untap?.();
    untap = tapPeerConnections((pc) => update({ peerConnection: pc }));
    const firstTryAt = Date.now();
    let joined: Awaited<ReturnType<typeof joinAsGuest>>;
    for (let attempt = 0; ; attempt++) {
      joined = await joinAsGuest({
        nodeUrl: `${new URL(config!.conferenceNodeUrl).protocol}//${room.conferenceNode}`,
        alias: room.alias,
        pin: room.guestPin,
        displayName: 'Citizen',
        bandwidthKbps: config!.bandwidthKbps,
        stream: stream!,
        events: { onRemoteStream: (remote) => update({ remoteStream: remote }), onDropped: (reason) => void dropped(reason) },
      });
      if (joined.ok || joined.kind !== 'room-ended') break;
      // a room just handed out may not have reached the node yet: ask MaxConf whether the session still runs
      const current = await api!.session();
      const sessionEnded = current.ok ? current.value.phase === 'ended' || current.value.phase === 'ending' : current.kind === 'room-ended';
      if (!retriesUnpropagatedRoom(firstTryAt, Date.now(), sessionEnded)) break;
      await new Promise((resolve) => window.setTimeout(resolve, rejoinDelayMs(attempt)));
    }
    if (!joined.ok) return joined;
    leg = joined.leg;
    if (cameraOff) await leg.muteVideo(true).catch(() => undefined);
    if (micMuted) await leg.muteAudio(true).catch(() => undefined);
    return { ok: true };
  }

  function show(s: CitizenSession) {
    session = s;
    position = s.phase === 'queued' || s.phase === 'reconnecting' ? shownPosition(position, s.position) : position;
    update({ session: s, position: s.phase === 'queued' ? position : undefined, screen: screenOf(s.phase, droppedAt !== undefined) });
  }

  async function poll() {
    pollTimer = undefined;
    if (ended || !api) return;
    const answer = await api.session();
    if (ended) return;
    if (answer.ok) {
      pollFailures = 0;
      if (answer.value.phase === 'ended' || answer.value.phase === 'ending') return finish(answer.value.outcome);
      show(answer.value);
      return schedule(pollDelayMs({ pollAfterSeconds: answer.value.pollAfterSeconds }));
    }
    if (answer.kind === 'room-ended') return finish(session?.outcome);
    pollFailures += 1;
    schedule(pollDelayMs(answer.kind === 'rate-limited' ? { retryAfterSeconds: answer.retryAfterSeconds, failures: pollFailures } : { failures: pollFailures }));
  }

  function schedule(ms: number) {
    stopPolling();
    if (!ended) pollTimer = window.setTimeout(() => void poll(), ms);
  }

  async function dropped(reason: string) {
    leg = undefined;
    if (ended || leaving) return;
    droppedAt ??= Date.now();
    update({ screen: 'reconnecting', remoteStream: undefined, peerConnection: undefined });
    for (let attempt = 1; !ended && !leaving; attempt += 1) {
      await new Promise((resolve) => window.setTimeout(resolve, rejoinDelayMs(attempt)));
      if (ended || leaving) return;
      if (!withinGrace(droppedAt, Date.now(), config!.reconnectGraceSeconds)) {
        return finish(undefined, true, `dropped: ${reason}`);
      }
      const again = await enterRoom();
      if (again.ok) {
        droppedAt = undefined;
        if (session) show(session);
        return schedule(0);
      }
      if (again.kind === 'room-ended' || again.kind === 'link-invalid' || again.kind === 'link-expired') return finish(undefined, true);
    }
  }

  async function finish(outcome: CitizenSession['outcome'], droppedPastGrace = false, _why?: string) {
    if (ended) return;
    ended = true;
    stopPolling();
    const wasDropped = droppedPastGrace;
    const closing = leg;
    leg = undefined;
    await closing?.leave().catch(() => undefined);
    stopStream(stream);
    stream = undefined;
    untap?.();
    let final = outcome;
    if (final === undefined && api) {
      // the page saw the end first: one read for the outcome the session recorded
      const last = await api.session();
      if (last.ok) final = last.value.outcome;
    }
    update({ stage: 'call', screen: 'ended', ended: endedWordingOf(final, wasDropped), localStream: undefined, remoteStream: undefined, peerConnection: undefined, leaving: false, position: undefined });
  }

  return {
    start() {
      void run();
    },
    retry() {
      if (leg) return;
      void run();
    },
    async chooseDevices(next) {
      choice = { ...choice, ...next };
      await openCheck();
      if (leg && stream) leg.setStream(stream);
    },
    async join() {
      if (!stream || leg) return;
      update({ stage: 'joining' });
      const entered = await enterRoom();
      if (!entered.ok) return fail(entered.kind, entered.detail);
      update({ stage: 'call', screen: 'waiting' });
      schedule(0);
    },
    async setCameraOff(off) {
      cameraOff = off;
      applyToggles();
      update({ cameraOff });
      await leg?.muteVideo(off).catch(() => undefined);
    },
    async setMicMuted(muted) {
      micMuted = muted;
      applyToggles();
      update({ micMuted });
      await leg?.muteAudio(muted).catch(() => undefined);
    },
    async leave() {
      if (ended || leaving) return;
      leaving = true;
      update({ leaving: true });
      // MaxConf first: the session ends at once instead of waiting out the reconnect grace
      const answer = await api?.leave();
      const outcome = answer?.ok ? answer.value?.outcome : undefined;
      await finish(outcome ?? 'citizen_left');
    },
    stop() {
      stopPolling();
      void leg?.leave();
      stopStream(stream);
      untap?.();
    },
  };
}
