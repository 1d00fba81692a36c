import { z } from 'zod';
import type { DisconnectOutcome, SessionConversation } from '../adapters/genesys/conversations';
import type { CallTruth, SessionSettings } from '../domain/session';
import type { SessionView } from '../domain/sessionView';
import { activity, entity, orchestration, type EntityOperation } from './durableSpec';
import type { DurableRoom, RoomActivityResult, RoomPoolOperations, RoomPoolState } from './roomPool';
import { RecordSessionInput, type RecordSessionResult } from './sessionRecord';

/**
 * THE table of MaxConf's durable functions: every orchestration, activity and entity, its name
 * and its input and output types. Names are written here and nowhere else (a test enforces it);
 * a name is part of the history of every running instance on Azure, so a name here is never
 * renamed (version a function by adding a new entry instead). Implementations are elsewhere
 * (orchestrators/, activities/, entities/) and only src/functions pairs them with these entries.
 * docs/architecture.md shows how to add one.
 */

// ---- the call session -------------------------------------------------------------------------

export interface CallSessionInput {
  /** the claimed room; also the instance id */
  roomName: string;
  /** Pexip configuration id of the room, so teardown deletes it without a lookup */
  roomId: number;
  /** the UUI as IDIM sent it; dialled on as the SIP User-to-User header */
  uui: string;
  videoCallId: string;
  settings: SessionSettings;
}

export const DialQueueInput = z.object({
  roomName: z.string().min(1).max(250),
  uui: z.string(),
  attempt: z.number().int().nonnegative(),
  replaceParticipantId: z.string().min(1).max(200).optional(),
});
export type DialQueueInput = z.infer<typeof DialQueueInput>;
export type DialQueueResult =
  | { ok: true; participantId: string }
  /** `busy`: Pexip refused for now (429, 5xx, unreachable) and may take the same call later; a dial it refused so is retried, not counted */
  | { ok: false; reason: string; busy?: boolean; retryAfterSeconds?: number };

export const TeardownInput = z.object({
  roomName: z.string().min(1).max(250),
  roomId: z.number().int(),
  outcome: z.string().max(100),
});
export type TeardownInput = z.infer<typeof TeardownInput>;
export interface TeardownResult {
  ok: boolean;
  detail?: string;
}

export const CheckCallTruthInput = z.object({
  roomName: z.string().min(1).max(250),
  uui: z.string().max(600),
  /** also read the room's Genesys conversation */
  genesys: z.boolean(),
  conversationId: z.string().min(1).max(200).optional(),
});
export type CheckCallTruthInput = z.infer<typeof CheckCallTruthInput>;

// ---- Genesys ----------------------------------------------------------------------------------

export const GenesysQueueStatusInput = z.object({ conversationId: z.string().min(1).max(200) });
export type GenesysQueueStatusInput = z.infer<typeof GenesysQueueStatusInput>;
/** `unavailable` when Genesys could not answer. */
export interface GenesysQueueStatusResult {
  estimatedWaitSeconds?: number;
  position?: number;
  waiting?: boolean;
  /** an agent is connected (its Genesys event may not have come) */
  answeredBy?: string;
  /** the customer leg has ended */
  customerEnded?: boolean;
  unavailable?: true;
}

export const GenesysDisconnectInput = z.object({ conversationId: z.string().min(1).max(200) });
export type GenesysDisconnectInput = z.infer<typeof GenesysDisconnectInput>;
export interface GenesysDisconnectResult {
  outcome: DisconnectOutcome | 'not_configured';
}

export const GenesysFindConversationInput = z.object({
  roomName: z.string().min(1).max(250),
  uui: z.string().max(300).optional(),
  conversationId: z.string().min(1).max(200).optional(),
});
export type GenesysFindConversationInput = z.infer<typeof GenesysFindConversationInput>;
export type GenesysFindConversationResult = { found: false } | ({ found: true } & SessionConversation);

/** `conversationIndex@<conversation id>`: which room a Genesys conversation belongs to, and what was handed on. */
export interface ConversationIndexState {
  roomName: string | null;
  /** what the inbound flow recorded before releasing the call (holiday, after_hours, no_agents) */
  flowOutcome: string | null;
  /** dedupe keys (topic | sessionId | eventTime) of events already handed on, oldest first */
  seen: string[];
  linkedAt: string | null;
}
export const IndexLinkInput = z.object({ roomName: z.string().min(1).max(250), at: z.string().max(64) });
export const IndexMarkSeenInput = z.object({ key: z.string().min(1).max(400) });
export const IndexFlowOutcomeInput = z.object({ outcome: z.string().min(1).max(100) });
export type ConversationIndexOperations = {
  link: EntityOperation<z.infer<typeof IndexLinkInput>, null>;
  markSeen: EntityOperation<z.infer<typeof IndexMarkSeenInput>, null>;
  setFlowOutcome: EntityOperation<z.infer<typeof IndexFlowOutcomeInput>, null>;
  get: EntityOperation<undefined, ConversationIndexState>;
  delete: EntityOperation<undefined, null>;
};

// ---- Pexip ------------------------------------------------------------------------------------

export const CreatePoolRoomInput = z.object({
  name: z.string().min(1).max(250),
  /** set for rooms made on demand for a claim */
  tag: z.string().optional(),
});
export type CreatePoolRoomInput = z.infer<typeof CreatePoolRoomInput>;

