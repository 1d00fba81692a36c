/**
 * The PartitionKey/RowKey design of the session index (docs/storage.md explains it). Table
 * Storage indexes only these two keys and orders rows by them as strings, so every lookup the
 * index serves is a point read or a key-range scan, and numbers in keys are fixed-width.
 */

/** Table keys refuse `/ \ # ?` and control characters; ids are encoded so any id is a valid key. */
export function keyPart(id: string): string {
  return encodeURIComponent(id).replace(/[!'()*~.]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

const MS_WIDTH = 15;
/** above any millisecond timestamp MaxConf will see (year 33658) */
const MS_CEILING = 10 ** MS_WIDTH - 1;

function fixed(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** Newest first: ascending RowKeys are descending times. */
export function invertedMs(ms: number): string {
  return fixed(MS_CEILING - ms, MS_WIDTH);
}

export function ascendingMs(ms: number): string {
  return fixed(ms, MS_WIDTH);
}

export function sequenceKey(seq: number): string {
  return fixed(seq, 10);
}

/** UTC day of a time: the list rows' partition. */
export function dayKey(ms: number): string {
  return `d${new Date(ms).toISOString().slice(0, 10).replace(/-/g, '')}`;
}

export const DAY_MS = 86_400_000;

export function startOfDay(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

/** The list row of a session: partition per created day, newest first inside it. */
export function listKeys(sessionId: string, createdAt: string): { partitionKey: string; rowKey: string } {
  const ms = Date.parse(createdAt);
  return { partitionKey: dayKey(ms), rowKey: `${invertedMs(ms)}_${keyPart(sessionId)}` };
}

/**
 * RowKey bounds of createdAt in [from, to): a row key is `inverted(createdAt)_id`, so
 * createdAt < to ⇔ key ≥ inverted(to − 1) and createdAt ≥ from ⇔ key < inverted(from − 1).
 */
export function listRowBounds(fromMs: number, toMs: number): { lowest: string; above: string } {
  return { lowest: invertedMs(toMs - 1), above: invertedMs(fromMs - 1) };
}

/** Rows of the lookup table: the session's own row and its pointers, each kind in its own partitions. */
export const lookupKeys = {
  // RowKeys repeat the id rather than stay empty: Azurite picks a point read's rows by its RowKey index first
  session: (sessionId: string) => ({ partitionKey: `room_${keyPart(sessionId)}`, rowKey: keyPart(sessionId) }),
  /** a Genesys conversation belongs to one session: a point read */
  conversation: (conversationId: string) => ({ partitionKey: `conv_${keyPart(conversationId)}`, rowKey: keyPart(conversationId) }),
  videoCall: (videoCallId: string, sessionId: string, createdAt: string) => ({
    partitionKey: `vcid_${keyPart(videoCallId)}`,
    rowKey: `${invertedMs(Date.parse(createdAt))}_${keyPart(sessionId)}`,
  }),
  /** one partition, oldest end first: retention reads its head */
  ended: (sessionId: string, endedAt: string) => ({ partitionKey: 'ended', rowKey: `${ascendingMs(Date.parse(endedAt))}_${keyPart(sessionId)}` }),
};
