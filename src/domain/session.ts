import { eventIds } from '../contracts/eventIds';
import type { SessionEvent } from '../contracts/sessionEvents';

/**
 * The call session as a pure state machine: state + input → new state + commands. The callSession
 * orchestration feeds it inbound events, activity results and fired timers, carries out the
 * commands, and sleeps until `nextDeadline(state)`. No IO, no clock but the `now` it is given.
 */

export type Stage = 'waiting_for_citizen' | 'dialing' | 'queued' | 'in_call' | 'ending' | 'ended';
/** What support staff see: the stage, or `reconnecting` while a dropped citizen may still rejoin. */
export type Phase = Exclude<Stage, 'ending'> | 'reconnecting' | 'ending';

export const OUTCOMES = [
  'completed',
  'citizen_no_show',
  'citizen_left',
  'queue_timeout',
  'abandoned',
  'closed',
  'dial_failed',
  'ended_by_idim',
  'terminated_by_support',
  'max_duration',
  'expired',
] as const;
export type Outcome = (typeof OUTCOMES)[number];

export interface SessionSettings {
  citizenJoinMs: number;
  dialDelayMs: number;
  dialMaxAttempts: number;
  dialWindowMs: number;
  queueWaitMs: number;
  reconnectGraceMs: number;
  maxCallMs: number;
  sessionLifetimeMs: number;
  queueStatusRefreshMs: number;
  /**
   * The machine's behaviour version, carried in each session's input so a session replays on the
   * rules it started with. Absent (1): deadlines act on the absence of events. 2: every deadline
   * first reads the vendors' state (`check_truth`). 3: a queued session no longer polls Genesys
   * itself; the deployment's queue observer raises what it missed and keeps position and wait
   * outside the history. Up to 2, a queued session polls its conversation every 30 s. 4: an agent
   * leg that ends by a transfer (`user.end` disconnectType `transfer…`) does not end the call; the
   * colleague who answers it becomes the session's agent. 5: a dial Pexip refused for now (429,
   * 5xx, unreachable: nothing was placed) is tried again after Pexip's Retry-After and does not
   * spend one of the attempts, for up to DIAL_BUSY_LIMIT_MS; before 5 it counted as a failed attempt.
   */
  version?: number;
}

/** The behaviour new sessions start with (see SessionSettings.version). */
export const SESSION_BEHAVIOUR_VERSION = 5;
/** From this behaviour on, the queue observer, not the session, follows a queued call. */
export const QUEUE_OBSERVER_BEHAVIOUR = 3;
/** From this behaviour on, a transfer hands the call to the colleague instead of ending it. */
export const TRANSFER_BEHAVIOUR = 4;
/** From this behaviour on, a dial Pexip refused for now is retried without spending an attempt. */
export const BUSY_DIAL_BEHAVIOUR = 5;
/** How long a dial is retried while Pexip refuses it for now (a management rate limit's window is a minute). */
export const DIAL_BUSY_LIMIT_MS = 5 * 60_000;
/** The pause before a refused dial is tried again, when Pexip named none (and the longest honoured). */
const DIAL_BUSY_PAUSE_MS = { least: 1000, default: 5000, most: 60_000 };

/** The deadlines that are settled by reading Pexip (and Genesys) before they act. */
export type TruthCheck = 'citizen_join' | 'dial_attempt' | 'reconnect' | 'queue_wait';

/** What Pexip and Genesys show for a session's room at one moment (the checkCallTruth activity). */
export interface CallTruth {
  pexip:
    | {
        read: true;
        /** guests (citizens) in the room now, by participant id */
        citizens: string[];
        /** the room's dial-out legs to the Genesys queue */
        sipLegs: { participantId: string; connected: boolean }[];
      }
    | { read: false; reason: string };
  /** asked for only where it matters (dial and queue deadlines) */
  genesys?:
    | { read: true; state: 'none' | 'queued' | 'answered' | 'ended'; conversationId?: string; agentUserId?: string }
    | { read: false; reason: string };
}

export interface TimelineEntry {
  at: string;
  kind: 'event' | 'command' | 'result' | 'deadline' | 'ignored';
  what: string;
  detail?: string;
}

