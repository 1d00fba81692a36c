import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import type { HistoryEvent } from './history';

/**
 * The local host's durable state, in one SQLite file under the data directory. Every unit of
 * work (an orchestration episode, an activity result, an entity batch, an API call) is applied
 * in one transaction, so a process killed at any moment restarts from a consistent state: the
 * work that was not committed is simply done again.
 */

export type RuntimeStatus =
  | 'Pending'
  | 'Running'
  | 'Completed'
  | 'ContinuedAsNew'
  | 'Failed'
  | 'Terminated'
  | 'Canceled'
  | 'Suspended';

export const TERMINAL_STATUSES: ReadonlySet<RuntimeStatus> = new Set(['Completed', 'Failed', 'Terminated', 'Canceled']);

export interface InstanceRow {
  instanceId: string;
  name: string;
  executionId: string;
  status: RuntimeStatus;
  /** JSON text, or null */
  input: string | null;
  output: string | null;
  customStatus: string | null;
  createdAt: number;
  updatedAt: number;
  parentInstanceId: string | null;
  parentExecutionId: string | null;
  parentSeq: number | null;
  /** the host's bookkeeping of the current execution (see orchestrations.ts), JSON */
  book: string;
}

export interface InboxMessage {
  id: number;
  instanceId: string;
  /** the execution a completion belongs to; null for events addressed to whatever runs */
  executionId: string | null;
  visibleAt: number;
  event: HistoryEvent;
}

export interface ActivityWork {
  id: number;
  instanceId: string;
  executionId: string;
  seq: number;
  name: string;
  /** JSON text or null */
  input: string | null;
}

export interface EntityMessage {
  id: number;
  entityId: string;
  visibleAt: number;
  operation: string;
  input: string | null;
  isSignal: boolean;
  requestId: string | null;
  parentInstanceId: string | null;
  parentExecutionId: string | null;
}

export interface EntityRow {
  entityId: string;
  name: string;
  key: string;
  state: string | null;
  updatedAt: number;
}

export interface QueueMessageRow {
  id: number;
  queue: string;
  body: string;
  deliveryCount: number;
  visibleAt: number;
  enqueuedAt: number;
}

