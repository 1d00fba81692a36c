import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { EntityTable } from './entityTables';
import { HistoryTable, InstanceTable } from './instanceTable';
import { QueueTable } from './queueTable';
import { Sql } from './sqlite';
import { SCHEMA } from './storeSchema';
import { ActivityTable, InboxTable } from './workTables';

export * from './storeRows';

/**
 * The local host's durable state, in one SQLite file under the data directory. Every unit of
 * work (an orchestration episode, an activity result, an entity batch, an API call) is applied
 * in one transaction, so a process killed at any moment restarts from a consistent state: the
 * work that was not committed is simply done again.
 */
export class HostStore {
  readonly db: DatabaseSync;
  readonly instances: InstanceTable;
  readonly history: HistoryTable;
  readonly inbox: InboxTable;
  readonly activities: ActivityTable;
  readonly entities: EntityTable;
  readonly queues: QueueTable;

  constructor(dataDir: string) {
    // the state holds session inputs and outputs: owner-only, like the secrets file beside it
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    chmodSync(dataDir, 0o700);
    const file = join(dataDir, 'durable-host.sqlite');
    closeSync(openSync(file, 'a', 0o600));
    chmodSync(file, 0o600);
    this.db = new DatabaseSync(file);
    // WAL: readers never block the writer, and a committed transaction survives a killed
    // process (NORMAL sync only risks the last commits on an OS crash, not a process crash).
    this.db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 5000;');
    this.db.exec(SCHEMA);
    // SQLite creates -wal and -shm with the database's mode; files left by an older run are tightened
    for (const suffix of ['-wal', '-shm']) if (existsSync(file + suffix)) chmodSync(file + suffix, 0o600);
    const sql = new Sql(this.db);
    this.instances = new InstanceTable(sql);
    this.history = new HistoryTable(sql);
    this.inbox = new InboxTable(sql);
    this.activities = new ActivityTable(sql);
    this.entities = new EntityTable(sql);
    this.queues = new QueueTable(sql);
  }

  close(): void {
    this.db.close();
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

  /** the earliest moment anything becomes runnable after `now`, for the clock to wake at */
  nextDueAfter(now: number, queues: string[]): number | undefined {
    const times = [this.inbox.nextAfter(now), this.entities.nextAfter(now), this.queues.nextAfter(now, queues)].filter(
      (t): t is number => t !== undefined,
    );
    return times.length ? Math.min(...times) : undefined;
  }
}
