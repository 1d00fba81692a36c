import type { FailureKind } from '../i18n';

export type CameraResult = { ok: true; stream: MediaStream } | { ok: false; kind: FailureKind; detail: string };

/** The agent's camera only: the microphone is never asked for (the agent's audio is on the SIP leg). */
export async function openCamera(deviceId: string | undefined): Promise<CameraResult> {
  if (!navigator.mediaDevices?.getUserMedia) return { ok: false, kind: 'camera-missing', detail: 'no mediaDevices' };
  try {
    const stream = await navigator.mediaDevices.getUserMedia({
      audio: false,
      video: deviceId ? { deviceId: { exact: deviceId }, width: { ideal: 1280 }, height: { ideal: 720 } } : { width: { ideal: 1280 }, height: { ideal: 720 } },
    });
    return { ok: true, stream };
  } catch (error) {
    const name = error instanceof DOMException ? error.name : 'Error';
    if (name === 'NotAllowedError' || name === 'SecurityError') return { ok: false, kind: 'camera-denied', detail: name };
    if (name === 'OverconstrainedError' && deviceId) return openCamera(undefined);
    if (name === 'NotFoundError' || name === 'OverconstrainedError') return { ok: false, kind: 'camera-missing', detail: name };
    return { ok: false, kind: 'camera-busy', detail: name };
  }
}

export async function listCameras(): Promise<Array<{ deviceId: string; label: string }>> {
  const devices = await navigator.mediaDevices.enumerateDevices();
  return devices.filter((d) => d.kind === 'videoinput').map((d, i) => ({ deviceId: d.deviceId, label: d.label || `Camera ${i + 1}` }));
}

export function stopStream(stream: MediaStream | undefined): void {
  stream?.getTracks().forEach((t) => t.stop());
}