export interface SessionState {
  roomName: string;
  stage: Stage;
  createdAt: string;
  settings: SessionSettings;
  /** citizen participants present now (Pexip uuids) */
  citizens: string[];
  /** participants seen leaving: a join reported after its leave is late and ignored */
  departed: string[];
  /** while set, the citizen dropped and may rejoin until then */
  reconnectUntil?: string;
  dial: {
    attempts: number;
    windowEndsAt?: string;
    nextAttemptAt?: string;
    /** an attempt that has not connected by then counts as failed */
    attemptDeadline?: string;
    inFlight: boolean;
    participantId?: string;
    /** a leg placed by a failed attempt that may still ring */
    staleParticipantId?: string;
    /** how often this attempt's deadline was moved because its leg was still ringing */
    extensions?: number;
    /** when Pexip first refused a dial of this session for now (behaviour 5): the 5 minutes are the whole dial's, not each attempt's */
    busySince?: string;
  };
  sipParticipantId?: string;
  queueDeadline?: string;
  conversationId?: string;
  acdStarted: boolean;
  agentUserId?: string;
  answeredAt?: string;
  callDeadline?: string;
  agentVideo: string[];
  nextQueueRefreshAt?: string;
  queueInfo?: { estimatedWaitSeconds?: number; position?: number; at: string };
  outcome?: Outcome;
  endedAt?: string;
  teardown?: { ok: boolean; detail?: string };
  recentEventIds: string[];
  timeline: TimelineEntry[];
  /** timeline entries dropped to keep the state small */
  timelineDropped: number;
  /** a deadline waiting on a read of the vendors' state (behaviour 2) */
  check?: {
    reason: TruthCheck;
    /** the read is under way (the orchestration answers it before anything else happens) */
    inFlight: boolean;
    /** the vendors confirmed what the deadline assumes: it acts now */
    confirmed?: boolean;
    /** the vendors could not be read: ask again then */
    retryAt?: string;
    tries: number;
  };
}

export type Command =
  /** `replaceParticipantId`: an earlier attempt's leg that never connected, to hang up first */
  | { type: 'dial_queue'; attempt: number; replaceParticipantId?: string }
  /** without a conversation id (its Genesys events have not come) the conversation is looked up by the room */
  | { type: 'refresh_queue_status'; conversationId?: string }
  | { type: 'teardown'; outcome: Outcome; disconnectConversationId?: string }
  /** read Pexip (and, with `genesys`, the room's Genesys conversation) before a deadline acts */
  | { type: 'check_truth'; check: TruthCheck; genesys: boolean; conversationId?: string };

export type MachineInput =
  | { kind: 'event'; event: SessionEvent }
  /** a durable timer fired; every deadline due by `now` is acted on */
  | { kind: 'deadline' }
  | { kind: 'dial_result'; attempt: number; ok: true; participantId: string }
  | { kind: 'dial_result'; attempt: number; ok: false; reason: string; busy?: boolean; retryAfterSeconds?: number }
  | {
      kind: 'queue_status';
      estimatedWaitSeconds?: number;
      position?: number;
      /** the session's Genesys conversation, when the poll had to look it up */
      conversationId?: string;
      /** Genesys REST shows an agent connected: the answer's event may be lost or late */
      answeredBy?: string;
      /** Genesys REST shows the customer leg ended */
      customerEnded?: boolean;
    }
  | { kind: 'teardown_done'; ok: boolean; detail?: string }
  | { kind: 'truth'; check: TruthCheck; truth: CallTruth };

export interface Decision {
  state: SessionState;
  commands: Command[];
}

const RECENT_EVENT_IDS = 200;
const TIMELINE_MAX = 300;
const DEPARTED_MAX = 50;
/** present participants kept per list; more can only mean leaves that were never reported */
const PRESENT_MAX = 10;
const DETAIL_MAX = 160;
/** a leg still ringing at its attempt deadline gets this many more attempt periods */
const RINGING_EXTENSIONS = 2;
const CHECK_RETRY_FIRST_MS = 10_000;
const CHECK_RETRY_MAX_MS = 5 * 60_000;

const iso = (ms: number) => new Date(ms).toISOString();
const ms = (time: string) => Date.parse(time);

export function startSession(roomName: string, settings: SessionSettings, now: Date): SessionState {
  const at = now.toISOString();
  return {
    roomName,
    stage: 'waiting_for_citizen',
    createdAt: at,
    settings,
    citizens: [],
    departed: [],
    dial: { attempts: 0, inFlight: false },
    acdStarted: false,
    agentVideo: [],
    recentEventIds: [],
    timeline: [{ at, kind: 'event', what: 'session_started' }],
    timelineDropped: 0,
  };
}

export function phaseOf(state: SessionState): Phase {
  if (state.reconnectUntil && (state.stage === 'dialing' || state.stage === 'queued' || state.stage === 'in_call')) {
    return 'reconnecting';
  }
  return state.stage;
}

export function isFinished(state: SessionState): boolean {
  return state.stage === 'ending' || state.stage === 'ended';
}

