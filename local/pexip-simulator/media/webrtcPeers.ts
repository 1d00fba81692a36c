import {
  RTCPeerConnection,
  RtcpPayloadSpecificFeedback,
  useOPUS,
  useVP8,
  type RTCRtpTransceiver,
  type RtcpPacket,
  type RtpPacket,
} from 'werift';
import type { MediaPeers, PeerView, ReceivedMedia } from './types';

/**
 * One werift peer per participant's call, the way this machine's network allows: no STUN (the
 * default public server would leave the answer without candidates), IPv4 with loopback added,
 * VP8 and Opus only (werift does not transcode, so every leg must agree on one codec).
 */
function newPeerConnection(): RTCPeerConnection {
  return new RTCPeerConnection({
    iceServers: [],
    iceUseIpv4: true,
    iceUseIpv6: false,
    iceAdditionalHostAddresses: ['127.0.0.1'],
    // no passive TCP candidates: browsers reach it over UDP, and werift's close() leaves that listener open
    iceUseTcp: false,
    iceTcpPassive: false,
    codecs: { video: [useVP8()], audio: [useOPUS()] },
  });
}

interface Peer {
  uuid: string;
  room: string;
  pc: RTCPeerConnection;
  video: RTCRtpTransceiver | undefined;
  /** the SSRC of the video the participant sends (known from its first packet) */
  videoSsrc: number | undefined;
  canSendVideo: boolean;
  connected: boolean;
  forwardVideo: boolean;
  received: ReceivedMedia;
  sentVideoPackets: number;
  keyframeRequests: number;
}

const GATHER_TIMEOUT_MS = 5_000;

function isKeyframeRequest(packet: RtcpPacket, ssrc: number): boolean {
  if (!(packet instanceof RtcpPayloadSpecificFeedback)) return false;
  const feedback = packet.feedback as { count: number; mediaSsrc?: number; fir?: { ssrc: number }[] };
  // PLI is format 1; FIR (format 4) names the SSRCs it wants refreshed
  if (feedback.count === 1) return feedback.mediaSsrc === ssrc;
  if (feedback.count === 4) return feedback.fir?.some((f) => f.ssrc === ssrc) ?? false;
  return false;
}

/** The direction to answer an offered m-line with, from the offer's own direction. */
function answerDirection(offered: string | undefined): 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive' {
  switch (offered) {
    case 'sendonly':
      return 'recvonly';
    case 'recvonly':
      return 'sendonly';
    case 'inactive':
      return 'inactive';
    default:
      return 'sendrecv';
  }
}

function offeredDirections(sdp: string): Map<string, string> {
  const directions = new Map<string, string>();
  let mid: string | undefined;
  let direction: string | undefined;
  const flush = () => {
    if (mid !== undefined) directions.set(mid, direction ?? 'sendrecv');
  };
  for (const line of sdp.split(/\r?\n/)) {
    if (line.startsWith('m=')) {
      flush();
      mid = undefined;
      direction = undefined;
    } else if (line.startsWith('a=mid:')) mid = line.slice(6).trim();
    else if (/^a=(sendrecv|sendonly|recvonly|inactive)$/.test(line.trim())) direction = line.trim().slice(2);
  }
  flush();
  return directions;
}

/**
 * The conference node's media: each participant's video goes to the others (one source per
 * receiver, the earliest other participant whose video is not muted; a participant alone in the
 * room gets its own video back, so a lone browser decodes real frames); keyframe requests are
 * relayed to the source, and a keyframe is asked for whenever a receiver connects or its source
 * changes. Audio is received and counted, never sent: the room's audio is the SIP leg's business.
 */
export class WebrtcPeers implements MediaPeers {
  private readonly peers = new Map<string, Peer>();
  /** views of calls that have ended, so a test can read what a leg sent after it hung up */
  private readonly ended = new Map<string, PeerView>();

