import { odata, type TableClient } from '@azure/data-tables';
import type {
  EndedSession,
  Page,
  QueueStatus,
  SessionIndex,
  SessionListQuery,
  SessionRecord,
  TimelineLine,
  UpsertResult,
} from '../../contracts/sessionIndex';
import { ascendingMs, DAY_MS, dayKey, keyPart, listKeys, listRowBounds, lookupKeys, sequenceKey, startOfDay } from './keys';
import { checkRecord, fromEntity, newerQueue, timelineEntity, timelineLine, toEntity } from './sessionEntity';
import { chunks, deleteRow, guardedWrite, readRow, TRANSACTION_LIMIT, type Row, type RowKeys } from './tableRows';
import { ensureTables, tableClient, tableName, type StorageAccount, type StorageNames } from './tables';

/**
 * The support read model on Azure Table Storage (Azurite locally). Three tables:
 * - `<prefix>Sessions`: one list row per session, partitioned by created day, newest first;
 * - `<prefix>SessionKeys`: the session's own row (by room name) and pointer rows by conversation
 *   id, video call id and end time;
 * - `<prefix>Timeline`: the session's timeline, one row per line.
 * Key design and the cost of each call: docs/storage.md.
 */

export class InvalidContinuationToken extends RangeError {
  constructor() {
    super('continuationToken is not one this list issued');
  }
}

export const MAX_PAGE_SIZE = 1000;
/** a list walks one partition per day of its window */
export const MAX_LIST_WINDOW_DAYS = 366;
const MAX_VIDEO_CALL_MATCHES = 50;

export interface TableSessionIndexOptions extends StorageNames {
  account: StorageAccount;
}

export async function createTableSessionIndex(options: TableSessionIndexOptions): Promise<TableSessionIndex> {
  const index = new TableSessionIndex(options);
  await ensureTables(options.account, index.tableNames());
  return index;
}

type PointerList = [string, string][];

function pointersOf(row: Row | undefined): PointerList {
  return typeof row?.pointers === 'string' ? (JSON.parse(row.pointers) as PointerList) : [];
}

function hasPointer(pointers: PointerList, keys: RowKeys): boolean {
  return pointers.some(([pk, rk]) => pk === keys.partitionKey && rk === keys.rowKey);
}

function encodeToken(position: RowKeys): string {
  return Buffer.from(JSON.stringify({ d: position.partitionKey, r: position.rowKey })).toString('base64url');
}

function decodeToken(token: string): RowKeys {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { d?: unknown; r?: unknown };
    if (typeof parsed.d === 'string' && /^d\d{8}$/.test(parsed.d) && typeof parsed.r === 'string' && /^\d{15}_[^']{1,900}$/.test(parsed.r)) {
      return { partitionKey: parsed.d, rowKey: parsed.r };
    }
  } catch {
    // falls through to the refusal
  }
  throw new InvalidContinuationToken();
}

export class TableSessionIndex implements SessionIndex {
  private readonly sessions: TableClient;
  private readonly lookup: TableClient;
  private readonly timeline: TableClient;

  constructor(options: TableSessionIndexOptions) {
    this.sessions = tableClient(options.account, tableName(options, 'Sessions'));
    this.lookup = tableClient(options.account, tableName(options, 'SessionKeys'));
    this.timeline = tableClient(options.account, tableName(options, 'Timeline'));
  }

  tableNames(): string[] {
    return [this.sessions.tableName, this.lookup.tableName, this.timeline.tableName];
  }

  /**
   * Pointers first, then the list row, then the session's own row, which commits the write: a
   * writer that fails part-way and retries with the same revision redoes every step, and a
   * pointer whose session row never landed is ignored by the finders (they check the session
   * row lists it).
   */
  async upsert(record: SessionRecord): Promise<UpsertResult> {
    checkRecord(record);
    const sessionKeys = lookupKeys.session(record.sessionId);
    const stored = await readRow(this.lookup, sessionKeys);
    if (stored && Number(stored.row.revision) >= record.revision) return { applied: false };
    // createdAt fixes the list row's key: the first write's value holds for good
    const createdAt = stored ? String(stored.row.createdAt) : record.createdAt;
    const current = { ...record, createdAt };

    const wanted: RowKeys[] = [lookupKeys.videoCall(record.videoCallId, record.sessionId, createdAt)];
    if (record.conversationId !== undefined) wanted.push(lookupKeys.conversation(record.conversationId));
    if (record.endedAt !== undefined) wanted.push(lookupKeys.ended(record.sessionId, record.endedAt));
    const known = pointersOf(stored?.row);
    await Promise.all(
      wanted.filter((keys) => !hasPointer(known, keys)).map((keys) => this.lookup.upsertEntity({ ...keys, sessionId: record.sessionId }, 'Replace')),
    );

    const rowFor = (row: Row | undefined): Row | undefined => {
      if (row && Number(row.revision) >= record.revision) return undefined;
      const queue = newerQueue(row?.queue ? (JSON.parse(String(row.queue)) as QueueStatus) : undefined, record.queue);
      return toEntity(queue ? { ...current, queue } : current);
    };
    // a session's first write finds no list row either (it is written before the session row); a race is caught by the create's 409
    await guardedWrite(this.sessions, listKeys(record.sessionId, createdAt), rowFor, stored ? undefined : null);
    const applied = await guardedWrite(
      this.lookup,
      sessionKeys,
      (row) => {
        const next = rowFor(row);
        if (!next) return undefined;
        const pointers = pointersOf(row);
        for (const keys of wanted) if (!hasPointer(pointers, keys)) pointers.push([keys.partitionKey, keys.rowKey]);
        return { ...next, pointers: JSON.stringify(pointers) };
      },
      stored ?? null,
    );
    return { applied };
  }

