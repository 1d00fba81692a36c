import { createLogger } from '../../src/logging/logger';
import type { SipCaller, SipInvite } from '../../src/contracts/sip';

export const silentLogger = () => createLogger({ level: 'silent' });

export function invite(room: string, toUri: string, uui = '6964264d54497a4e4455324c4463324e54517a4d67;encoding=hex'): SipInvite {
  return {
    callId: `call-${room}`,
    fromUri: `sip:${room}@conf.sim.invalid`,
    fromDisplayName: room,
    toUri,
    userToUser: uui,
  };
}

/** A SIP caller that records the far end's BYEs. */
export function recordingCaller(): SipCaller & { byes: string[] } {
  const byes: string[] = [];
  return { byes, remoteHangUp: (reason) => void byes.push(reason) };
}

export async function until(check: () => boolean | Promise<boolean>, timeoutMs = 5000, what = 'condition'): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