/** The earliest moment the machine wants to be woken, or undefined when only events matter. */
export function nextDeadline(state: SessionState): string | undefined {
  if (isFinished(state)) return undefined;
  const s = state.settings;
  const candidates: (string | undefined)[] = [iso(ms(state.createdAt) + s.sessionLifetimeMs), state.reconnectUntil];
  switch (state.stage) {
    case 'waiting_for_citizen':
      candidates.push(iso(ms(state.createdAt) + s.citizenJoinMs));
      break;
    case 'dialing':
      if (!state.dial.inFlight) candidates.push(state.dial.nextAttemptAt);
      candidates.push(state.dial.attemptDeadline);
      break;
    case 'queued':
      candidates.push(state.queueDeadline, state.nextQueueRefreshAt);
      break;
    case 'in_call':
      candidates.push(state.callDeadline);
      break;
  }
  let times = candidates.filter((t): t is string => t !== undefined);
  const check = state.check && checkApplies(state, state.check.reason) ? state.check : undefined;
  if (check?.retryAt) {
    // the vendors could not be read: every deadline that needs a read waits for the next try
    const retryAt = check.retryAt;
    const waiting = new Set(TRUTH_CHECKS.map((reason) => checkedDeadline(state, reason)));
    times = times.filter((t) => !waiting.has(t) || t > retryAt);
    times.push(retryAt);
  }
  return times.sort()[0];
}

const TRUTH_CHECKS: readonly TruthCheck[] = ['citizen_join', 'dial_attempt', 'reconnect', 'queue_wait'];

/** Whether the deadline a check settles still applies to the session as it is now. */
function checkApplies(state: SessionState, reason: TruthCheck): boolean {
  switch (reason) {
    case 'citizen_join':
      return state.stage === 'waiting_for_citizen';
    case 'dial_attempt':
      return state.stage === 'dialing' && state.dial.attemptDeadline !== undefined;
    case 'reconnect':
      return state.reconnectUntil !== undefined && !isFinished(state);
    case 'queue_wait':
      return state.stage === 'queued';
  }
}

/** The deadline a check settles. */
function checkedDeadline(state: SessionState, reason: TruthCheck): string | undefined {
  switch (reason) {
    case 'citizen_join':
      return iso(ms(state.createdAt) + state.settings.citizenJoinMs);
    case 'dial_attempt':
      return state.dial.attemptDeadline;
    case 'reconnect':
      return state.reconnectUntil;
    case 'queue_wait':
      return state.queueDeadline;
  }
}

/** Applies one input and then every deadline already due. Pure: the given state is not changed. */
export function decide(previous: SessionState, input: MachineInput, now: Date): Decision {
  const state = structuredClone(previous);
  const commands: Command[] = [];
  const t = now.getTime();
  const m = new Machine(state, commands, t);
  m.apply(input);
  m.runDue();
  return { state, commands };
}

class Machine {
  constructor(
    private readonly s: SessionState,
    private readonly commands: Command[],
    private readonly now: number,
  ) {}

  private get at() {
    return iso(this.now);
  }

  /** behaviour 2: deadlines read the vendors first */
  private get readsVendors(): boolean {
    return (this.s.settings.version ?? 1) >= 2;
  }

  /** behaviour 3: the queue observer follows a queued call; the session does not poll */
  private get queueObserved(): boolean {
    return (this.s.settings.version ?? 1) >= QUEUE_OBSERVER_BEHAVIOUR;
  }

  /** behaviour 5: a dial Pexip refused for now is retried, not counted */
  private get retriesBusyDials(): boolean {
    return (this.s.settings.version ?? 1) >= BUSY_DIAL_BEHAVIOUR;
  }

  /** behaviour 4: a transferred call goes on with the colleague */
  private get followsTransfers(): boolean {
    return (this.s.settings.version ?? 1) >= TRANSFER_BEHAVIOUR;
  }

  private note(kind: TimelineEntry['kind'], what: string, fullDetail?: string) {
    const detail = fullDetail === undefined || fullDetail.length <= DETAIL_MAX ? fullDetail : `${fullDetail.slice(0, DETAIL_MAX - 1)}…`;
    this.s.timeline.push(detail === undefined ? { at: this.at, kind, what } : { at: this.at, kind, what, detail });
    if (this.s.timeline.length > TIMELINE_MAX) {
      // keep the first entries (how the session began) and the latest ones
      this.s.timeline.splice(10, 1);
      this.s.timelineDropped += 1;
    }
  }

