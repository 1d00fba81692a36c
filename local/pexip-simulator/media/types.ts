/** What a participant's leg has sent into the room, per kind. */
export interface ReceivedMedia {
  audio: { packets: number; bytes: number };
  video: { packets: number; bytes: number };
}

export interface PeerView {
  /** ICE+DTLS state of the simulator's peer for this participant */
  connectionState: string;
  received: ReceivedMedia;
  /** RTP packets the room sent to this participant (forwarded video or the test pattern) */
  sentVideoPackets: number;
  /** keyframe requests (PLI) relayed to or raised for this participant's sender */
  keyframeRequests: number;
}

/** The conferencing node's media side: one WebRTC peer per participant's call. */
export interface MediaPeers {
  /**
   * Answers a browser's SDP offer with a real peer, or undefined when the offer is not a real
   * WebRTC offer (no ICE credentials or DTLS fingerprint: an API-level test that carries no media).
   */
  answer(room: string, participantUuid: string, offer: string): Promise<string | undefined>;
  addCandidate(participantUuid: string, candidate: string, mid: string | undefined): Promise<void>;
  /** the participant's call ended: its peer closes, the others stop receiving it */
  close(participantUuid: string): void;
  /** video muted by a host: the room stops forwarding it */
  setVideoForwarding(participantUuid: string, forward: boolean): void;
  view(participantUuid: string): PeerView | undefined;
  stop(): Promise<void>;
}
