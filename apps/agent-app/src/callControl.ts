/**
 * What the agent's Genesys leg means for the video room, as a pure function.
 *
 * Genesys is the source of truth for the call: the widget only mirrors the agent's leg onto the
 * Pexip room. `legView` reduces a Genesys participant list to the one fact set that matters for
 * this agent; `roomActions` turns a change of that view into room actions. Both are pure so each
 * row of the hold / mute / transfer table is a unit test.
 */

/** A call participant as both Genesys shapes carry it (notification event and conversation). */
export interface LegParticipant {
  id?: string;
  purpose?: string;
  /** notification event: `user.id`; conversation: `userId` */
  userId?: string;
  state?: string;
  held?: boolean;
  muted?: boolean;
  confined?: boolean;
  disconnectType?: string;
  consultParticipantId?: string;
  attributes?: Record<string, string>;
  endTime?: string;
}

/** The agent's leg, reduced to what the room follows. */
export type LegView =
  | { phase: 'waiting' }
  | { phase: 'live'; onHold: boolean; muted: boolean }
  | { phase: 'ended'; reason: 'disconnected' | 'transferred' };

export type RoomAction =
  | { type: 'join' }
  /** pause (host video-mute) or resume the citizen's video in the room */
  | { type: 'citizenVideo'; paused: boolean }
  /** the agent's own camera held off by the call (hold), independent of the agent's own choice */
  | { type: 'cameraHeld'; held: boolean }
  /** the Genesys SIP participant's audio in the room */
  | { type: 'sipAudio'; muted: boolean }
  | { type: 'leave'; reason: 'disconnected' | 'transferred' };

const LIVE_STATES = new Set(['connected']);
const ENDED_STATES = new Set(['disconnected', 'terminated']);

/** Picks this user's agent leg: a connected one first (a transfer back adds a new leg), else the latest. */
function agentLeg(participants: LegParticipant[], userId: string): LegParticipant | undefined {
  const mine = participants.filter((p) => p.purpose === 'agent' && p.userId === userId);
  return mine.find((p) => p.state !== undefined && LIVE_STATES.has(p.state)) ?? mine[mine.length - 1];
}

/**
 * Reduces the participants of the widget's conversation to this agent's leg.
 *
 * Consult transfers: while this agent consults a colleague, Genesys reports the agent's own leg as
 * `held: false`, yet the citizen must not see or hear the agent talk to someone else; the agent's
 * leg carries `consultParticipantId` (and the initiator the `consultInitiator` attribute). Such an
 * agent is on hold for the room, unless a connected agent is `confined` (the agent switched back
 * to the customer and the colleague is the one held). The consult's target has
 * `consultParticipantId` too, but no `consultInitiator`: it waits until the transfer completes.
 */
export function legView(participants: LegParticipant[], userId: string): LegView {
  const leg = agentLeg(participants, userId);
  if (!leg || leg.state === undefined) return { phase: 'waiting' };
  if (ENDED_STATES.has(leg.state)) {
    return { phase: 'ended', reason: /^transfer/.test(leg.disconnectType ?? '') ? 'transferred' : 'disconnected' };
  }
  if (!LIVE_STATES.has(leg.state)) return { phase: 'waiting' };
  const connectedAgents = participants.filter((p) => p.purpose === 'agent' && p.state === 'connected');
  const initiator = leg.attributes?.consultInitiator === 'true';
  if (leg.consultParticipantId !== undefined && !initiator && connectedAgents.length > 1) {
    return { phase: 'waiting' };
  }
  const consulting = initiator || (leg.consultParticipantId !== undefined && connectedAgents.length > 1);
  const colleagueConfined = connectedAgents.some((p) => p !== leg && p.confined === true);
  const onHold = leg.held === true || (consulting && !colleagueConfined);
  return { phase: 'live', onHold, muted: leg.muted === true };
}

/** What the room should look like for a view; the actions are the difference between two of them. */
interface RoomShape {
  inRoom: boolean;
  citizenPaused: boolean;
  cameraHeld: boolean;
  sipMuted: boolean;
}

function shapeOf(view: LegView): RoomShape {
  if (view.phase !== 'live') return { inRoom: false, citizenPaused: false, cameraHeld: false, sipMuted: false };
  // On hold the SIP leg carries Genesys's hold music to the citizen, so it is unmuted even when the
  // agent is muted; once resumed the agent's mute applies again.
  return { inRoom: true, citizenPaused: view.onHold, cameraHeld: view.onHold, sipMuted: view.onHold ? false : view.muted };
}

/**
 * The room actions that take the room from `previous` to `next`. A repeated notification (the same
 * view) gives no action. Joining is followed by the actions that bring a fresh room (nothing paused,
 * SIP unmuted) to the new shape, so an agent who answers while muted or on hold joins that way.
 */
export function roomActions(previous: LegView, next: LegView): RoomAction[] {
  const before = shapeOf(previous);
  const after = shapeOf(next);
  if (before.inRoom && !after.inRoom) {
    return next.phase === 'ended' ? [{ type: 'leave', reason: next.reason }] : [{ type: 'leave', reason: 'disconnected' }];
  }
  if (!after.inRoom) return [];
  const from: RoomShape = before.inRoom ? before : { inRoom: false, citizenPaused: false, cameraHeld: false, sipMuted: false };
  const actions: RoomAction[] = before.inRoom ? [] : [{ type: 'join' }];
  if (from.citizenPaused !== after.citizenPaused) actions.push({ type: 'citizenVideo', paused: after.citizenPaused });
  if (from.cameraHeld !== after.cameraHeld) actions.push({ type: 'cameraHeld', held: after.cameraHeld });
  // Entering hold always unmutes the SIP leg explicitly (hold music must reach the citizen even if
  // the room drifted, e.g. a host muted it); otherwise only a change is sent.
  const enteringHold = !from.citizenPaused && after.citizenPaused;
  if (from.sipMuted !== after.sipMuted || enteringHold) actions.push({ type: 'sipAudio', muted: after.sipMuted });
  return actions;
}