  private command(command: Command) {
    this.commands.push(command);
    const detail =
      command.type === 'dial_queue'
        ? `attempt ${command.attempt}`
        : command.type === 'teardown'
          ? command.outcome
          : command.type === 'check_truth'
            ? command.check
            : undefined;
    this.note('command', command.type, detail);
  }

  private end(outcome: Outcome, genesysEndedIt: boolean) {
    if (isFinished(this.s)) return;
    this.s.stage = 'ending';
    this.s.outcome = outcome;
    this.s.endedAt = this.at;
    delete this.s.reconnectUntil;
    delete this.s.check;
    const conversation = genesysEndedIt ? undefined : this.s.conversationId;
    this.command(
      conversation ? { type: 'teardown', outcome, disconnectConversationId: conversation } : { type: 'teardown', outcome },
    );
  }

  private ignore(what: string, why: string) {
    this.note('ignored', what, why);
  }

  apply(input: MachineInput) {
    switch (input.kind) {
      case 'event':
        return this.onEvent(input.event);
      case 'deadline':
        return; // runDue acts on whatever is due
      case 'dial_result':
        return this.onDialResult(input);
      case 'queue_status':
        return this.onQueueStatus(input);
      case 'truth':
        return this.onTruth(input);
      case 'teardown_done':
        if (this.s.stage !== 'ending') return;
        this.s.stage = 'ended';
        this.s.teardown = input.detail === undefined ? { ok: input.ok } : { ok: input.ok, detail: input.detail };
        this.note('result', 'teardown', input.ok ? 'done' : `left to the reaper: ${input.detail ?? 'failed'}`);
        return;
    }
  }

  /**
   * The queue poll is also the backstop for Genesys events that never come (EventBridge drops or
   * delays some): what REST shows is fed in as the event it stands for, under the same eventId
   * ingestion gives it, so the real event arriving later is a duplicate.
   */
  private onQueueStatus(input: Extract<MachineInput, { kind: 'queue_status' }>) {
    const s = this.s;
    if (s.stage !== 'queued') return;
    s.conversationId ??= input.conversationId;
    if (!s.conversationId) return;
    const conversationId = s.conversationId;
    const from = { roomName: s.roomName, at: this.at, source: 'genesys' as const, conversationId };
    if (input.answeredBy) {
      this.note('result', 'refresh_queue_status', 'an agent answered without its Genesys event');
      return this.onEvent({ ...from, type: 'agent_connected', eventId: `genesys:${conversationId}:agent_connected:${input.answeredBy}`, agentUserId: input.answeredBy });
    }
    if (input.customerEnded) {
      this.note('result', 'refresh_queue_status', 'the Genesys call ended without its event');
      return this.onEvent({ ...from, type: 'customer_ended', eventId: `genesys:${conversationId}:customer_ended` });
    }
    s.queueInfo = { at: this.at, estimatedWaitSeconds: input.estimatedWaitSeconds, position: input.position };
  }