  async recordQueueStatus(sessionId: string, queue: QueueStatus): Promise<boolean> {
    if (Number.isNaN(Date.parse(queue.at))) throw new RangeError('queue.at is not a time');
    const stored = await readRow(this.lookup, lookupKeys.session(sessionId));
    if (!stored) return false;
    const merge = (row: Row | undefined): Row | undefined => {
      if (!row) return undefined;
      if (typeof row.queueAt === 'string' && Date.parse(row.queueAt) >= Date.parse(queue.at)) return undefined;
      return { ...row, queue: JSON.stringify(queue), queueAt: queue.at };
    };
    await guardedWrite(this.sessions, listKeys(sessionId, String(stored.row.createdAt)), merge);
    return guardedWrite(this.lookup, lookupKeys.session(sessionId), merge, stored);
  }

  async get(sessionId: string): Promise<SessionRecord | undefined> {
    const stored = await readRow(this.lookup, lookupKeys.session(sessionId));
    return stored ? fromEntity(stored.row) : undefined;
  }

  private async verified(sessionId: string, pointer: RowKeys): Promise<SessionRecord | undefined> {
    const stored = await readRow(this.lookup, lookupKeys.session(sessionId));
    return stored && hasPointer(pointersOf(stored.row), pointer) ? fromEntity(stored.row) : undefined;
  }

  async findByConversationId(conversationId: string): Promise<SessionRecord | undefined> {
    const keys = lookupKeys.conversation(conversationId);
    const pointer = await readRow(this.lookup, keys);
    return pointer ? this.verified(String(pointer.row.sessionId), keys) : undefined;
  }

  async findByVideoCallId(videoCallId: string): Promise<SessionRecord[]> {
    const partitionKey = lookupKeys.videoCall(videoCallId, '', new Date(0).toISOString()).partitionKey;
    const rows = this.lookup.listEntities<Row>({ queryOptions: { filter: odata`PartitionKey eq ${partitionKey}`, select: ['RowKey', 'sessionId'] } });
    const found: SessionRecord[] = [];
    for await (const row of rows) {
      const record = await this.verified(String(row.sessionId), { partitionKey, rowKey: row.rowKey ?? '' });
      if (record) found.push(record);
      if (found.length === MAX_VIDEO_CALL_MATCHES) break;
    }
    return found;
  }

  /**
   * Walks the window's day partitions from the newest, each a RowKey range scan, taking one row
   * past the page to know whether another page follows; the token is the last row's position.
   */
  async list(query: SessionListQuery): Promise<Page<SessionRecord>> {
    const fromMs = query.from.getTime();
    const toMs = query.to.getTime();
    if (!Number.isInteger(query.pageSize) || query.pageSize < 1 || query.pageSize > MAX_PAGE_SIZE) throw new RangeError(`pageSize must be 1 to ${MAX_PAGE_SIZE}`);
    if (!(fromMs < toMs)) throw new RangeError('from must be before to');
    if (toMs - fromMs > MAX_LIST_WINDOW_DAYS * DAY_MS) throw new RangeError(`the window is longer than ${MAX_LIST_WINDOW_DAYS} days`);
    const after = query.continuationToken === undefined ? undefined : decodeToken(query.continuationToken);
    const bounds = listRowBounds(fromMs, toMs);
    const wanted = query.pageSize + 1;
    const found: { keys: RowKeys; record: SessionRecord }[] = [];

    for (let day = startOfDay(toMs - 1); day >= startOfDay(fromMs) && found.length < wanted; day -= DAY_MS) {
      const partitionKey = dayKey(day);
      if (after && partitionKey > after.partitionKey) continue;
      let filter = odata`PartitionKey eq ${partitionKey} and RowKey ge ${bounds.lowest} and RowKey lt ${bounds.above}`;
      if (after && partitionKey === after.partitionKey) filter += odata` and RowKey gt ${after.rowKey}`;
      if (query.phase !== undefined) filter += odata` and phase eq ${query.phase}`;
      if (query.outcome !== undefined) filter += odata` and outcome eq ${query.outcome}`;
      const pages = this.sessions.listEntities<Row>({ queryOptions: { filter } }).byPage({ maxPageSize: wanted - found.length });
      for await (const page of pages) {
        for (const row of page) {
          found.push({ keys: { partitionKey, rowKey: row.rowKey ?? '' }, record: fromEntity(row) });
          if (found.length === wanted) break;
        }
        if (found.length === wanted) break;
      }
    }

    if (found.length < wanted) return { items: found.map((f) => f.record) };
    found.pop();
    return { items: found.map((f) => f.record), continuationToken: encodeToken(found[found.length - 1]!.keys) };
  }

