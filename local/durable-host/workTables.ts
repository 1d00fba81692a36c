import type { HistoryEvent } from './history';
import { timeOrUndefined, type Row, type Sql } from './sqlite';
import type { ActivityWork, InboxMessage } from './storeRows';

/** Each orchestration's inbox (`inbox`): external events, completions, and timers not yet due. */
export class InboxTable {
  constructor(private readonly sql: Sql) {}

  add(instanceId: string, executionId: string | null, visibleAt: number, event: HistoryEvent, seq?: number): void {
    this.sql
      .get('INSERT INTO inbox (instance_id, execution_id, visible_at, seq, event) VALUES (?, ?, ?, ?, ?)')
      .run(instanceId, executionId, visibleAt, seq ?? null, JSON.stringify(event));
  }

  due(instanceId: string, now: number): InboxMessage[] {
    const rows = this.sql
      .get('SELECT * FROM inbox WHERE instance_id = ? AND visible_at <= ? ORDER BY visible_at, id')
      .all(instanceId, now) as Row[];
    return rows.map((r) => ({
      id: Number(r.id),
      instanceId: r.instance_id as string,
      executionId: (r.execution_id as string | null) ?? null,
      visibleAt: Number(r.visible_at),
      event: JSON.parse(r.event as string) as HistoryEvent,
    }));
  }

  delete(ids: number[]): void {
    const del = this.sql.get('DELETE FROM inbox WHERE id = ?');
    for (const id of ids) del.run(id);
  }

  /** removes a pending timer (a cancelled durable timer never fires) */
  deleteTimer(instanceId: string, executionId: string, seq: number): void {
    this.sql.get('DELETE FROM inbox WHERE instance_id = ? AND execution_id = ? AND seq = ?').run(instanceId, executionId, seq);
  }

  /** everything queued for one execution: its timers, completions and activities */
  deleteExecution(instanceId: string, executionId: string): void {
    this.sql.get('DELETE FROM inbox WHERE instance_id = ? AND execution_id = ?').run(instanceId, executionId);
    this.sql.get('DELETE FROM activities WHERE instance_id = ? AND execution_id = ?').run(instanceId, executionId);
  }

  dueInstanceIds(now: number, limit: number): string[] {
    const rows = this.sql.get('SELECT DISTINCT instance_id FROM inbox WHERE visible_at <= ? LIMIT ?').all(now, limit) as Row[];
    return rows.map((r) => r.instance_id as string);
  }

  nextAfter(now: number): number | undefined {
    return timeOrUndefined(this.sql.get('SELECT MIN(visible_at) AS t FROM inbox WHERE visible_at > ?').get(now) as Row);
  }
}

/** Scheduled activity invocations (`activities`), each removed together with its result. */
export class ActivityTable {
  constructor(private readonly sql: Sql) {}

  add(w: Omit<ActivityWork, 'id'>): void {
    this.sql
      .get('INSERT INTO activities (instance_id, execution_id, seq, name, input) VALUES (?, ?, ?, ?, ?)')
      .run(w.instanceId, w.executionId, w.seq, w.name, w.input);
  }

  pending(limit: number, excluding: ReadonlySet<number>): ActivityWork[] {
    const rows = this.sql.get('SELECT * FROM activities ORDER BY id LIMIT ?').all(limit + excluding.size) as Row[];
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
  delete(id: number): boolean {
    return Number(this.sql.get('DELETE FROM activities WHERE id = ?').run(id).changes) > 0;
  }
}