  private onEvent(event: SessionEvent) {
    if (this.s.recentEventIds.includes(event.eventId)) return this.ignore(event.type, 'duplicate');
    this.s.recentEventIds.push(event.eventId);
    if (this.s.recentEventIds.length > RECENT_EVENT_IDS) this.s.recentEventIds.shift();
    if (isFinished(this.s)) return this.ignore(event.type, 'session over');
    this.note('event', event.type, 'participantId' in event ? event.participantId : undefined);

    const s = this.s;
    const callInProgress = s.stage === 'dialing' || s.stage === 'queued' || s.stage === 'in_call';
    switch (event.type) {
      case 'citizen_joined': {
        if (s.departed.includes(event.participantId)) return this.ignore(event.type, 'reported after its leave');
        if (!s.citizens.includes(event.participantId)) keepBounded(s.citizens, event.participantId);
        delete s.reconnectUntil;
        if (s.stage === 'waiting_for_citizen') {
          s.stage = 'dialing';
          s.dial.nextAttemptAt = iso(this.now + s.settings.dialDelayMs);
          s.dial.windowEndsAt = iso(this.now + s.settings.dialDelayMs + s.settings.dialWindowMs);
        }
        return;
      }
      case 'citizen_left':
        s.departed.push(event.participantId);
        if (s.departed.length > DEPARTED_MAX) s.departed.shift();
        if (!s.citizens.includes(event.participantId)) return;
        s.citizens = s.citizens.filter((p) => p !== event.participantId);
        if (s.citizens.length === 0) this.citizenGone();
        return;
      case 'conference_ended':
        // Pexip ends the conference on a short blip too; it only starts the grace period.
        if (!callInProgress) return;
        if (s.citizens.length > 0) {
          for (const p of s.citizens) s.departed.push(p);
          s.citizens = [];
        }
        this.citizenGone();
        return;
      case 'conference_started':
        return;
      case 'sip_leg_connected':
        if (s.stage !== 'dialing' && s.stage !== 'queued') return;
        s.sipParticipantId = event.participantId;
        if (s.stage === 'dialing') this.enterQueue();
        return;
      case 'sip_leg_failed':
        if (s.stage !== 'dialing') return this.ignore(event.type, 'not dialing');
        if (event.participantId && s.dial.participantId && event.participantId !== s.dial.participantId) {
          return this.ignore(event.type, 'an earlier attempt');
        }
        return this.attemptFailed(event.reason);
      case 'sip_leg_ended':
        if (s.stage === 'dialing') return this.attemptFailed(event.reason ?? 'SIP leg ended before it was queued');
        if (s.sipParticipantId && event.participantId !== s.sipParticipantId) return this.ignore(event.type, 'another leg');
        if (s.stage === 'queued') return this.end(s.acdStarted ? 'abandoned' : 'closed', true);
        if (s.stage === 'in_call') return this.end('completed', true);
        return;
      case 'agent_video_joined':
        if (!s.agentVideo.includes(event.participantId)) keepBounded(s.agentVideo, event.participantId);
        return;
      case 'agent_video_left':
        s.agentVideo = s.agentVideo.filter((p) => p !== event.participantId);
        return;
      case 'queued':
        if (s.stage !== 'dialing' && s.stage !== 'queued') return;
        s.conversationId ??= event.conversationId;
        s.acdStarted = true;
        if (s.stage === 'dialing') this.enterQueue();
        if (!this.queueObserved) s.nextQueueRefreshAt = this.at;
        return;
      case 'agent_connected':
        if (s.stage === 'in_call' && this.followsTransfers && event.agentUserId !== s.agentUserId) {
          // a colleague took the transferred call: the room stays, the session's agent is now this one
          s.agentUserId = event.agentUserId;
          return;
        }
        if (s.stage !== 'dialing' && s.stage !== 'queued') return this.ignore(event.type, `in ${s.stage}`);
        s.conversationId ??= event.conversationId;
        s.agentUserId = event.agentUserId;
        s.answeredAt = this.at;
        s.stage = 'in_call';
        s.callDeadline = iso(this.now + s.settings.maxCallMs);
        delete s.queueDeadline;
        delete s.nextQueueRefreshAt;
        delete s.dial.attemptDeadline;
        delete s.dial.nextAttemptAt;
        return;
      case 'agent_left':
        if (s.stage !== 'in_call') return;
        // a blind or consult transfer ends only this agent's leg: the customer's leg, and so the room, go on
        if (this.followsTransfers) {
          if (/^transfer/.test(event.disconnectType ?? '')) return;
          // the leg of an agent who has already handed the call on (events may come out of order)
          if (s.agentUserId !== undefined && event.agentUserId !== s.agentUserId) return this.ignore(event.type, 'not the call’s current agent');
        }
        return this.end('completed', true);
      case 'abandoned':
        if (s.stage === 'dialing' || s.stage === 'queued') return this.end('abandoned', true);
        return;
      case 'released_by_flow':
        if (s.stage === 'dialing' || s.stage === 'queued') return this.end('closed', true);
        return;
      case 'customer_ended':
        if (s.stage === 'in_call') return this.end('completed', true);
        if (s.stage === 'dialing' || s.stage === 'queued') return this.end(s.acdStarted ? 'abandoned' : 'closed', true);
        return;
      case 'idim_deleted':
        return this.end(s.answeredAt ? 'completed' : 'ended_by_idim', false);
      case 'support_terminated':
        return this.end('terminated_by_support', false);
      case 'citizen_ended_call':
        // a deliberate leave is not a drop: no grace; the outcome is the grace's own (the table in docs/session.md)
        return this.end(s.answeredAt ? 'completed' : 'citizen_left', false);
      case 'lifetime_exceeded':
        return this.end('expired', false);
    }
  }

  private citizenGone() {
    const s = this.s;
    if (s.stage === 'waiting_for_citizen' || isFinished(s)) return;
    s.reconnectUntil ??= iso(this.now + s.settings.reconnectGraceMs);
  }

  private enterQueue() {
    const s = this.s;
    s.stage = 'queued';
    s.queueDeadline = iso(this.now + s.settings.queueWaitMs);
    // up to behaviour 2 the session polls Genesys as a backstop (the `queued` event moves the poll
    // to now); from 3 lost Genesys events and the queue position are the queue observer's
    if (!this.queueObserved) s.nextQueueRefreshAt = iso(this.now + s.settings.queueStatusRefreshMs);
    s.dial.inFlight = false;
    delete s.dial.attemptDeadline;
    delete s.dial.nextAttemptAt;
  }

