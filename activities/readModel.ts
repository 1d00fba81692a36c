import type { RecordSessionInput, RecordSessionResult } from '../src/contracts/sessionRecord';
import type { SessionIndex } from '../src/contracts/sessionIndex';
import { ACTIVITIES } from '../src/contracts/durable';
import type { Logger } from '../src/logging/logger';

export interface ReadModelActivityDeps {
  index(): Promise<SessionIndex>;
  logger: Logger;
}

/**
 * Writes what support sees of a session to the session index. Idempotent: the lines are upserted
 * by their own numbers (a repeat overwrites itself) and the record only lands if its revision is
 * above the stored one, so a retried or replayed write changes nothing. Lines first: a record
 * that has landed implies its lines have.
 */
export function recordSessionActivity(deps: ReadModelActivityDeps) {
  const log = deps.logger.child({ activity: ACTIVITIES.recordSession.name });
  return async (input: RecordSessionInput): Promise<RecordSessionResult> => {
    const index = await deps.index();
    if (input.lines.length > 0) await index.appendTimeline(input.record.sessionId, input.lines);
    const { applied } = await index.upsert(input.record);
    log.debug({ roomName: input.record.sessionId, revision: input.record.revision, lines: input.lines.length, applied }, 'session recorded');
    return { applied };
  };
}
