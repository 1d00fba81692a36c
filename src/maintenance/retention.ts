import type { DurableControl } from '../contracts';
import { ENTITIES, isFinished } from '../contracts/durable';
import { ConversationKey, SessionId } from '../contracts/ids';
import type { SessionIndex } from '../contracts/sessionIndex';
import type { Logger } from '../logging/logger';

/**
 * Retention: once a session has been over for `retentionMs`, everything it left is deleted, in
 * bounded batches: its callSession instance (purged), its per-room and per-conversation entities
 * (`pexipSinkState@<room>`, `conversationIndex@<conversation>`: their `delete` operations), and
 * its rows in the session index (record, pointers, timeline). The index says which sessions ended
 * when (`listEndedBefore`, oldest first), so no run lists durable instances to find them.
 *
 * What no index row names (the `claim-*` orchestrations behind each create, refill rounds, a
 * session whose record never landed) goes with a purge of the finished orchestrations created in
 * the day before the cut, one day per run: a run a day covers every day once.
 */
export interface RetentionDeps {
  index(): Promise<SessionIndex>;
  retentionMs: number;
  /** sessions per batch (default 100) */
  batchSize?: number;
  /** batches per run (default 20): a backlog is worked off over several runs */
  maxBatches?: number;
  /** how far back the sweep of finished orchestrations reaches before the cut (default one day) */
  sweepMs?: number;
  logger: Logger;
  now(): Date;
}

export interface RetentionReport {
  sessionsDeleted: number;
  instancesPurged: number;
  entitiesDeleted: number;
  /** a session the index says has ended whose instance still runs: left for a later run */
  skippedRunning: number;
  failures: number;
  /** more ended sessions wait than this run's batches took */
  backlog: boolean;
}

const DAY_MS = 24 * 3600_000;

export async function purgeExpired(deps: RetentionDeps, durable: DurableControl): Promise<RetentionReport> {
  const log = deps.logger.child({ component: 'retention' });
  const index = await deps.index();
  const batchSize = deps.batchSize ?? 100;
  const maxBatches = deps.maxBatches ?? 20;
  const cut = new Date(deps.now().getTime() - deps.retentionMs);
  const report: RetentionReport = { sessionsDeleted: 0, instancesPurged: 0, entitiesDeleted: 0, skippedRunning: 0, failures: 0, backlog: false };

  for (let batch = 0; batch < maxBatches; batch++) {
    const ended = await index.listEndedBefore(cut, batchSize);
    let progress = 0;
    for (const { sessionId } of ended) {
      try {
        const done = await forget(index, durable, sessionId, report);
        if (done) progress += 1;
      } catch (error) {
        report.failures += 1;
        log.warn({ roomName: sessionId, err: error instanceof Error ? error.message : String(error) }, 'could not delete an expired session');
      }
    }
    // a batch that deleted nothing would return the same sessions again
    if (ended.length < batchSize || progress === 0) break;
    if (batch === maxBatches - 1) report.backlog = true;
  }

  try {
    report.instancesPurged += await durable.purgeFinished({ createdFrom: new Date(cut.getTime() - (deps.sweepMs ?? DAY_MS)), createdTo: cut });
  } catch (error) {
    report.failures += 1;
    log.warn({ err: error instanceof Error ? error.message : String(error) }, 'could not purge finished orchestrations');
  }
  log.info(report, 'retention run');
  return report;
}

/** One session's remains; false when its instance still runs (nothing is deleted then). */
async function forget(index: SessionIndex, durable: DurableControl, sessionId: string, report: RetentionReport): Promise<boolean> {
  const record = await index.get(sessionId);
  // only an id of the shape MaxConf mints reaches the durable client (src/contracts/ids.ts)
  if (SessionId.safeParse(sessionId).success) {
    const status = await durable.getStatus(sessionId);
    if (status && !isFinished(status)) {
      report.skippedRunning += 1;
      return false;
    }
    if (status) report.instancesPurged += await durable.purge(sessionId);
    await durable.signalEntity(ENTITIES.pexipSinkState, sessionId, 'delete');
    report.entitiesDeleted += 1;
  }
  const conversationId = record?.conversationId;
  if (conversationId && ConversationKey.safeParse(conversationId).success) {
    await durable.signalEntity(ENTITIES.conversationIndex, conversationId, 'delete');
    report.entitiesDeleted += 1;
  }
  await index.delete(sessionId);
  report.sessionsDeleted += 1;
  return true;
}
