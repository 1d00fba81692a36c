import { timeOrUndefined, type Row, type Sql } from './sqlite';
import type { QueueMessageRow } from './storeRows';

const placeholders = (n: number): string => Array.from({ length: n }, () => '?').join(',');

/** The Service Bus stand-in: queued messages (`queue_messages`) and the dead-letter list. */
export class QueueTable {
  constructor(private readonly sql: Sql) {}

  add(queue: string, body: string, now: number): void {
    this.sql.get('INSERT INTO queue_messages (queue, body, delivery_count, visible_at, enqueued_at) VALUES (?, ?, 0, ?, ?)').run(queue, body, now, now);
  }

  due(queues: string[], now: number, limit: number): QueueMessageRow[] {
    if (queues.length === 0) return [];
    const rows = this.sql.db
      .prepare(`SELECT * FROM queue_messages WHERE visible_at <= ? AND queue IN (${placeholders(queues.length)}) ORDER BY visible_at, id LIMIT ?`)
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

  complete(id: number): void {
    this.sql.get('DELETE FROM queue_messages WHERE id = ?').run(id);
  }

  abandon(id: number, deliveryCount: number, visibleAt: number): void {
    this.sql.get('UPDATE queue_messages SET delivery_count = ?, visible_at = ? WHERE id = ?').run(deliveryCount, visibleAt, id);
  }

  deadLetter(message: QueueMessageRow, reason: string, now: number): void {
    this.sql.get('DELETE FROM queue_messages WHERE id = ?').run(message.id);
    this.sql.get('INSERT INTO dead_letters (queue, body, reason, dead_lettered_at) VALUES (?, ?, ?, ?)').run(message.queue, message.body, reason, now);
  }

  deadLetters(queue: string): { body: string; reason: string }[] {
    const rows = this.sql.get('SELECT body, reason FROM dead_letters WHERE queue = ? ORDER BY id').all(queue) as Row[];
    return rows.map((r) => ({ body: r.body as string, reason: r.reason as string }));
  }

  nextAfter(now: number, queues: string[]): number | undefined {
    if (queues.length === 0) return undefined;
    const r = this.sql.db
      .prepare(`SELECT MIN(visible_at) AS t FROM queue_messages WHERE visible_at > ? AND queue IN (${placeholders(queues.length)})`)
      .get(now, ...queues) as Row;
    return timeOrUndefined(r);
  }
}