  private onDialResult(result: Extract<MachineInput, { kind: 'dial_result' }>) {
    const s = this.s;
    if (s.stage !== 'dialing' || result.attempt !== s.dial.attempts) return;
    s.dial.inFlight = false;
    this.note('result', 'dial_queue', result.ok ? `attempt ${result.attempt} placed` : `attempt ${result.attempt}: ${result.reason}`);
    if (result.ok) {
      delete s.dial.busySince;
      s.dial.participantId = result.participantId;
      return;
    }
    if (result.busy && this.retriesBusyDials && this.retryBusyDial(result.retryAfterSeconds)) return;
    this.attemptFailed(result.reason);
  }

  /**
   * Pexip refused the dial for now and placed nothing: the same attempt goes again once Pexip's
   * Retry-After has passed, and the dial window moves on so the attempts left keep their share of
   * it: a rate limit costs time, not attempts. False once Pexip has been refusing this session's
   * dials for DIAL_BUSY_LIMIT_MS: from then on a refusal counts as a failed attempt.
   */
  private retryBusyDial(retryAfterSeconds: number | undefined): boolean {
    const s = this.s;
    s.dial.busySince ??= this.at;
    if (this.now - ms(s.dial.busySince) >= DIAL_BUSY_LIMIT_MS) return false;
    const asked = retryAfterSeconds !== undefined && Number.isFinite(retryAfterSeconds) ? retryAfterSeconds * 1000 : DIAL_BUSY_PAUSE_MS.default;
    const pause = Math.min(Math.max(asked, DIAL_BUSY_PAUSE_MS.least), DIAL_BUSY_PAUSE_MS.most);
    s.dial.attempts -= 1;
    delete s.dial.attemptDeadline;
    s.dial.nextAttemptAt = iso(this.now + pause);
    // the attempts left keep their share of the window, counted from the retry
    const slot = s.settings.dialWindowMs / s.settings.dialMaxAttempts;
    const needed = this.now + pause + slot * (s.settings.dialMaxAttempts - s.dial.attempts);
    if (s.dial.windowEndsAt) s.dial.windowEndsAt = iso(Math.max(ms(s.dial.windowEndsAt), needed));
    this.note('result', 'dial_queue', `Pexip busy: attempt ${s.dial.attempts + 1} again in ${Math.round(pause / 1000)} s`);
    return true;
  }

  private attemptFailed(reason: string) {
    const s = this.s;
    s.dial.inFlight = false;
    delete s.dial.attemptDeadline;
    if (s.dial.participantId) s.dial.staleParticipantId = s.dial.participantId;
    delete s.dial.participantId;
    const windowEnd = s.dial.windowEndsAt ? ms(s.dial.windowEndsAt) : this.now;
    if (s.dial.attempts >= s.settings.dialMaxAttempts || this.now >= windowEnd) {
      this.note('result', 'dialing exhausted', reason);
      return this.end('dial_failed', false);
    }
    // spread the remaining attempts over what is left of the window
    const remaining = s.settings.dialMaxAttempts - s.dial.attempts;
    const pause = Math.min(Math.max(1000, (windowEnd - this.now) / (remaining + 1)), 5000);
    s.dial.nextAttemptAt = iso(Math.min(this.now + pause, windowEnd));
  }

  /**
   * Whether a due deadline may act now. Behaviour 1 acts at once. Behaviour 2 first asks for a read
   * of the vendors (`check_truth`) and acts only once they confirm what the deadline assumes; a
   * read that finds the opposite has already moved the session on (onTruth), and an unreadable
   * vendor postpones the deadline rather than acting on a guess.
   */
  private settled(reason: TruthCheck, deadline: string): boolean {
    const s = this.s;
    if (!this.readsVendors) {
      this.note('deadline', deadline);
      return true;
    }
    const pending = s.check;
    if (pending?.reason === reason && pending.confirmed) {
      delete s.check;
      return true;
    }
    // one read at a time; while the vendors are unreadable every such deadline waits for the retry
    if (pending && (pending.inFlight || (pending.retryAt !== undefined && ms(pending.retryAt) > this.now))) return false;
    if (pending?.reason !== reason) this.note('deadline', deadline);
    s.check = { reason, inFlight: true, tries: (pending?.tries ?? 0) + 1 };
    const genesys = reason === 'dial_attempt' || reason === 'queue_wait';
    this.command({ type: 'check_truth', check: reason, genesys, ...(genesys && s.conversationId ? { conversationId: s.conversationId } : {}) });
    return false;
  }

