import { useEffect, useRef, useState } from 'react';
import type { CitizenCall, CitizenView } from '../citizenCall';
import { waitMinutes, waitingStepOf } from '../citizenState';
import type { Words } from '../i18n';
import { qualityOf, type Quality, type StatsEntry } from '../../../agent-app/src/media/quality';
import { Video } from './Video';

/** The connection's quality every 2 s from the peer connection's `getStats()`. */
function useQuality(pc: RTCPeerConnection | undefined): Quality | undefined {
  const [quality, setQuality] = useState<Quality>();
  useEffect(() => {
    setQuality(undefined);
    if (!pc) return;
    let previous: StatsEntry[] = [];
    const timer = window.setInterval(() => {
      void pc.getStats().then((report) => {
        const current: StatsEntry[] = [];
        report.forEach((entry: StatsEntry) => current.push(entry));
        setQuality(qualityOf(previous, current));
        previous = current;
      }, () => undefined);
    }, 2000);
    return () => window.clearInterval(timer);
  }, [pc]);
  return quality;
}

function Heading({ id, text }: { id: string; text: string }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => ref.current?.focus(), [id]);
  return (
    <h2 id={id} tabIndex={-1} ref={ref}>
      {text}
    </h2>
  );
}

export function Waiting({ words, view }: { words: Words; view: CitizenView }) {
  const phase = view.session?.phase ?? 'waiting_for_citizen';
  const minutes = phase === 'queued' ? waitMinutes(view.session?.estimatedWaitSeconds) : undefined;
  return (
    <section className="waiting" aria-labelledby="waiting-title" data-screen="waiting" data-phase={phase}>
      <Heading id="waiting-title" text={words.waitingTitle} />
      <p className="step">{words.waitingStep[waitingStepOf(phase)]}</p>
      {view.position !== undefined ? (
        <p className="position" data-testid="position" data-position={view.position}>
          {words.position(view.position)}
        </p>
      ) : null}
      {minutes !== undefined ? (
        <p className="wait" data-testid="wait">
          {words.wait(minutes)}
        </p>
      ) : null}
      <p className="hint">{words.waitingHint}</p>
    </section>
  );
}

export function InCall({ words, view, call }: { words: Words; view: CitizenView; call: CitizenCall }) {
  const quality = useQuality(view.peerConnection);
  const level = quality?.level ?? 'unknown';
  return (
    <section className="call" aria-label={words.inCall} data-screen="in-call">
      <div className="stage">
        <Video stream={view.remoteStream} label={words.agentVideo} className="remote" audible />
        <figure className="self">
          {view.cameraOff ? <div className="self-off">{words.cameraOff}</div> : <Video stream={view.localStream} label={words.selfView} className="local" mirrored />}
          <figcaption className="visually-hidden">{words.selfView}</figcaption>
        </figure>
      </div>
      <CallControls words={words} view={view} call={call} />
      <p className={`quality quality-${level}`} data-testid="quality" data-frames-decoded={quality?.framesDecoded ?? 0}>
        <span className="dot" aria-hidden="true" />
        {words.connection}: {words.quality[level]}
      </p>
    </section>
  );
}

export function CallControls({ words, view, call }: { words: Words; view: CitizenView; call: CitizenCall }) {
  return (
    <div className="controls">
      <button type="button" aria-pressed={view.cameraOff} onClick={() => void call.setCameraOff(!view.cameraOff)}>
        {view.cameraOff ? words.cameraOn : words.cameraOff}
      </button>
      <button type="button" aria-pressed={view.micMuted} onClick={() => void call.setMicMuted(!view.micMuted)}>
        {view.micMuted ? words.micOn : words.micOff}
      </button>
      <button type="button" className="danger" disabled={view.leaving} onClick={() => void call.leave()}>
        {view.leaving ? words.leaving : words.leave}
      </button>
    </div>
  );
}

export function Reconnecting({ words }: { words: Words }) {
  return (
    <section className="notice" aria-labelledby="reconnecting-title" data-screen="reconnecting">
      <Heading id="reconnecting-title" text={words.reconnecting} />
      <p>{words.reconnectingHint}</p>
    </section>
  );
}

export function Ended({ words, view }: { words: Words; view: CitizenView }) {
  const wording = view.ended ?? 'unknown';
  return (
    <section className="notice" aria-labelledby="ended-title" data-screen="ended" data-ended={wording}>
      <Heading id="ended-title" text={words.endedTitle} />
      <p className="outcome">{words.ended[wording]}</p>
      <p>{words.endedNext}</p>
      {view.config?.helpUrl ? <a href={view.config.helpUrl}>{words.help}</a> : null}
    </section>
  );
}
