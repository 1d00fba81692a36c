/**
 * The device check's browser side: camera and microphone together, each failure named the way
 * the citizen must act on it, the device lists, a microphone level and a speaker test tone.
 */

import { deviceFailureOf, type DeviceFailure } from './deviceFailure';

export type { DeviceFailure };
export type OpenResult = { ok: true; stream: MediaStream } | { ok: false; kind: DeviceFailure; detail: string };

export interface DeviceChoice {
  cameraId?: string;
  microphoneId?: string;
}

/** What a browser needs for the call: getUserMedia and WebRTC, in a secure context. */
export function browserSupported(w: { isSecureContext: boolean; navigator: { mediaDevices?: { getUserMedia?: unknown } }; RTCPeerConnection?: unknown } = window): boolean {
  return Boolean(w.isSecureContext && typeof w.navigator.mediaDevices?.getUserMedia === 'function' && typeof w.RTCPeerConnection === 'function');
}

export async function openDevices(choice: DeviceChoice): Promise<OpenResult> {
  if (!browserSupported()) return { ok: false, kind: 'unsupported-browser', detail: 'no getUserMedia or RTCPeerConnection' };
  const video: MediaTrackConstraints = { width: { ideal: 1280 }, height: { ideal: 720 }, ...(choice.cameraId ? { deviceId: { exact: choice.cameraId } } : {}) };
  const audio: MediaTrackConstraints = { echoCancellation: true, noiseSuppression: true, ...(choice.microphoneId ? { deviceId: { exact: choice.microphoneId } } : {}) };
  try {
    return { ok: true, stream: await navigator.mediaDevices.getUserMedia({ video, audio }) };
  } catch (error) {
    const name = error instanceof DOMException || error instanceof Error ? error.name : 'Error';
    // a remembered device that is gone: fall back to the default ones once
    if (name === 'OverconstrainedError' && (choice.cameraId || choice.microphoneId)) return openDevices({});
    return { ok: false, kind: deviceFailureOf(name), detail: name };
  }
}

export interface Device {
  deviceId: string;
  label: string;
}

export async function listDevices(): Promise<{ cameras: Device[]; microphones: Device[]; speakers: Device[] }> {
  const all = await navigator.mediaDevices.enumerateDevices();
  const of = (kind: MediaDeviceKind, name: string) => all.filter((d) => d.kind === kind).map((d, i) => ({ deviceId: d.deviceId, label: d.label || `${name} ${i + 1}` }));
  return { cameras: of('videoinput', 'Camera'), microphones: of('audioinput', 'Microphone'), speakers: of('audiooutput', 'Speaker') };
}

export function stopStream(stream: MediaStream | undefined): void {
  stream?.getTracks().forEach((t) => t.stop());
}

/** The microphone's level, 0…1, every animation frame, until the returned function is called. */
export function meterMicrophone(stream: MediaStream, onLevel: (level: number) => void): () => void {
  if (stream.getAudioTracks().length === 0 || typeof AudioContext === 'undefined') return () => undefined;
  const context = new AudioContext();
  const analyser = context.createAnalyser();
  analyser.fftSize = 512;
  context.createMediaStreamSource(stream).connect(analyser);
  const samples = new Uint8Array(analyser.fftSize);
  let frame = 0;
  const tick = () => {
    analyser.getByteTimeDomainData(samples);
    let peak = 0;
    for (const s of samples) peak = Math.max(peak, Math.abs(s - 128) / 128);
    onLevel(Math.min(1, peak * 1.5));
    frame = requestAnimationFrame(tick);
  };
  tick();
  return () => {
    cancelAnimationFrame(frame);
    void context.close();
  };
}

/** A two-second 440 Hz tone on the chosen speaker (where the browser lets a page choose). */
export async function playTestTone(speakerId: string | undefined): Promise<void> {
  const context = new AudioContext();
  const oscillator = context.createOscillator();
  const gain = context.createGain();
  oscillator.frequency.value = 440;
  gain.gain.value = 0.2;
  oscillator.connect(gain);
  const sink = context as AudioContext & { setSinkId?: (id: string) => Promise<void> };
  if (speakerId && sink.setSinkId) await sink.setSinkId(speakerId).catch(() => undefined);
  gain.connect(context.destination);
  oscillator.start();
  await new Promise((resolve) => setTimeout(resolve, 2000));
  oscillator.stop();
  await context.close();
}
