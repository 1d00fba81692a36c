import { z } from 'zod';

/**
 * Allow-lists for every id that reaches a URL. durable-functions' DurableClient concatenates the
 * instance id (and an entity key) into its request URL unencoded (`new URL(\`instances/${id}\`)`,
 * which resolves `..` and reads `?`/`#`), so encoding first would double-encode: an id is
 * checked against one of these before any durable client call, and at the edge, where a miss is
 * a 400 naming the parameter. Each alphabet keeps an id a single, literal URL segment.
 */

/**
 * A call session's instance id = its room name: the deployment prefix (config: lower-case letters
 * and digits ending in "-") then what MaxConf mints (12 lower-case hex, `poolRoomName`). The tail
 * also takes lower-case letters, digits and inner hyphens, so the alphabet, not the exact mint,
 * is what is enforced: no dot, slash, percent, `?`, `#`, `@`, space or control character.
 */
export const SESSION_ID_PATTERN = /^[a-z][a-z0-9]{0,30}-[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const SESSION_ID_MAX = 100;

export const SessionId = z
  .string()
  .max(SESSION_ID_MAX, `at most ${SESSION_ID_MAX} characters`)
  .regex(SESSION_ID_PATTERN, 'must be a MaxConf session id (the room name: prefix, then lower-case letters, digits and hyphens)');

/** A session id of this deployment: the shape above and the configured prefix. */
export function isSessionIdOf(value: string, prefix: string): boolean {
  return value.startsWith(prefix) && value.length > prefix.length && SessionId.safeParse(value).success;
}

/**
 * A room name the v1 routes take (GET/DELETE/PATCH /room/{room_name}, GET /public/room/{vmr_name}):
 * MaxConf's own names, v1's Base64 names (`MTIzNDU2LDc2NTQzMg`, standard or URL-safe alphabet,
 * without `/`), and the hand-kept persistent rooms (`test_…`, `vkiosk_…`). Such a name is only
 * ever sent to Pexip as a query value (which the HTTP client encodes); it reaches the durable
 * client only when it is also a SessionId.
 */
export const ROOM_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.+=-]*$/;
export const ROOM_NAME_MAX = 250;

export const RoomName = z
  .string()
  .min(1, 'is required')
  .max(ROOM_NAME_MAX, `at most ${ROOM_NAME_MAX} characters`)
  .regex(ROOM_NAME_PATTERN, 'must be a room name (letters, digits, "_", ".", "+", "=", "-")');

/** Genesys Cloud conversation ids are UUIDs (also the conversationIndex entity key). */
export const ConversationId = z.guid('must be a Genesys conversation id (a UUID)');

/** The video call id decoded from IDIM's UUI (the same alphabet `parseUui` accepts). */
export const VideoCallId = z.string().regex(/^[A-Za-z0-9_\-+/=]{1,80}$/, 'must be a video call id (1-80 Base64 characters)');

/**
 * A conversation id as vendor events carry it, and so the conversationIndex entity key: Genesys
 * sends UUIDs; ingestion takes their alphabet widened to letters (never a dot, slash or percent),
 * so an event it cannot use is refused as malformed, not turned into a path.
 */
export const ConversationKey = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,99}$/, 'must be a conversation id (letters, digits and hyphens, at most 100)');
