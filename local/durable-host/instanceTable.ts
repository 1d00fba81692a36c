import type { HistoryEvent } from './history';
import type { Row, Sql } from './sqlite';
import type { InstanceQuery, InstanceRow, RuntimeStatus } from './storeRows';

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

/** Orchestration instances: their status row (`instances`). */
export class InstanceTable {
  constructor(private readonly sql: Sql) {}

  get(instanceId: string): InstanceRow | undefined {
    const r = this.sql.get('SELECT * FROM instances WHERE instance_id = ?').get(instanceId) as Row | undefined;
    return r ? toInstance(r) : undefined;
  }

  put(i: InstanceRow): void {
    this.sql
      .get(
        `INSERT INTO instances (instance_id, name, execution_id, status, input, output, custom_status, created_at, updated_at,
           parent_instance_id, parent_execution_id, parent_seq, book)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(instance_id) DO UPDATE SET name = excluded.name, execution_id = excluded.execution_id,
           status = excluded.status, input = excluded.input, output = excluded.output, custom_status = excluded.custom_status,
           created_at = excluded.created_at, updated_at = excluded.updated_at, parent_instance_id = excluded.parent_instance_id,
           parent_execution_id = excluded.parent_execution_id, parent_seq = excluded.parent_seq, book = excluded.book`,
      )
      .run(
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

  query(q: InstanceQuery): InstanceRow[] {
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
    return (this.sql.db.prepare(text).all(...args) as Row[]).map(toInstance);
  }

  /** the instance and everything it owns: history, queued events and timers, queued activities */
  delete(instanceId: string): void {
    this.sql.get('DELETE FROM instances WHERE instance_id = ?').run(instanceId);
    this.sql.get('DELETE FROM history WHERE instance_id = ?').run(instanceId);
    this.sql.get('DELETE FROM inbox WHERE instance_id = ?').run(instanceId);
    this.sql.get('DELETE FROM activities WHERE instance_id = ?').run(instanceId);
  }
}

/** The current execution's history of each instance, in DTFx JSON (`history`). */
export class HistoryTable {
  constructor(private readonly sql: Sql) {}

  events(instanceId: string): HistoryEvent[] {
    const rows = this.sql.get('SELECT event FROM history WHERE instance_id = ? ORDER BY idx').all(instanceId) as Row[];
    return rows.map((r) => JSON.parse(r.event as string) as HistoryEvent);
  }

  length(instanceId: string): number {
    const r = this.sql.get('SELECT COUNT(*) AS n FROM history WHERE instance_id = ?').get(instanceId) as Row;
    return Number(r.n);
  }

  append(instanceId: string, from: number, events: HistoryEvent[]): void {
    const insert = this.sql.get('INSERT INTO history (instance_id, idx, event) VALUES (?, ?, ?)');
    events.forEach((e, i) => insert.run(instanceId, from + i, JSON.stringify(e)));
  }

  clear(instanceId: string): void {
    this.sql.get('DELETE FROM history WHERE instance_id = ?').run(instanceId);
  }
}
