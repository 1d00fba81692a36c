/** Pure: no browser types, so the rule is tested in Node. */

export type DeviceFailure = 'unsupported-browser' | 'permission-denied' | 'no-camera' | 'camera-in-use';

/** getUserMedia's error names → the citizen's action. */
export function deviceFailureOf(name: string): DeviceFailure {
  if (name === 'NotAllowedError' || name === 'SecurityError' || name === 'PermissionDeniedError') return 'permission-denied';
  if (name === 'NotFoundError' || name === 'OverconstrainedError' || name === 'DevicesNotFoundError') return 'no-camera';
  if (name === 'NotSupportedError' || name === 'TypeError') return 'unsupported-browser';
  // NotReadableError, AbortError, TrackStartError: the device exists but another app holds it
  return 'camera-in-use';
}