export interface InstanceQuery {
  createdFrom?: number;
  createdTo?: number;
  statuses?: RuntimeStatus[];
  prefix?: string;
  /** continue after this (createdAt, instanceId) */
  after?: { createdAt: number; instanceId: string };
  limit?: number;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS instances (
  instance_id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  execution_id TEXT NOT NULL,
  status TEXT NOT NULL,
  input TEXT,
  output TEXT,
  custom_status TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  parent_instance_id TEXT,
  parent_execution_id TEXT,
  parent_seq INTEGER,
  book TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS instances_by_created ON instances(created_at, instance_id);
CREATE TABLE IF NOT EXISTS history (
  instance_id TEXT NOT NULL,
  idx INTEGER NOT NULL,
  event TEXT NOT NULL,
  PRIMARY KEY (instance_id, idx)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS inbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  instance_id TEXT NOT NULL,
  execution_id TEXT,
  visible_at INTEGER NOT NULL,
  seq INTEGER,
  event TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS inbox_by_due ON inbox(visible_at);
CREATE INDEX IF NOT EXISTS inbox_by_instance ON inbox(instance_id, visible_at, id);
CREATE TABLE IF NOT EXISTS activities (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  instance_id TEXT NOT NULL,
  execution_id TEXT NOT NULL,
  seq INTEGER NOT NULL,
  name TEXT NOT NULL,
  input TEXT
);
CREATE TABLE IF NOT EXISTS entities (
  entity_id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  key TEXT NOT NULL,
  state TEXT,
  updated_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS entity_inbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  entity_id TEXT NOT NULL,
  visible_at INTEGER NOT NULL,
  message TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS entity_inbox_by_entity ON entity_inbox(entity_id, visible_at, id);
CREATE INDEX IF NOT EXISTS entity_inbox_by_due ON entity_inbox(visible_at);
CREATE TABLE IF NOT EXISTS queue_messages (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  queue TEXT NOT NULL,
  body TEXT NOT NULL,
  delivery_count INTEGER NOT NULL,
  visible_at INTEGER NOT NULL,
  enqueued_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS queue_messages_by_due ON queue_messages(visible_at);
CREATE TABLE IF NOT EXISTS dead_letters (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  queue TEXT NOT NULL,
  body TEXT NOT NULL,
  reason TEXT NOT NULL,
  dead_lettered_at INTEGER NOT NULL
);
`;

type Row = Record<string, unknown>;

function toInstance(r: Row): InstanceRow {
  return {
    instanceId: r.instance_id as string,
    name: r.name as string,
    executionId: r.execution_id as string,
    status: r.status as RuntimeStatus,
    input: (r.input as string | null) ?? null,
    output: (r.output as string | null) ?? null,
    customStatus: (r.custom_status as string | null) ?? null,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
    parentInstanceId: (r.parent_instance_id as string | null) ?? null,
    parentExecutionId: (r.parent_execution_id as string | null) ?? null,
    parentSeq: r.parent_seq === null || r.parent_seq === undefined ? null : Number(r.parent_seq),
    book: r.book as string,
  };
}

function toEntityMessage(r: Row): EntityMessage {
  const m = JSON.parse(r.message as string) as Omit<EntityMessage, 'id' | 'entityId' | 'visibleAt'>;
  return { ...m, id: Number(r.id), entityId: r.entity_id as string, visibleAt: Number(r.visible_at) };
}

export class HostStore {
  readonly db: DatabaseSync;
  private readonly statements = new Map<string, StatementSync>();

  constructor(dataDir: string) {
    mkdirSync(dataDir, { recursive: true });
    this.db = new DatabaseSync(join(dataDir, 'durable-host.sqlite'));
    // WAL: readers never block the writer, and a committed transaction survives a killed
    // process (NORMAL sync only risks the last commits on an OS crash, not a process crash).
    this.db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;');
    this.db.exec(SCHEMA);
  }

  close(): void {
    this.db.close();
  }

  private sql(text: string): StatementSync {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }

  /** Runs `work` in one transaction; node:sqlite is synchronous, so nothing interleaves. */
  transaction<T>(work: () => T): T {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const result = work();
      this.db.exec('COMMIT');
      return result;
    } catch (error) {
      this.db.exec('ROLLBACK');
      throw error;
    }
  }

  // ---- instances ----

  getInstance(instanceId: string): InstanceRow | undefined {
    const r = this.sql('SELECT * FROM instances WHERE instance_id = ?').get(instanceId) as Row | undefined;
    return r ? toInstance(r) : undefined;
  }

  putInstance(i: InstanceRow): void {
    this.sql(
      `INSERT INTO instances (instance_id, name, execution_id, status, input, output, custom_status, created_at, updated_at,
         parent_instance_id, parent_execution_id, parent_seq, book)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT(instance_id) DO UPDATE SET name = excluded.name, execution_id = excluded.execution_id,
         status = excluded.status, input = excluded.input, output = excluded.output, custom_status = excluded.custom_status,
         created_at = excluded.created_at, updated_at = excluded.updated_at, parent_instance_id = excluded.parent_instance_id,
         parent_execution_id = excluded.parent_execution_id, parent_seq = excluded.parent_seq, book = excluded.book`,
    ).run(
      i.instanceId,
      i.name,
      i.executionId,
      i.status,
      i.input,
      i.output,
      i.customStatus,
      i.createdAt,
      i.updatedAt,
      i.parentInstanceId,
      i.parentExecutionId,
      i.parentSeq,
      i.book,
    );
  }

  queryInstances(q: InstanceQuery): InstanceRow[] {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (q.createdFrom !== undefined) {
      where.push('created_at >= ?');
      args.push(q.createdFrom);
    }
    if (q.createdTo !== undefined) {
      where.push('created_at <= ?');
      args.push(q.createdTo);
    }
    if (q.statuses && q.statuses.length > 0) {
      where.push(`status IN (${q.statuses.map(() => '?').join(',')})`);
      args.push(...q.statuses);
    }
    if (q.prefix) {
      where.push('substr(instance_id, 1, ?) = ?');
      args.push(q.prefix.length, q.prefix);
    }
    if (q.after) {
      where.push('(created_at > ? OR (created_at = ? AND instance_id > ?))');
      args.push(q.after.createdAt, q.after.createdAt, q.after.instanceId);
    }
    const text = `SELECT * FROM instances ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY created_at, instance_id ${q.limit ? `LIMIT ${Math.floor(q.limit)}` : ''}`;
    return (this.db.prepare(text).all(...args) as Row[]).map(toInstance);
  }

  deleteInstance(instanceId: string): void {
    this.sql('DELETE FROM instances WHERE instance_id = ?').run(instanceId);
    this.sql('DELETE FROM history WHERE instance_id = ?').run(instanceId);
    this.sql('DELETE FROM inbox WHERE instance_id = ?').run(instanceId);
    this.sql('DELETE FROM activities WHERE instance_id = ?').run(instanceId);
  }

  // ---- history ----

  history(instanceId: string): HistoryEvent[] {
    const rows = this.sql('SELECT event FROM history WHERE instance_id = ? ORDER BY idx').all(instanceId) as Row[];
    return rows.map((r) => JSON.parse(r.event as string) as HistoryEvent);
  }

  historyLength(instanceId: string): number {
    const r = this.sql('SELECT COUNT(*) AS n FROM history WHERE instance_id = ?').get(instanceId) as Row;
    return Number(r.n);
  }

  appendHistory(instanceId: string, from: number, events: HistoryEvent[]): void {
    const insert = this.sql('INSERT INTO history (instance_id, idx, event) VALUES (?, ?, ?)');
    events.forEach((e, i) => insert.run(instanceId, from + i, JSON.stringify(e)));
  }

  clearHistory(instanceId: string): void {
    this.sql('DELETE FROM history WHERE instance_id = ?').run(instanceId);
  }

  // ---- orchestration inbox (events, completions, timers) ----

  addInbox(instanceId: string, executionId: string | null, visibleAt: number, event: HistoryEvent, seq?: number): void {
    this.sql('INSERT INTO inbox (instance_id, execution_id, visible_at, seq, event) VALUES (?, ?, ?, ?, ?)').run(
      instanceId,
      executionId,
      visibleAt,
      seq ?? null,
      JSON.stringify(event),
    );
  }

  dueInbox(instanceId: string, now: number): InboxMessage[] {
    const rows = this.sql(
      'SELECT * FROM inbox WHERE instance_id = ? AND visible_at <= ? ORDER BY visible_at, id',
    ).all(instanceId, now) as Row[];
    return rows.map((r) => ({
      id: Number(r.id),
      instanceId: r.instance_id as string,
      executionId: (r.execution_id as string | null) ?? null,
      visibleAt: Number(r.visible_at),
      event: JSON.parse(r.event as string) as HistoryEvent,
    }));
  }

  deleteInbox(ids: number[]): void {
    const del = this.sql('DELETE FROM inbox WHERE id = ?');
    for (const id of ids) del.run(id);
  }

  /** removes a pending timer (a cancelled durable timer never fires) */
  deleteTimer(instanceId: string, executionId: string, seq: number): void {
    this.sql('DELETE FROM inbox WHERE instance_id = ? AND execution_id = ? AND seq = ?').run(instanceId, executionId, seq);
  }

  deleteExecutionMessages(instanceId: string, executionId: string): void {
    this.sql('DELETE FROM inbox WHERE instance_id = ? AND execution_id = ?').run(instanceId, executionId);
    this.sql('DELETE FROM activities WHERE instance_id = ? AND execution_id = ?').run(instanceId, executionId);
  }

  dueInstanceIds(now: number, limit: number): string[] {
    const rows = this.sql('SELECT DISTINCT instance_id FROM inbox WHERE visible_at <= ? LIMIT ?').all(now, limit) as Row[];
    return rows.map((r) => r.instance_id as string);
  }

  // ---- activities ----

  addActivity(w: Omit<ActivityWork, 'id'>): void {
    this.sql('INSERT INTO activities (instance_id, execution_id, seq, name, input) VALUES (?, ?, ?, ?, ?)').run(
      w.instanceId,
      w.executionId,
      w.seq,
      w.name,
      w.input,
    );
  }

  pendingActivities(limit: number, excluding: ReadonlySet<number>): ActivityWork[] {
    const rows = this.sql('SELECT * FROM activities ORDER BY id LIMIT ?').all(limit + excluding.size) as Row[];
    return rows
      .map((r) => ({
        id: Number(r.id),
        instanceId: r.instance_id as string,
        executionId: r.execution_id as string,
        seq: Number(r.seq),
        name: r.name as string,
        input: (r.input as string | null) ?? null,
      }))
      .filter((w) => !excluding.has(w.id))
      .slice(0, limit);
  }

  /** false when the work item is gone (purged, terminated): its result must be dropped */
  deleteActivity(id: number): boolean {
    return Number(this.sql('DELETE FROM activities WHERE id = ?').run(id).changes) > 0;
  }

  // ---- entities ----

  getEntity(entityId: string): EntityRow | undefined {
    const r = this.sql('SELECT * FROM entities WHERE entity_id = ?').get(entityId) as Row | undefined;
    if (!r) return undefined;
    return {
      entityId: r.entity_id as string,
      name: r.name as string,
      key: r.key as string,
      state: (r.state as string | null) ?? null,
      updatedAt: Number(r.updated_at),
    };
  }

  putEntity(e: EntityRow): void {
    this.sql(
      `INSERT INTO entities (entity_id, name, key, state, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT(entity_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`,
    ).run(e.entityId, e.name, e.key, e.state, e.updatedAt);
  }

  deleteEntity(entityId: string): void {
    this.sql('DELETE FROM entities WHERE entity_id = ?').run(entityId);
  }

  addEntityMessage(m: Omit<EntityMessage, 'id'>): void {
    const { entityId, visibleAt, ...message } = m;
    this.sql('INSERT INTO entity_inbox (entity_id, visible_at, message) VALUES (?, ?, ?)').run(
      entityId,
      visibleAt,
      JSON.stringify(message),
    );
  }

  dueEntityMessages(entityId: string, now: number, limit: number): EntityMessage[] {
    const rows = this.sql(
      'SELECT * FROM entity_inbox WHERE entity_id = ? AND visible_at <= ? ORDER BY visible_at, id LIMIT ?',
    ).all(entityId, now, limit) as Row[];
    return rows.map(toEntityMessage);
  }

  deleteEntityMessages(ids: number[]): void {
    const del = this.sql('DELETE FROM entity_inbox WHERE id = ?');
    for (const id of ids) del.run(id);
  }

  dueEntityIds(now: number, limit: number): string[] {
    const rows = this.sql('SELECT DISTINCT entity_id FROM entity_inbox WHERE visible_at <= ? LIMIT ?').all(now, limit) as Row[];
    return rows.map((r) => r.entity_id as string);
  }

  // ---- service bus stand-in ----

  addQueueMessage(queue: string, body: string, now: number): void {
    this.sql('INSERT INTO queue_messages (queue, body, delivery_count, visible_at, enqueued_at) VALUES (?, ?, 0, ?, ?)').run(
      queue,
      body,
      now,
      now,
    );
  }

  dueQueueMessages(queues: string[], now: number, limit: number): QueueMessageRow[] {
    if (queues.length === 0) return [];
    const rows = this.db
      .prepare(
        `SELECT * FROM queue_messages WHERE visible_at <= ? AND queue IN (${queues.map(() => '?').join(',')}) ORDER BY visible_at, id LIMIT ?`,
      )
      .all(now, ...queues, limit) as Row[];
    return rows.map((r) => ({
      id: Number(r.id),
      queue: r.queue as string,
      body: r.body as string,
      deliveryCount: Number(r.delivery_count),
      visibleAt: Number(r.visible_at),
      enqueuedAt: Number(r.enqueued_at),
    }));
  }

  completeQueueMessage(id: number): void {
    this.sql('DELETE FROM queue_messages WHERE id = ?').run(id);
  }

  abandonQueueMessage(id: number, deliveryCount: number, visibleAt: number): void {
    this.sql('UPDATE queue_messages SET delivery_count = ?, visible_at = ? WHERE id = ?').run(deliveryCount, visibleAt, id);
  }

  deadLetter(message: QueueMessageRow, reason: string, now: number): void {
    this.sql('DELETE FROM queue_messages WHERE id = ?').run(message.id);
    this.sql('INSERT INTO dead_letters (queue, body, reason, dead_lettered_at) VALUES (?, ?, ?, ?)').run(
      message.queue,
      message.body,
      reason,
      now,
    );
  }

  deadLetters(queue: string): { body: string; reason: string }[] {
    const rows = this.sql('SELECT body, reason FROM dead_letters WHERE queue = ? ORDER BY id').all(queue) as Row[];
    return rows.map((r) => ({ body: r.body as string, reason: r.reason as string }));
  }

  // ---- time ----

  /** the earliest moment anything becomes runnable after `now`, for the clock to wake at */
  nextDueAfter(now: number, queues: string[]): number | undefined {
    const candidates = [
      this.sql('SELECT MIN(visible_at) AS t FROM inbox WHERE visible_at > ?').get(now) as Row,
      this.sql('SELECT MIN(visible_at) AS t FROM entity_inbox WHERE visible_at > ?').get(now) as Row,
    ];
    if (queues.length > 0) {
      candidates.push(
        this.db
          .prepare(`SELECT MIN(visible_at) AS t FROM queue_messages WHERE visible_at > ? AND queue IN (${queues.map(() => '?').join(',')})`)
          .get(now, ...queues) as Row,
      );
    }
    const times = candidates.map((r) => r.t).filter((t): t is number => typeof t === 'number' || typeof t === 'bigint').map(Number);
    return times.length ? Math.min(...times) : undefined;
  }
}