export const TagRoomInput = z.object({ name: z.string().min(1).max(250), tag: z.string() });
export type TagRoomInput = z.infer<typeof TagRoomInput>;

export const OfferWarmRoomInput = z.object({ name: z.string().min(1).max(250), id: z.number().int(), createdAt: z.string().max(40) });
export type OfferWarmRoomInput = z.infer<typeof OfferWarmRoomInput>;

export const DeleteRoomInput = z.object({ name: z.string().min(1).max(250) });
export type DeleteRoomInput = z.infer<typeof DeleteRoomInput>;
export interface DeleteRoomResult {
  result: 'deleted' | 'already_gone' | 'refused';
  reason?: string;
}

export interface ClaimRoomInput {
  /** the room's new tag (IDIM's URL, derived from the session's UUI) */
  tag: string;
  /**
   * set when the HTTP handler found the warm-room queue empty: the pool's ready rooms are all in
   * that queue, so the claim goes straight to the on-demand room (no room handed out twice)
   */
  onDemandOnly?: boolean;
}
/** The room without its PINs (a durable output): the create handler reads the guest PIN from Pexip. */
export type ClaimRoomOutput =
  | { ok: true; room: DurableRoom; source: 'pool' | 'on_demand' }
  | { ok: false; reason: 'pool_exhausted' | 'pexip_unavailable'; detail: string };

export interface RefillInput {
  failingRounds?: number;
  /** executions so far (continueAsNew); part of the name seed, so no two rounds draw the same names */
  round?: number;
}
export interface RefillOutput {
  created: number;
  completedStale: number;
  removedBroken: number;
  failed: number;
  stoppedAfterFailures: boolean;
}
export interface ClearPoolOutput {
  deleted: number;
}

/** What the Pexip event sink has already handed to a room's session, keyed by room name. */
export interface RoomIngestState {
  /** event ids already handed to the session (bounded) */
  seen: string[];
  /** the last conference transition handed on; per-node repeats of it are dropped */
  conference?: 'started' | 'ended';
}
export const MAX_SEEN = 200;
export type PexipSinkStateOperations = {
  record: EntityOperation<RoomIngestState, null>;
  get: EntityOperation<undefined, RoomIngestState>;
  delete: EntityOperation<undefined, null>;
};

// ---- the table --------------------------------------------------------------------------------

export const ORCHESTRATIONS = {
  callSession: orchestration<CallSessionInput, SessionView>('callSession'),
  claimRoom: orchestration<ClaimRoomInput, ClaimRoomOutput>('claimRoom'),
  /** continues as new until the pool is full; `undefined` when it continued */
  refillRoomPool: orchestration<RefillInput, RefillOutput | undefined>('refillRoomPool'),
  clearRoomPool: orchestration<Record<string, never>, ClearPoolOutput>('clearRoomPool'),
} as const;

export const ACTIVITIES = {
  dialQueue: activity<DialQueueInput, DialQueueResult>('dialQueue', DialQueueInput),
  teardownSession: activity<TeardownInput, TeardownResult>('teardownSession', TeardownInput),
  checkCallTruth: activity<CheckCallTruthInput, CallTruth>('checkCallTruth', CheckCallTruthInput),
  /** writes the session's support record and its new timeline lines to the session index */
  recordSession: activity<RecordSessionInput, RecordSessionResult>('recordSession', RecordSessionInput),
  genesysQueueStatus: activity<GenesysQueueStatusInput, GenesysQueueStatusResult>('genesysQueueStatus', GenesysQueueStatusInput),
  genesysDisconnect: activity<GenesysDisconnectInput, GenesysDisconnectResult>('genesysDisconnect', GenesysDisconnectInput),
  genesysFindConversation: activity<GenesysFindConversationInput, GenesysFindConversationResult>('genesysFindConversation', GenesysFindConversationInput),
  pexipCreatePoolRoom: activity<CreatePoolRoomInput, RoomActivityResult>('pexipCreatePoolRoom', CreatePoolRoomInput),
  pexipTagRoom: activity<TagRoomInput, RoomActivityResult>('pexipTagRoom', TagRoomInput),
  pexipDeleteRoom: activity<DeleteRoomInput, DeleteRoomResult>('pexipDeleteRoom', DeleteRoomInput),
  offerWarmRoom: activity<OfferWarmRoomInput, null>('offerWarmRoom', OfferWarmRoomInput),
} as const;

export const ENTITIES = {
  roomPool: entity<RoomPoolState, RoomPoolOperations>('roomPool'),
  pexipSinkState: entity<RoomIngestState, PexipSinkStateOperations>('pexipSinkState'),
  conversationIndex: entity<ConversationIndexState, ConversationIndexOperations>('conversationIndex'),
} as const;

/** The refill is a singleton: its one instance id. */
export const REFILL_INSTANCE_ID = 'roomPoolRefill';

/** Runtime statuses after which an instance does nothing more. */
export const FINISHED_RUNTIME_STATUSES: ReadonlySet<string> = new Set(['Completed', 'Failed', 'Terminated', 'Canceled']);

export function isFinished(status: { runtimeStatus: string }): boolean {
  return FINISHED_RUNTIME_STATUSES.has(status.runtimeStatus);
}

/** Whether an instance is a call session (support's routes and the reaper list only those). */
export function isCallSession(status: { name: string }): boolean {
  return status.name === ORCHESTRATIONS.callSession.name;
}
