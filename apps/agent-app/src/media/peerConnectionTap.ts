/**
 * Pexip's client owns its RTCPeerConnection and does not hand it out; the widget needs it for
 * `getStats()` and `iceConnectionState`. While a call is set up, the constructor is wrapped so the
 * connection it creates is reported; the original is put back right after.
 */
export function tapPeerConnections(onCreate: (pc: RTCPeerConnection) => void): () => void {
  const Native = window.RTCPeerConnection;
  class Tapped extends Native {
    constructor(configuration?: RTCConfiguration) {
      super(configuration);
      onCreate(this);
    }
  }
  window.RTCPeerConnection = Tapped;
  return () => {
    if (window.RTCPeerConnection === Tapped) window.RTCPeerConnection = Native;
  };
}