  /** The session row goes last, so a delete that fails part-way can be run again. */
  async delete(sessionId: string): Promise<boolean> {
    const sessionKeys = lookupKeys.session(sessionId);
    const stored = await readRow(this.lookup, sessionKeys);
    if (!stored) return false;
    await this.deleteTimeline(sessionId);
    for (const [partitionKey, rowKey] of pointersOf(stored.row)) await deleteRow(this.lookup, { partitionKey, rowKey });
    await deleteRow(this.sessions, listKeys(sessionId, String(stored.row.createdAt)));
    await deleteRow(this.lookup, sessionKeys);
    return true;
  }

  async listEndedBefore(before: Date, limit: number): Promise<EndedSession[]> {
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) throw new RangeError(`limit must be 1 to ${MAX_PAGE_SIZE}`);
    const filter = odata`PartitionKey eq 'ended' and RowKey lt ${ascendingMs(before.getTime())}`;
    const pages = this.lookup.listEntities<Row>({ queryOptions: { filter, select: ['RowKey', 'sessionId'] } }).byPage({ maxPageSize: limit });
    const ended: EndedSession[] = [];
    for await (const page of pages) {
      for (const row of page) {
        const pointer = { partitionKey: 'ended', rowKey: row.rowKey ?? '' };
        const record = await this.verified(String(row.sessionId), pointer);
        if (record?.endedAt !== undefined) ended.push({ sessionId: record.sessionId, endedAt: record.endedAt });
        // a pointer whose session row never landed (a first write that failed part-way) has nothing to keep
        else if (!(await readRow(this.lookup, lookupKeys.session(String(row.sessionId))))) await deleteRow(this.lookup, pointer);
        if (ended.length === limit) return ended;
      }
    }
    return ended;
  }

  async appendTimeline(sessionId: string, lines: TimelineLine[]): Promise<void> {
    const bySeq = new Map<number, TimelineLine>();
    for (const line of lines) {
      if (!Number.isInteger(line.seq) || line.seq < 0 || line.seq > 9_999_999_999) throw new RangeError('timeline seq must be an integer from 0');
      bySeq.set(line.seq, line); // one transaction may not touch a row twice
    }
    const partitionKey = keyPart(sessionId);
    for (const chunk of chunks([...bySeq.values()], TRANSACTION_LIMIT)) {
      await this.timeline.submitTransaction(
        chunk.map((line) => ['upsert', { partitionKey, rowKey: sequenceKey(line.seq), ...timelineEntity(line) }, 'Replace'] as const),
      );
    }
  }

  async readTimeline(sessionId: string, options: { limit: number; continuation?: string }): Promise<Page<TimelineLine>> {
    if (!Number.isInteger(options.limit) || options.limit < 1 || options.limit > MAX_PAGE_SIZE) throw new RangeError(`limit must be 1 to ${MAX_PAGE_SIZE}`);
    if (options.continuation !== undefined && !/^\d{10}$/.test(options.continuation)) throw new InvalidContinuationToken();
    let filter = odata`PartitionKey eq ${keyPart(sessionId)}`;
    if (options.continuation !== undefined) filter += odata` and RowKey gt ${options.continuation}`;
    const wanted = options.limit + 1;
    const lines: TimelineLine[] = [];
    for await (const page of this.timeline.listEntities<Row>({ queryOptions: { filter } }).byPage({ maxPageSize: wanted - lines.length })) {
      for (const row of page) if (lines.length < wanted) lines.push(timelineLine(row));
      if (lines.length === wanted) break;
    }
    if (lines.length < wanted) return { items: lines };
    lines.pop();
    return { items: lines, continuationToken: sequenceKey(lines[lines.length - 1]!.seq) };
  }

  private async deleteTimeline(sessionId: string): Promise<void> {
    const partitionKey = keyPart(sessionId);
    const rows = this.timeline.listEntities<Row>({ queryOptions: { filter: odata`PartitionKey eq ${partitionKey}`, select: ['RowKey'] } });
    const keys: string[] = [];
    for await (const row of rows) keys.push(row.rowKey ?? '');
    for (const chunk of chunks(keys, TRANSACTION_LIMIT)) {
      await this.timeline.submitTransaction(chunk.map((rowKey) => ['delete', { partitionKey, rowKey }] as const));
    }
  }
}
