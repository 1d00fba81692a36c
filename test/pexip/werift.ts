/**
 * werift 0.25's close() leaves a 0.0.0.0 UDP gathering socket per peer open, which keeps jest
 * from exiting; the test closes (or at least unrefs) what is left once every peer is closed.
 */
export function closeLeakedUdpSockets(): void {
  for (const h of (process as any)._getActiveHandles() as { type?: string; close?: () => void; unref?: () => void }[]) {
    if (h.type !== 'udp4') continue;
    h.unref?.();
    try {
      h.close?.();
    } catch {
      // already closing
    }
  }
}
