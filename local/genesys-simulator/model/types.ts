import type { SipCaller } from '../../../src/contracts/sip';
import type { SimClock } from '../clock';

/** The simulated org's records: divisions, users (agents), queues, voice conversations. */
export interface SimDivision {
  id: string;
  name: string;
}

export interface SimAgent {
  id: string;
  name: string;
  divisionId: string;
  /** logged on and on queue: the flow's "agents logged on?" check counts these */
  loggedOn: boolean;
  /** idle and ready: may be offered a call */
  available: boolean;
  /** the conversation the agent is on (offered or connected), if any */
  conversationId: string | undefined;
  /** picks up an offered call by itself after the answer delay; false: waits for Answer (desktop or API) */
  autoAnswer: boolean;
  /** when the agent's last call ended (0: none yet): routing offers calls to the longest-idle agent */
  idleSince: number;
}

export interface SimQueue {
  id: string;
  name: string;
  divisionId: string;
}

export type SimPurpose = 'customer' | 'ivr' | 'acd' | 'agent';

export interface SimParticipant {
  id: string;
  /** the detail events' `sessionId` (one media session per participant here) */
  sessionId: string;
  purpose: SimPurpose;
  startTime: number;
  connectedTime?: number;
  endTime?: number;
  state: 'alerting' | 'connected' | 'disconnected';
  disconnectType?: string;
  userId?: string;
  queueId?: string;
  attributes: Record<string, string>;
  held: boolean;
  startHoldTime?: number;
  muted: boolean;
  /** held by another party (consult); never set by this simulator's actions */
  confined: boolean;
  /** an ended agent leg whose wrap-up is over: notifications report it `terminated` */
  terminated?: boolean;
  /** the change (see `ModelOptions.changed`) in which it became terminated */
  terminatedInChange?: number;
}

export type FlowRelease = 'holiday' | 'after_hours' | 'no_agents';

export interface SimConversation {
  id: string;
  startTime: number;
  endTime?: number;
  ani: string;
  aniName: string;
  dnis: string;
  uuiData: string | undefined;
  participants: SimParticipant[];
  /** when it entered the queue; undefined before acd.start or after it left */
  waitingSince?: number;
  queueId?: string;
  releasedBy?: FlowRelease;
  caller: SipCaller;
  timers: { cancel(): void }[];
}

export interface FlowSettings {
  holiday: boolean;
  open: boolean;
  /** the flow's "agents logged on?" check; when false a queue with no agents still queues calls */
  releaseWhenNoAgents: boolean;
}

/** A detail event before it is wrapped in an EventBridge envelope. */
export interface DetailEventRecord {
  kind: string;
  body: Record<string, unknown>;
}

export interface ModelOptions {
  clock: SimClock;
  orgId: string;
  queues: SimQueue[];
  divisions: SimDivision[];
  flow: FlowSettings;
  /** how long the flow takes before it releases or queues the call */
  flowDelayMs: number;
  /** how long a free agent takes to answer an offered call */
  answerDelayMs: number;
  /** new agents answer offered calls by themselves (default true); false: they wait for Answer */
  autoAnswer?: boolean;
  /** a waiting caller gives up after this long (undefined: never) */
  abandonAfterMs: number | undefined;
  /** the address calls must be sent to (undefined: any) */
  sipUri: string | undefined;
  /** average handle time used for the estimated wait */
  averageHandleSeconds: number;
  emit(event: DetailEventRecord): void;
  /**
   * A conversation changed (one call per operation, after it): `users` are the agents whose
   * conversation it is or just was, who get the notifications; `change` counts changes.
   */
  changed?(c: SimConversation, users: string[], change: number): void;
}
