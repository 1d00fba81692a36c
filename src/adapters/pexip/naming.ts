import { randomInt } from 'node:crypto';

/** Rooms with these prefixes are kept by hand (manual tests, virtual kiosks): never pooled, never deleted. */
export const PERSISTENT_PREFIXES = ['test_', 'vkiosk_'] as const;

/**
 * Written into every room MaxConf creates. Ownership is decided by prefix AND marker, so a room
 * of v1, of another slot sharing the same Pexip, or made by hand is never touched.
 */
export const MAXCONF_MARKER = 'maxconf:v2';

export function isPersistentRoomName(name: string): boolean {
  return PERSISTENT_PREFIXES.some((p) => name.startsWith(p));
}

export function ownershipDescription(prefix: string): string {
  return `${MAXCONF_MARKER} prefix=${prefix} managed by MaxConf; do not edit`;
}

export function isOwnedRoom(room: { name: string; description?: string | null }, prefix: string): boolean {
  return (
    !isPersistentRoomName(room.name) &&
    room.name.startsWith(prefix) &&
    typeof room.description === 'string' &&
    room.description.startsWith(`${MAXCONF_MARKER} prefix=${prefix} `)
  );
}

function digits(count: number): string {
  let out = '';
  for (let i = 0; i < count; i++) out += String(randomInt(0, 10));
  return out;
}

/** 4-digit guest PIN and 6-digit host PIN from the CSPRNG; they never share a prefix so Pexip cannot confuse them. */
export function generatePins(): { guestPin: string; hostPin: string } {
  const guestPin = digits(4);
  let hostPin = digits(6);
  while (hostPin.startsWith(guestPin)) hostPin = digits(6);
  return { guestPin, hostPin };
}
