import { z } from 'zod';
import type { FailureKind } from './i18n';

/** MaxConf's `GET /public/room/{name}` answer, as far as the widget reads it. */
const PublicRoom = z.object({
  name: z.string().min(1),
  pin: z.string().min(1),
  aliases: z.array(z.object({ alias: z.string().min(1) })).default([]),
});

export interface RoomToJoin {
  /** the conference alias to dial */
  alias: string;
  /** the host PIN: in memory only, never logged */
  pin: string;
}

export type RoomLookup = { ok: true; room: RoomToJoin } | { ok: false; kind: FailureKind; detail: string };

/** Looks the room up with the agent's Genesys token, which MaxConf checks against Genesys. */
export async function lookUpRoom(apiBase: string, roomName: string, agentToken: string, fetcher: typeof fetch = fetch): Promise<RoomLookup> {
  // no-store: the answer carries the host PIN and must not land in the browser's HTTP cache
  const init = { headers: { 'x-auth-token': agentToken, accept: 'application/json' }, credentials: 'omit', cache: 'no-store' };
  let response: Response;
  try {
    response = await fetcher(`${apiBase}/public/room/${encodeURIComponent(roomName)}`, init as RequestInit);
  } catch (error) {
    return { ok: false, kind: 'maxconf-unavailable', detail: `public/room: ${error instanceof Error ? error.message : 'network error'}` };
  }
  const detail = `public/room: HTTP ${response.status}`;
  if (response.status === 404) {
    const body = (await response.json().catch(() => ({}))) as { type?: unknown };
    const ended = typeof body.type === 'string' && body.type.endsWith('/room-torn-down');
    return { ok: false, kind: ended ? 'room-ended' : 'room-not-found', detail };
  }
  if (response.status === 403) return { ok: false, kind: 'agent-not-allowed', detail };
  if (response.status === 401) return { ok: false, kind: 'agent-token-refused', detail };
  if (!response.ok) return { ok: false, kind: 'maxconf-unavailable', detail };
  const parsed = PublicRoom.safeParse(await response.json().catch(() => undefined));
  if (!parsed.success) return { ok: false, kind: 'maxconf-unavailable', detail: 'public/room: unexpected answer' };
  return { ok: true, room: { alias: parsed.data.aliases[0]?.alias ?? parsed.data.name, pin: parsed.data.pin } };
}