  /** A vendor read for a due deadline: what it finds moves the session, or confirms the deadline. */
  private onTruth(input: Extract<MachineInput, { kind: 'truth' }>) {
    const s = this.s;
    const check = s.check;
    if (!check || check.reason !== input.check || !check.inFlight) return;
    check.inFlight = false;
    this.applyTruth(check, input.truth);
    if (s.check !== check || check.confirmed || check.retryAt) return;
    // what the read found must have moved the session past the deadline; if it did not (the fact
    // was already known, say), the deadline stands and acts now rather than asking again
    const deadline = checkApplies(s, check.reason) ? checkedDeadline(s, check.reason) : undefined;
    if (deadline !== undefined && ms(deadline) <= this.now) check.confirmed = true;
    else delete s.check;
  }

  private applyTruth(check: NonNullable<SessionState['check']>, truth: CallTruth) {
    const s = this.s;
    const { pexip, genesys } = truth;
    const from = { roomName: s.roomName, at: this.at };
    const confirm = (why: string) => {
      check.confirmed = true;
      this.note('result', 'check_truth', why);
    };
    const unreadable = (why: string) => {
      const wait = Math.min(CHECK_RETRY_FIRST_MS * 2 ** (check.tries - 1), CHECK_RETRY_MAX_MS);
      check.retryAt = iso(this.now + wait);
      this.note('result', 'check_truth', `not readable, asking again in ${Math.round(wait / 1000)} s: ${why}`);
    };
    const found = (why: string) => this.note('result', 'check_truth', why);
    const citizenBack = (citizens: string[]) => {
      for (const participantId of citizens) {
        this.onEvent({ ...from, source: 'pexip', type: 'citizen_joined', participantId, eventId: eventIds.participantJoined(participantId) });
      }
    };

    switch (check.reason) {
      case 'citizen_join':
      case 'reconnect': {
        if (!pexip.read) return unreadable(pexip.reason);
        // a participant whose leave was reported is on its way out, not back
        const present = pexip.citizens.filter((p) => !s.departed.includes(p));
        if (present.length === 0) return confirm('no citizen in the room');
        found('the citizen is in the room; its join event was lost or late');
        return citizenBack(present);
      }
      case 'dial_attempt': {
        if (genesys?.read && genesys.state === 'answered' && genesys.conversationId && genesys.agentUserId) {
          found('an agent has answered the call');
          const { conversationId, agentUserId } = genesys;
          return this.onEvent({ ...from, source: 'genesys', type: 'agent_connected', conversationId, agentUserId, eventId: eventIds.agentConnected(conversationId, agentUserId) });
        }
        const connected = pexip.read ? pexip.sipLegs.find((leg) => leg.connected) : undefined;
        if (connected) {
          found('the dial-out is connected');
          if (genesys?.read && genesys.state === 'queued' && genesys.conversationId) s.conversationId ??= genesys.conversationId;
          return this.onEvent({ ...from, source: 'pexip', type: 'sip_leg_connected', participantId: connected.participantId, eventId: eventIds.participantJoined(connected.participantId) });
        }
        if (genesys?.read && genesys.state === 'queued') {
          found('Genesys has the call in the queue');
          if (genesys.conversationId) s.conversationId ??= genesys.conversationId;
          s.acdStarted = true;
          return this.enterQueue();
        }
        if (!pexip.read) return unreadable(pexip.reason);
        const ringing = pexip.sipLegs.length > 0;
        if (ringing && (s.dial.extensions ?? 0) < RINGING_EXTENSIONS) {
          found('the dial-out is still ringing');
          s.dial.extensions = (s.dial.extensions ?? 0) + 1;
          const period = s.settings.dialWindowMs / s.settings.dialMaxAttempts;
          s.dial.attemptDeadline = iso(this.now + period);
          // time spent ringing is not taken from the attempts still to come
          if (s.dial.windowEndsAt) s.dial.windowEndsAt = iso(ms(s.dial.windowEndsAt) + period);
          return;
        }
        return confirm(ringing ? 'the dial-out is still not answered' : 'no dial-out leg in the room');
      }
      case 'queue_wait': {
        if (!genesys) return unreadable('Genesys was not asked');
        if (!genesys.read) return unreadable(genesys.reason);
        const conversationId = genesys.conversationId ?? s.conversationId;
        if (genesys.state === 'answered' && conversationId && genesys.agentUserId) {
          found('an agent has answered the call');
          const { agentUserId } = genesys;
          return this.onEvent({ ...from, source: 'genesys', type: 'agent_connected', conversationId, agentUserId, eventId: eventIds.agentConnected(conversationId, agentUserId) });
        }
        if (genesys.state === 'ended' && conversationId) {
          found('the Genesys call has ended');
          return this.onEvent({ ...from, source: 'genesys', type: 'customer_ended', conversationId, eventId: eventIds.customerEnded(conversationId) });
        }
        return confirm('the call is still waiting in the queue');
      }
    }
  }

