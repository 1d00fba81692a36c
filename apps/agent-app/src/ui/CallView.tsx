import { useEffect, useRef, useState } from 'react';
import type { AgentCall, AgentCallView } from '../agentCall';
import type { Words } from '../i18n';
import { listCameras } from '../media/camera';
import { qualityOf, type Quality, type StatsEntry } from '../media/quality';

function Video({ stream, label, className, mirrored }: { stream?: MediaStream; label: string; className: string; mirrored?: boolean }) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    if (ref.current && ref.current.srcObject !== (stream ?? null)) ref.current.srcObject = stream ?? null;
  }, [stream]);
  return <video ref={ref} className={`${className}${mirrored ? ' mirrored' : ''}`} aria-label={label} autoPlay playsInline muted />;
}

function useElapsed(since: number | undefined): string {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (since === undefined) return;
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, [since]);
  if (since === undefined) return '0:00';
  const s = Math.max(0, Math.floor((now - since) / 1000));
  const h = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(h ? 2 : 1, '0');
  const ss = String(s % 60).padStart(2, '0');
  return h ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

/** Polls the peer connection's stats every 2 s: quality and ICE state. */
function useQuality(pc: RTCPeerConnection | undefined): { quality?: Quality; ice?: string } {
  const [state, setState] = useState<{ quality?: Quality; ice?: string }>({});
  useEffect(() => {
    if (!pc) {
      setState({});
      return;
    }
    let previous: StatsEntry[] = [];
    let cancelled = false;
    const poll = async () => {
      const report = await pc.getStats().catch(() => undefined);
      if (!report || cancelled) return;
      const current: StatsEntry[] = [];
      report.forEach((entry: StatsEntry) => current.push(entry));
      setState({ quality: qualityOf(previous, current), ice: pc.iceConnectionState });
      previous = current;
    };
    void poll();
    const timer = window.setInterval(() => void poll(), 2000);
    return () => {
      cancelled = true;
      window.clearInterval(timer);
    };
  }, [pc]);
  return state;
}

export function CallView({ words, view, call }: { words: Words; view: AgentCallView; call: AgentCall }) {
  const [cameras, setCameras] = useState<Array<{ deviceId: string; label: string }>>([]);
  const elapsed = useElapsed(view.joinedAt);
  const { quality, ice } = useQuality(view.peerConnection);
  const inCall = view.joinedAt !== undefined;

  useEffect(() => {
    if (!view.localStream) return;
    // labels are only readable once the camera is allowed
    void listCameras().then(setCameras).catch(() => undefined);
  }, [view.localStream]);

  const cameraOff = view.cameraHeld || view.cameraUserOff;
  const level = quality?.level ?? 'unknown';
  const currentDevice = view.deviceId ?? view.localStream?.getVideoTracks()[0]?.getSettings().deviceId ?? '';
  return (
    <main className="call" data-in-call={inCall}>
      <div className="stage">
        {view.citizenPaused ? (
          <div className="paused" role="img" aria-label={words.citizenPaused}>
            <span>{words.citizenPaused}</span>
          </div>
        ) : (
          <Video stream={view.remoteStream} label={words.citizenVideo} className="remote" />
        )}
        <figure className="self">
          {cameraOff || !view.localStream ? (
            <div className="self-off">{view.cameraHeld ? words.cameraHeldByHold : words.cameraOff}</div>
          ) : (
            <Video stream={view.localStream} label={words.selfView} className="local" mirrored />
          )}
          <figcaption className="visually-hidden">{words.selfView}</figcaption>
        </figure>
      </div>
      <div className="controls">
        <button
          type="button"
          className="primary"
          aria-pressed={view.cameraUserOff}
          disabled={!inCall || view.cameraHeld}
          onClick={() => void call.setCameraOff(!view.cameraUserOff)}
        >
          {view.cameraUserOff ? words.cameraOn : words.cameraOff}
        </button>
        <label className="camera-choice">
          <span>{words.camera}</span>
          <select value={currentDevice} disabled={cameras.length < 2} onChange={(e) => void call.chooseCamera(e.target.value)}>
            {cameras.length === 0 ? <option value="">—</option> : null}
            {cameras.map((c) => (
              <option key={c.deviceId} value={c.deviceId}>
                {c.label}
              </option>
            ))}
          </select>
        </label>
        <dl className="meters">
          <div>
            <dt>{words.timeInCall}</dt>
            <dd data-testid="elapsed">{elapsed}</dd>
          </div>
          <div>
            <dt>{words.connection}</dt>
            <dd className={`quality quality-${level}`} data-testid="quality" data-ice-state={ice ?? ''} data-frames-decoded={quality?.framesDecoded ?? 0}>
              <span className="dot" aria-hidden="true" />
              {words.quality[level]}
              {quality && quality.lossPercent !== undefined ? (
                <span className="stats">
                  {' '}
                  ({words.stats(String(quality.lossPercent), quality.rttMs === undefined ? '—' : String(quality.rttMs), quality.framesDecoded)})
                </span>
              ) : null}
            </dd>
          </div>
        </dl>
      </div>
    </main>
  );
}
