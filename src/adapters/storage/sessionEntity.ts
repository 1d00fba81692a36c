import type { QueueStatus, RoomParticipants, SessionRecord, TimelineLine } from '../../contracts/sessionIndex';

/**
 * A session record as a table entity: scalar fields as their own properties (so a list query can
 * filter on `phase` and `outcome` server-side), the small nested ones as JSON. Free text is cut
 * to a bound so no property nears Table Storage's 64 KiB and no entity its 1 MiB.
 */

export const MAX_TEXT = 2_000;

export type SessionEntity = {
  sessionId: string;
  videoCallId: string;
  conversationId?: string;
  phase: string;
  outcome?: string;
  createdAt: string;
  endedAt?: string;
  updatedAt: string;
  agentUserId?: string;
  answeredAt?: string;
  queue?: string;
  queueAt?: string;
  dialAttempts: number;
  participants?: string;
  teardown?: string;
  revision: number;
};

export function bounded(text: string): string {
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text;
}

export function toEntity(record: SessionRecord): SessionEntity {
  const entity: SessionEntity = {
    sessionId: record.sessionId,
    videoCallId: record.videoCallId,
    phase: record.phase,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    dialAttempts: record.dialAttempts,
    revision: record.revision,
  };
  if (record.conversationId !== undefined) entity.conversationId = record.conversationId;
  if (record.outcome !== undefined) entity.outcome = record.outcome;
  if (record.endedAt !== undefined) entity.endedAt = record.endedAt;
  if (record.agentUserId !== undefined) entity.agentUserId = record.agentUserId;
  if (record.answeredAt !== undefined) entity.answeredAt = record.answeredAt;
  if (record.queue !== undefined) {
    entity.queue = JSON.stringify(record.queue);
    entity.queueAt = record.queue.at;
  }
  if (record.participants !== undefined) entity.participants = JSON.stringify(record.participants);
  if (record.teardown !== undefined) {
    const teardown = record.teardown.detail === undefined ? record.teardown : { ...record.teardown, detail: bounded(record.teardown.detail) };
    entity.teardown = JSON.stringify(teardown);
  }
  return entity;
}

export function fromEntity(entity: Record<string, unknown>): SessionRecord {
  const text = (name: string) => (typeof entity[name] === 'string' ? (entity[name] as string) : undefined);
  const record: SessionRecord = {
    sessionId: String(entity.sessionId),
    videoCallId: String(entity.videoCallId),
    phase: String(entity.phase) as SessionRecord['phase'],
    createdAt: String(entity.createdAt),
    updatedAt: String(entity.updatedAt),
    dialAttempts: Number(entity.dialAttempts),
    revision: Number(entity.revision),
  };
  const conversationId = text('conversationId');
  if (conversationId !== undefined) record.conversationId = conversationId;
  const outcome = text('outcome');
  if (outcome !== undefined) record.outcome = outcome as SessionRecord['outcome'];
  const endedAt = text('endedAt');
  if (endedAt !== undefined) record.endedAt = endedAt;
  const agentUserId = text('agentUserId');
  if (agentUserId !== undefined) record.agentUserId = agentUserId;
  const answeredAt = text('answeredAt');
  if (answeredAt !== undefined) record.answeredAt = answeredAt;
  const queue = text('queue');
  if (queue !== undefined) record.queue = JSON.parse(queue) as QueueStatus;
  const participants = text('participants');
  if (participants !== undefined) record.participants = JSON.parse(participants) as RoomParticipants;
  const teardown = text('teardown');
  if (teardown !== undefined) record.teardown = JSON.parse(teardown) as SessionRecord['teardown'];
  return record;
}

/** The newer of two queue statuses (by observation time); either writer may hold the latest. */
export function newerQueue(a: QueueStatus | undefined, b: QueueStatus | undefined): QueueStatus | undefined {
  if (!a) return b;
  if (!b) return a;
  return Date.parse(b.at) > Date.parse(a.at) ? b : a;
}

export function timelineEntity(line: TimelineLine): Record<string, string | number> {
  const entity: Record<string, string | number> = { seq: line.seq, at: line.at, kind: line.kind, what: bounded(line.what) };
  if (line.detail !== undefined) entity.detail = bounded(line.detail);
  return entity;
}

export function timelineLine(entity: Record<string, unknown>): TimelineLine {
  const line: TimelineLine = {
    seq: Number(entity.seq),
    at: String(entity.at),
    kind: String(entity.kind) as TimelineLine['kind'],
    what: String(entity.what),
  };
  if (typeof entity.detail === 'string') line.detail = entity.detail;
  return line;
}

/** Checks a writer's input before any write: a bad record must fail loudly, not land half-written. */
export function checkRecord(record: SessionRecord): void {
  if (!Number.isInteger(record.revision) || record.revision < 0 || record.revision > 2 ** 31 - 1) {
    throw new RangeError('revision must be an integer from 0 to 2^31 - 1');
  }
  if (!record.sessionId) throw new RangeError('sessionId is empty');
  for (const name of ['createdAt', 'updatedAt'] as const) {
    if (Number.isNaN(Date.parse(record[name]))) throw new RangeError(`${name} is not a time`);
  }
  if (record.endedAt !== undefined && Number.isNaN(Date.parse(record.endedAt))) throw new RangeError('endedAt is not a time');
  if (record.queue !== undefined && Number.isNaN(Date.parse(record.queue.at))) throw new RangeError('queue.at is not a time');
}
