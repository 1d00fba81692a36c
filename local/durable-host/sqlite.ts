import type { DatabaseSync, StatementSync } from 'node:sqlite';

export type Row = Record<string, unknown>;

/** One database connection with its prepared statements cached by text (shared by every table). */
export class Sql {
  private readonly statements = new Map<string, StatementSync>();

  constructor(readonly db: DatabaseSync) {}

  /** a cached statement: for fixed SQL text only (texts built per call go through `db.prepare`) */
  get(text: string): StatementSync {
    let statement = this.statements.get(text);
    if (!statement) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }
}

export function timeOrUndefined(r: Row | undefined): number | undefined {
  const t = r?.t;
  return typeof t === 'number' || typeof t === 'bigint' ? Number(t) : undefined;
}
