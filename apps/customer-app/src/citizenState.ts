/**
 * The citizen's page as pure rules: which screen a session phase shows, the queue position as
 * shown (never rising), when to poll next, and which words an outcome gets. No IO, no clock but
 * the one given.
 */

export const PHASES = ['waiting_for_citizen', 'dialing', 'queued', 'reconnecting', 'in_call', 'ending', 'ended'] as const;
export type Phase = (typeof PHASES)[number];

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

/** What the page shows once the citizen has pressed Join. */
export type CallScreen = 'waiting' | 'in-call' | 'reconnecting' | 'ended';

/**
 * The session's phase decides the screen, except that the page's own view of its connection
 * wins while it rejoins: a drop the server has not noticed yet is still a drop.
 */
export function screenOf(phase: Phase, rejoining: boolean): CallScreen {
  if (phase === 'ending' || phase === 'ended') return 'ended';
  if (rejoining || phase === 'reconnecting') return 'reconnecting';
  if (phase === 'in_call') return 'in-call';
  return 'waiting';
}

/** Which words the waiting screen uses for a phase. */
export type WaitingStep = 'connecting' | 'calling' | 'queued';

export function waitingStepOf(phase: Phase): WaitingStep {
  if (phase === 'queued') return 'queued';
  if (phase === 'dialing') return 'calling';
  return 'connecting';
}

/**
 * The position shown: the lowest the server has reported in this session. Estimates go up and down
 * as agents log in and out; a citizen who sees their place rise thinks they lost it.
 */
export function shownPosition(previous: number | undefined, reported: number | undefined): number | undefined {
  if (reported === undefined || !Number.isInteger(reported) || reported < 1) return previous;
  if (previous === undefined) return reported;
  return Math.min(previous, reported);
}

/** The estimated wait in whole minutes, at least one (a "0 minutes" wait reads as a mistake). */
export function waitMinutes(estimatedWaitSeconds: number | undefined): number | undefined {
  if (estimatedWaitSeconds === undefined || !Number.isFinite(estimatedWaitSeconds) || estimatedWaitSeconds < 0) return undefined;
  return Math.max(1, Math.round(estimatedWaitSeconds / 60));
}

export const POLL_MIN_SECONDS = 2;
export const POLL_MAX_SECONDS = 60;

/**
 * When to ask again, in ms. The server says (`pollAfterSeconds`, or `Retry-After` on a 429); a
 * value out of range is clamped so a bad answer can neither hammer the API nor stall the page.
 * Without an answer (network error) the page backs off: 2, 4, 8 … up to 60 s.
 */
export function pollDelayMs(answer: { pollAfterSeconds?: number; retryAfterSeconds?: number; failures?: number }): number {
  const asked = answer.retryAfterSeconds ?? answer.pollAfterSeconds;
  if (asked !== undefined && Number.isFinite(asked)) return Math.min(POLL_MAX_SECONDS, Math.max(POLL_MIN_SECONDS, asked)) * 1000;
  const failures = Math.max(1, answer.failures ?? 1);
  return Math.min(POLL_MAX_SECONDS, POLL_MIN_SECONDS * 2 ** (failures - 1)) * 1000;
}

/** `Retry-After` as seconds (delta-seconds or an HTTP date), undefined when absent or unreadable. */
export function retryAfterSeconds(header: string | null, now: number): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

/** The ended screen's words: one per outcome, and one for a call the page saw end without one. */
export type EndedWording =
  | 'completed'
  | 'left'
  | 'no-show'
  | 'no-agent'
  | 'closed'
  | 'not-connected'
  | 'ended-by-service'
  | 'too-long'
  | 'expired'
  | 'dropped'
  | 'unknown';

export function endedWordingOf(outcome: Outcome | undefined, droppedPastGrace = false): EndedWording {
  switch (outcome) {
    case 'completed':
      return 'completed';
    case 'citizen_left':
      return droppedPastGrace ? 'dropped' : 'left';
    case 'citizen_no_show':
      return 'no-show';
    case 'queue_timeout':
    case 'abandoned':
      return 'no-agent';
    case 'closed':
      return 'closed';
    case 'dial_failed':
      return 'not-connected';
    case 'ended_by_idim':
    case 'terminated_by_support':
      return 'ended-by-service';
    case 'max_duration':
      return 'too-long';
    case 'expired':
      return 'expired';
    case undefined:
      return droppedPastGrace ? 'dropped' : 'unknown';
  }
}

/** Rejoin attempts after a drop: 1, 2, 4, 8 s, then every 10 s, while the grace lasts. */
export function rejoinDelayMs(attempt: number): number {
  return Math.min(10_000, 1000 * 2 ** Math.max(0, attempt - 1));
}

export function withinGrace(droppedAt: number, now: number, graceSeconds: number): boolean {
  return now - droppedAt < graceSeconds * 1000;
}

/**
 * How long a join keeps trying while the conference node answers 404 for a room MaxConf has just
 * handed out: Pexip makes a new room joinable only once its configuration has reached the node
 * (about 90 s at worst), so a 404 that soon is "not there yet", not "gone".
 */
export const ROOM_PROPAGATION_WAIT_MS = 120_000;

/** Whether a join the node refused with 404 is tried again: within the propagation wait of the first try, and the session not ended. */
export function retriesUnpropagatedRoom(firstTryAt: number, now: number, sessionEnded: boolean): boolean {
  return !sessionEnded && now - firstTryAt < ROOM_PROPAGATION_WAIT_MS;
}