  async answer(room: string, participantUuid: string, offer: string): Promise<string | undefined> {
    if (!/^a=ice-ufrag:/m.test(offer) || !/^a=fingerprint:/m.test(offer)) return undefined;
    const current = this.peers.get(participantUuid);
    if (current && current.room === room && current.pc.connectionState !== 'closed' && current.pc.connectionState !== 'failed') return this.renegotiate(current, offer);
    this.close(participantUuid);
    const pc = newPeerConnection();
    const peer: Peer = {
      uuid: participantUuid,
      room,
      pc,
      video: undefined,
      videoSsrc: undefined,
      canSendVideo: false,
      connected: false,
      forwardVideo: true,
      received: { audio: { packets: 0, bytes: 0 }, video: { packets: 0, bytes: 0 } },
      sentVideoPackets: 0,
      keyframeRequests: 0,
    };
    this.peers.set(participantUuid, peer);
    const directions = offeredDirections(offer);
    const wired = new Set<RTCRtpTransceiver>();
    const wireOnce = (tx: RTCRtpTransceiver) => {
      if (wired.has(tx)) return;
      wired.add(tx);
      this.wire(peer, tx);
    };
    pc.onRemoteTransceiverAdded.subscribe(wireOnce);
    pc.onTransceiverAdded.subscribe(wireOnce);
    await pc.setRemoteDescription({ type: 'offer', sdp: offer });
    for (const tx of pc.getTransceivers()) wireOnce(tx);
    this.applyDirections(peer, directions);
    pc.connectionStateChange.subscribe((state) => {
      if (state !== 'connected' || peer.connected) return;
      peer.connected = true;
      // keyframe requests sent before DTLS completes are lost: ask again now, for this receiver and for whoever sees it
      this.requestKeyframeFor(peer);
      for (const other of this.roomPeers(room)) if (other !== peer && this.sourceOf(other) === peer) this.requestKeyframeFor(other);
      for (const other of this.roomPeers(room)) if (other !== peer) this.requestKeyframeFor(other);
    });
    await pc.setLocalDescription(await pc.createAnswer());
    await this.gathered(pc);
    return pc.localDescription?.sdp;
  }

  /** Each offered m-line answered in the direction the offer allows; audio is only ever received. */
  private applyDirections(peer: Peer, directions: Map<string, string>): void {
    for (const tx of peer.pc.getTransceivers()) {
      if (tx.kind === 'video') {
        const direction = answerDirection(directions.get(tx.mid ?? ''));
        tx.setDirection(direction);
        peer.canSendVideo = direction === 'sendrecv' || direction === 'sendonly';
        peer.video = tx;
      } else tx.setDirection(directions.get(tx.mid ?? '') === 'recvonly' || directions.get(tx.mid ?? '') === 'inactive' ? 'inactive' : 'recvonly');
    }
  }

  /**
   * A new offer on a live call (Pexip's `calls/{uuid}/update`): the browser changed its media
   * (a new camera track after a camera-off, a direction) or restarted ICE (the Pexip client does
   * when received video stalls). The node answers on the same peer, as a conference node does:
   * a fresh peer would come with a new DTLS certificate the browser's transport never
   * handshakes with, and the leg would stay silent.
   */
  private async renegotiate(peer: Peer, offer: string): Promise<string | undefined> {
    const { pc } = peer;
    await pc.setRemoteDescription({ type: 'offer', sdp: offer });
    this.applyDirections(peer, offeredDirections(offer));
    // the sender may come back with a new track (new SSRC): learn it from its next packet
    peer.videoSsrc = undefined;
    await pc.setLocalDescription(await pc.createAnswer());
    await this.gathered(pc);
    // whoever watches this leg, and this leg itself, need a keyframe once media flows again
    this.requestKeyframeFor(peer);
    for (const other of this.roomPeers(peer.room)) if (other !== peer && this.sourceOf(other) === peer) this.requestKeyframeFor(other);
    return pc.localDescription?.sdp;
  }

  private wire(peer: Peer, tx: RTCRtpTransceiver): void {
    tx.onTrack.subscribe((track) => {
      track.onReceiveRtp.subscribe((rtp) => this.received(peer, track.kind === 'audio' ? 'audio' : 'video', rtp));
    });
    if (tx.kind !== 'video') return;
    // werift routes a browser's PLI by the feedback's sender SSRC (our receiver), so watch both ends
    const onRtcp = (packet: RtcpPacket) => {
      if (isKeyframeRequest(packet, tx.sender.ssrc)) this.requestKeyframeFor(peer);
    };
    tx.sender.onRtcp.subscribe(onRtcp);
    tx.receiver.onRtcp.subscribe(onRtcp);
  }

