import type { Outcome, Phase } from '../domain/session';

/**
 * The support read model: one record per call session, written from the session's changes and
 * read by support (`GET /sessions`, lookups by room name, conversation id and video call id) so
 * that no read scans durable instances. Holds no PINs, no UUI, no tokens.
 */
export interface SessionRecord {
  /** the room name: MaxConf's session id */
  sessionId: string;
  videoCallId: string;
  conversationId?: string;
  phase: Phase;
  outcome?: Outcome;
  createdAt: string;
  endedAt?: string;
  updatedAt: string;
  agentUserId?: string;
  answeredAt?: string;
  /** the live queue figures; kept outside the orchestration (see `SessionIndex.recordQueueStatus`) */
  queue?: QueueStatus;
  dialAttempts: number;
  /** Pexip participant ids in the room: the newest few citizen and agent-video legs, and the SIP leg */
  participants?: RoomParticipants;
  teardown?: { ok: boolean; detail?: string };
  /**
   * Monotonic per session, supplied by the writer (for example the count of decisions the session
   * has applied). A write whose revision is not above the stored one is ignored, so a replayed or
   * late write never moves a record backwards.
   */
  revision: number;
}

export interface RoomParticipants {
  citizens: string[];
  sip?: string;
  agentVideo: string[];
}

export interface QueueStatus {
  position?: number;
  estimatedWaitSeconds?: number;
  /** when the figures were observed; a status older than the stored one is ignored */
  at: string;
}

export interface TimelineLine {
  /** absolute, per session, from 0: the writer's own count, so a replayed append overwrites itself */
  seq: number;
  at: string;
  kind: 'event' | 'command' | 'result' | 'deadline' | 'ignored';
  what: string;
  detail?: string;
}

export interface SessionListQuery {
  /** inclusive, on createdAt */
  from: Date;
  /** exclusive, on createdAt */
  to: Date;
  phase?: Phase;
  outcome?: Outcome;
  pageSize: number;
  continuationToken?: string;
}

export interface Page<T> {
  items: T[];
  /** absent on the last page */
  continuationToken?: string;
}

export interface UpsertResult {
  /** false when the stored record already had this revision or a later one */
  applied: boolean;
}

export interface EndedSession {
  sessionId: string;
  endedAt: string;
}

export interface SessionIndex {
  upsert(record: SessionRecord): Promise<UpsertResult>;
  /** merges live queue figures into the record if newer than the stored ones; false when no record or older */
  recordQueueStatus(sessionId: string, queue: QueueStatus): Promise<boolean>;
  get(sessionId: string): Promise<SessionRecord | undefined>;
  findByConversationId(conversationId: string): Promise<SessionRecord | undefined>;
  /** newest first: IDIM may create more than one room for one video call */
  findByVideoCallId(videoCallId: string): Promise<SessionRecord[]>;
  /** newest first by createdAt */
  list(query: SessionListQuery): Promise<Page<SessionRecord>>;
  /** removes the record, its lookup rows and its timeline; true when there was a record */
  delete(sessionId: string): Promise<boolean>;
  /** oldest first: the sessions retention may delete */
  listEndedBefore(before: Date, limit: number): Promise<EndedSession[]>;
  appendTimeline(sessionId: string, lines: TimelineLine[]): Promise<void>;
  /** oldest first; `continuation` is the token of the previous page */
  readTimeline(sessionId: string, options: { limit: number; continuation?: string }): Promise<Page<TimelineLine>>;
}

/** A warm room as the pool offers it: facts only, no PINs (the guest PIN is read when the room is handed out). */
export interface WarmRoom {
  name: string;
  /** Pexip's conference id */
  id: number;
  /** when the room was made on Pexip */
  createdAt: string;
}

export interface ClaimedRoom {
  room: WarmRoom;
  /** the queue message's id, for logs and for the claimer's records */
  receipt: string;
}

export interface WarmRoomQueue {
  offer(room: WarmRoom): Promise<void>;
  /**
   * Takes one room for good, or undefined when the pool is empty. `alongside` (a read about the
   * room the claimer needs anyway) runs while the take is made final, and its result comes back
   * with the room; it is run for rooms that then turn out to be someone else's too, so it must
   * change nothing.
   */
  claim<T = never>(alongside?: (room: WarmRoom) => Promise<T>): Promise<(ClaimedRoom & { alongside?: T }) | undefined>;
  /** approximate: the queue service counts lazily */
  size(): Promise<number>;
  clear(): Promise<void>;
}
