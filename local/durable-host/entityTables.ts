import { timeOrUndefined, type Row, type Sql } from './sqlite';
import type { EntityMessage, EntityRow } from './storeRows';

function toEntityMessage(r: Row): EntityMessage {
  const m = JSON.parse(r.message as string) as Omit<EntityMessage, 'id' | 'entityId' | 'visibleAt'>;
  return { ...m, id: Number(r.id), entityId: r.entity_id as string, visibleAt: Number(r.visible_at) };
}

/** Entity state (`entities`) and each entity's queue of operations (`entity_inbox`). */
export class EntityTable {
  constructor(private readonly sql: Sql) {}

  get(entityId: string): EntityRow | undefined {
    const r = this.sql.get('SELECT * FROM entities WHERE entity_id = ?').get(entityId) as Row | undefined;
    if (!r) return undefined;
    return {
      entityId: r.entity_id as string,
      name: r.name as string,
      key: r.key as string,
      state: (r.state as string | null) ?? null,
      updatedAt: Number(r.updated_at),
    };
  }

  put(e: EntityRow): void {
    this.sql
      .get(
        `INSERT INTO entities (entity_id, name, key, state, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(entity_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`,
      )
      .run(e.entityId, e.name, e.key, e.state, e.updatedAt);
  }

  delete(entityId: string): void {
    this.sql.get('DELETE FROM entities WHERE entity_id = ?').run(entityId);
  }

  addMessage(m: Omit<EntityMessage, 'id'>): void {
    const { entityId, visibleAt, ...message } = m;
    this.sql.get('INSERT INTO entity_inbox (entity_id, visible_at, message) VALUES (?, ?, ?)').run(entityId, visibleAt, JSON.stringify(message));
  }

  dueMessages(entityId: string, now: number, limit: number): EntityMessage[] {
    const rows = this.sql
      .get('SELECT * FROM entity_inbox WHERE entity_id = ? AND visible_at <= ? ORDER BY visible_at, id LIMIT ?')
      .all(entityId, now, limit) as Row[];
    return rows.map(toEntityMessage);
  }

  deleteMessages(ids: number[]): void {
    const del = this.sql.get('DELETE FROM entity_inbox WHERE id = ?');
    for (const id of ids) del.run(id);
  }

  dueEntityIds(now: number, limit: number): string[] {
    const rows = this.sql.get('SELECT DISTINCT entity_id FROM entity_inbox WHERE visible_at <= ? LIMIT ?').all(now, limit) as Row[];
    return rows.map((r) => r.entity_id as string);
  }

  nextAfter(now: number): number | undefined {
    return timeOrUndefined(this.sql.get('SELECT MIN(visible_at) AS t FROM entity_inbox WHERE visible_at > ?').get(now) as Row);
  }
}
