import type { SessionEvent } from '../../src/contracts';
import {
  decide,
  nextDeadline,
  SESSION_BEHAVIOUR_VERSION,
  startSession,
  type CallTruth,
  type Command,
  type MachineInput,
  type SessionSettings,
  type SessionState,
} from '../../src/domain/session';

export const SETTINGS: SessionSettings = {
  citizenJoinMs: 15 * 60_000,
  dialDelayMs: 0,
  dialMaxAttempts: 3,
  dialWindowMs: 30_000,
  queueWaitMs: 45 * 60_000,
  reconnectGraceMs: 120_000,
  maxCallMs: 2 * 3600_000,
  sessionLifetimeMs: 4 * 3600_000,
  queueStatusRefreshMs: 30_000,
  version: SESSION_BEHAVIOUR_VERSION,
};

/** The rules sessions started before behaviour 2 replay with: deadlines act on absent events, the queue is polled. */
export const V1_SETTINGS: SessionSettings = { ...SETTINGS, version: undefined };
/** Behaviour 2: deadlines read the vendors, and a queued session still polls its queue status itself. */
export const V2_SETTINGS: SessionSettings = { ...SETTINGS, version: 2 };

/** What the vendors show when nothing happened that the session did not hear of. */
export const NOTHING_THERE: CallTruth = {
  pexip: { read: true, citizens: [], sipLegs: [] },
  genesys: { read: true, state: 'none' },
};

export type TruthSource = (command: Extract<Command, { type: 'check_truth' }>, state: SessionState) => CallTruth;

type EventInput = { type: SessionEvent['type'] } & Record<string, unknown>;

/** Drives the machine the way the orchestration does, with a clock it moves by hand. */
export class Driver {
  state: SessionState;
  now: number;
  readonly commands: Command[] = [];
  private seq = 0;

  /** what the checkCallTruth activity finds; tests set it to stage what the vendors show */
  truth: TruthSource = () => NOTHING_THERE;

  constructor(settings: SessionSettings = SETTINGS, start = Date.parse('2026-11-25T17:00:00.000Z')) {
    this.now = start;
    this.state = startSession('mc-room1', settings, new Date(start));
  }

  /** Feeds one input; a `check_truth` command is answered at once, as the orchestration does. */
  input(input: MachineInput): Command[] {
    const { state, commands } = decide(this.state, input, new Date(this.now));
    this.state = state;
    this.commands.push(...commands);
    const out = [...commands];
    for (const command of commands) {
      if (command.type === 'check_truth') {
        out.push(...this.input({ kind: 'truth', check: command.check, truth: this.truth(command, this.state) }));
      }
    }
    return out;
  }

  event(fields: EventInput): Command[] {
    const source = sourceOf(fields.type);
    this.seq += 1;
    const event = {
      roomName: 'mc-room1',
      at: new Date(this.now).toISOString(),
      eventId: `e${this.seq}`,
      source,
      ...(source === 'pexip' && !('participantId' in fields) ? { participantId: 'p-citizen' } : {}),
      ...(source === 'genesys' && !('conversationId' in fields) ? { conversationId: 'c-1' } : {}),
      ...fields,
    } as SessionEvent;
    return this.input({ kind: 'event', event });
  }

  /** Moves the clock; fires the timer if a deadline falls in the span, as the orchestration would. */
  advance(msToAdvance: number): Command[] {
    const target = this.now + msToAdvance;
    const out: Command[] = [];
    for (let wakeups = 0; ; wakeups++) {
      const deadline = nextDeadline(this.state);
      if (deadline === undefined || Date.parse(deadline) > target) break;
      // a machine that keeps asking to be woken at a time already past would spin the orchestration
      if (wakeups > 10_000) throw new Error(`the machine keeps waking at ${deadline} without progress`);
      this.now = Math.max(this.now, Date.parse(deadline));
      out.push(...this.input({ kind: 'deadline' }));
    }
    this.now = target;
    return out;
  }

  /** Answers the last dial command as the dialQueue activity would. */
  dialPlaced(participantId = 'p-sip'): Command[] {
    return this.input({ kind: 'dial_result', attempt: this.state.dial.attempts, ok: true, participantId });
  }

  teardownDone(): Command[] {
    return this.input({ kind: 'teardown_done', ok: true });
  }
}

function sourceOf(type: SessionEvent['type']): string {
  if (['queued', 'agent_connected', 'agent_left', 'abandoned', 'released_by_flow', 'customer_ended'].includes(type)) return 'genesys';
  if (type === 'idim_deleted') return 'idim';
  if (type === 'support_terminated') return 'support';
  if (type === 'lifetime_exceeded') return 'maxconf';
  if (type === 'citizen_ended_call') return 'citizen';
  return 'pexip';
}

/** Citizen joins, dial placed, SIP leg up, Genesys queues the call. */
export function toQueued(d = new Driver()): Driver {
  d.event({ type: 'citizen_joined' });
  d.dialPlaced();
  d.event({ type: 'sip_leg_connected', participantId: 'p-sip' });
  d.event({ type: 'queued' });
  return d;
}

export function toInCall(d = new Driver()): Driver {
  toQueued(d);
  d.event({ type: 'agent_connected', agentUserId: 'u-7' });
  return d;
}