  private received(peer: Peer, kind: 'audio' | 'video', rtp: RtpPacket): void {
    const counts = peer.received[kind];
    counts.packets += 1;
    counts.bytes += rtp.payload.length;
    if (kind !== 'video') return;
    if (peer.videoSsrc === undefined) {
      peer.videoSsrc = rtp.header.ssrc;
      // a new source: whoever it now feeds needs a keyframe from it
      for (const other of this.roomPeers(peer.room)) if (this.sourceOf(other) === peer) this.requestKeyframeFor(other);
    }
    for (const receiver of this.roomPeers(peer.room)) {
      if (!receiver.connected || !receiver.canSendVideo || !receiver.video || this.sourceOf(receiver) !== peer) continue;
      // sendRtp rewrites SSRC, payload type, sequence number and timestamp in place: one copy per receiver
      receiver.sentVideoPackets += 1;
      void receiver.video.sender.sendRtp(rtp.clone()).catch(() => undefined);
    }
  }

  private roomPeers(room: string): Peer[] {
    return [...this.peers.values()].filter((p) => p.room === room);
  }

  /** Whose video a receiver gets: the earliest other participant not video-muted; itself when alone. */
  private sourceOf(receiver: Peer): Peer | undefined {
    const others = this.roomPeers(receiver.room).filter((p) => p !== receiver);
    if (others.length === 0) return receiver.forwardVideo ? receiver : undefined;
    return others.find((p) => p.forwardVideo);
  }

  /** Asks the source of `receiver`'s video for a keyframe. */
  private requestKeyframeFor(receiver: Peer): void {
    const source = this.sourceOf(receiver);
    if (!source?.video || source.videoSsrc === undefined || !source.connected) return;
    source.keyframeRequests += 1;
    void source.video.receiver.sendRtcpPLI(source.videoSsrc).catch(() => undefined);
  }

  private gathered(pc: RTCPeerConnection): Promise<void> {
    if (pc.iceGatheringState === 'complete') return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, GATHER_TIMEOUT_MS);
      pc.iceGatheringStateChange.subscribe((state) => {
        if (state === 'complete') {
          clearTimeout(timer);
          resolve();
        }
      });
    });
  }

  async addCandidate(participantUuid: string, candidate: string, mid: string | undefined): Promise<void> {
    const peer = this.peers.get(participantUuid);
    if (!peer) return;
    // a candidate werift cannot use (mDNS, IPv6, TCP) is skipped: the call has others
    await peer.pc.addIceCandidate({ candidate, ...(mid !== undefined ? { sdpMid: mid } : { sdpMLineIndex: 0 }) }).catch(() => undefined);
  }

  setVideoForwarding(participantUuid: string, forward: boolean): void {
    const peer = this.peers.get(participantUuid);
    if (!peer || peer.forwardVideo === forward) return;
    peer.forwardVideo = forward;
    for (const other of this.roomPeers(peer.room)) if (this.sourceOf(other) === peer) this.requestKeyframeFor(other);
  }

  private viewOf(peer: Peer): PeerView {
    return {
      connectionState: peer.pc.connectionState,
      received: { audio: { ...peer.received.audio }, video: { ...peer.received.video } },
      sentVideoPackets: peer.sentVideoPackets,
      keyframeRequests: peer.keyframeRequests,
    };
  }

  view(participantUuid: string): PeerView | undefined {
    const peer = this.peers.get(participantUuid);
    return peer ? this.viewOf(peer) : this.ended.get(participantUuid);
  }

  close(participantUuid: string): void {
    const peer = this.peers.get(participantUuid);
    if (!peer) return;
    this.ended.set(participantUuid, { ...this.viewOf(peer), connectionState: 'closed' });
    this.peers.delete(participantUuid);
    void peer.pc.close().catch(() => undefined);
    // whoever watched it now watches someone else (or itself): they need a keyframe
    for (const other of this.roomPeers(peer.room)) this.requestKeyframeFor(other);
  }

  async stop(): Promise<void> {
    const all = [...this.peers.values()];
    this.peers.clear();
    await Promise.all(all.map((p) => p.pc.close().catch(() => undefined)));
  }
}