  /** Acts on every deadline due by now, in the order a support person would expect. */
  runDue() {
    const s = this.s;
    const due = (time: string | undefined) => time !== undefined && ms(time) <= this.now;
    // a check whose deadline no longer applies (an event moved the session on) is dropped
    if (s.check && !s.check.inFlight && !checkApplies(s, s.check.reason)) delete s.check;
    for (let guard = 0; guard < 10 && !isFinished(s); guard += 1) {
      if (due(iso(ms(s.createdAt) + s.settings.sessionLifetimeMs))) {
        this.note('deadline', 'session lifetime');
        return this.end('expired', false);
      }
      // while the grace waits on a vendor read, the stage's other deadlines still act
      if (due(s.reconnectUntil) && this.settled('reconnect', 'reconnect grace')) {
        return this.end(s.answeredAt ? 'completed' : 'citizen_left', false);
      }
      switch (s.stage) {
        case 'waiting_for_citizen':
          if (due(iso(ms(s.createdAt) + s.settings.citizenJoinMs))) {
            if (!this.settled('citizen_join', 'citizen join')) return;
            return this.end('citizen_no_show', false);
          }
          return;
        case 'dialing':
          if (due(s.dial.attemptDeadline)) {
            if (!this.settled('dial_attempt', 'dial attempt')) return;
            this.attemptFailed('no answer from the queue in time');
            continue;
          }
          if (!s.dial.inFlight && due(s.dial.nextAttemptAt)) {
            s.dial.attempts += 1;
            delete s.dial.extensions;
            s.dial.inFlight = true;
            delete s.dial.nextAttemptAt;
            s.dial.attemptDeadline = iso(this.now + s.settings.dialWindowMs / s.settings.dialMaxAttempts);
            const stale = s.dial.staleParticipantId;
            delete s.dial.staleParticipantId;
            this.command(
              stale
                ? { type: 'dial_queue', attempt: s.dial.attempts, replaceParticipantId: stale }
                : { type: 'dial_queue', attempt: s.dial.attempts },
            );
          }
          return;
        case 'queued':
          if (due(s.queueDeadline) && this.settled('queue_wait', 'queue wait')) {
            return this.end('queue_timeout', false);
          }
          if (due(s.nextQueueRefreshAt)) {
            s.nextQueueRefreshAt = iso(this.now + s.settings.queueStatusRefreshMs);
            this.command(s.conversationId ? { type: 'refresh_queue_status', conversationId: s.conversationId } : { type: 'refresh_queue_status' });
          }
          return;
        case 'in_call':
          if (due(s.callDeadline)) {
            this.note('deadline', 'maximum call duration');
            return this.end('max_duration', false);
          }
          return;
      }
    }
  }
}

/** The machine's timings from the deployment's deadlines (seconds in config, milliseconds here). */
export function sessionSettings(deadlines: {
  citizenJoinSeconds: number;
  dialDelaySeconds: number;
  dialMaxAttempts: number;
  dialWindowSeconds: number;
  queueWaitSeconds: number;
  reconnectGraceSeconds: number;
  maxCallSeconds: number;
  sessionLifetimeSeconds: number;
}): SessionSettings {
  return {
    citizenJoinMs: deadlines.citizenJoinSeconds * 1000,
    dialDelayMs: deadlines.dialDelaySeconds * 1000,
    dialMaxAttempts: deadlines.dialMaxAttempts,
    dialWindowMs: deadlines.dialWindowSeconds * 1000,
    queueWaitMs: deadlines.queueWaitSeconds * 1000,
    reconnectGraceMs: deadlines.reconnectGraceSeconds * 1000,
    maxCallMs: deadlines.maxCallSeconds * 1000,
    sessionLifetimeMs: deadlines.sessionLifetimeSeconds * 1000,
    queueStatusRefreshMs: 30_000,
    version: SESSION_BEHAVIOUR_VERSION,
  };
}

/** Adds to a list of present participants, dropping the oldest past PRESENT_MAX. */
function keepBounded(list: string[], participantId: string): void {
  list.push(participantId);
  if (list.length > PRESENT_MAX) list.splice(0, list.length - PRESENT_MAX);
}
