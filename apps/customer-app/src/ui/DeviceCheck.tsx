import { useEffect, useState } from 'react';
import type { Words } from '../i18n';
import { listDevices, meterMicrophone, playTestTone, type Device } from '../media/devices';
import { Video } from './Video';

interface Lists {
  cameras: Device[];
  microphones: Device[];
  speakers: Device[];
}

function Choice({ label, devices, value, onChange }: { label: string; devices: Device[]; value: string; onChange: (id: string) => void }) {
  return (
    <label className="choice">
      <span>{label}</span>
      <select value={value} disabled={devices.length < 2} onChange={(e) => onChange(e.target.value)}>
        {devices.length === 0 ? <option value="">—</option> : null}
        {devices.map((d) => (
          <option key={d.deviceId} value={d.deviceId}>
            {d.label}
          </option>
        ))}
      </select>
    </label>
  );
}

export function DeviceCheck({ words, stream, joining, onChoose, onJoin }: { words: Words; stream?: MediaStream; joining: boolean; onChoose: (c: { cameraId?: string; microphoneId?: string }) => void; onJoin: () => void }) {
  const [lists, setLists] = useState<Lists>({ cameras: [], microphones: [], speakers: [] });
  const [level, setLevel] = useState(0);
  const [speaker, setSpeaker] = useState('');
  const [playing, setPlaying] = useState(false);

  useEffect(() => {
    if (!stream) return;
    // labels are readable once the devices are allowed
    void listDevices().then(setLists).catch(() => undefined);
    return meterMicrophone(stream, (l) => setLevel(Math.round(l * 100)));
  }, [stream]);

  const current = (kind: 'video' | 'audio') => (kind === 'video' ? stream?.getVideoTracks() : stream?.getAudioTracks())?.[0]?.getSettings().deviceId ?? '';
  return (
    <section className="check" aria-labelledby="check-title" data-screen="check">
      <h2 id="check-title">{words.checkTitle}</h2>
      <p>{words.checkIntro}</p>
      <div className="preview">
        <Video stream={stream} label={words.selfView} className="local" mirrored />
      </div>
      <div className="devices">
        <Choice label={words.camera} devices={lists.cameras} value={current('video')} onChange={(id) => onChoose({ cameraId: id })} />
        <Choice label={words.microphone} devices={lists.microphones} value={current('audio')} onChange={(id) => onChoose({ microphoneId: id })} />
        <div className="meter-row">
          <span id="mic-level-label">{words.micLevel}</span>
          <meter aria-labelledby="mic-level-label" min={0} max={100} value={level} data-testid="mic-level" />
          <span className="hint">{words.micHint}</span>
        </div>
        {lists.speakers.length > 1 ? <Choice label={words.speaker} devices={lists.speakers} value={speaker} onChange={setSpeaker} /> : null}
        <button
          type="button"
          disabled={playing}
          onClick={() => {
            setPlaying(true);
            void playTestTone(speaker || undefined).finally(() => setPlaying(false));
          }}
        >
          {playing ? words.playingTone : words.testSpeaker}
        </button>
      </div>
      <button type="button" className="primary join" disabled={!stream || joining} onClick={onJoin}>
        {joining ? words.joining : words.join}
      </button>
    </section>
  );
}
