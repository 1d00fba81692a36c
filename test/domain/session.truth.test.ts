import { eventIds } from '../../src/contracts/eventIds';
import { nextDeadline, phaseOf, type CallTruth } from '../../src/domain/session';
import { Driver, NOTHING_THERE, toQueued, V1_SETTINGS } from './driver';

/** Deadlines that read Pexip's and Genesys's state before they act (behaviour 2). */

const checks = (d: Driver) => d.commands.filter((c) => c.type === 'check_truth');
const teardowns = (d: Driver) => d.commands.filter((c) => c.type === 'teardown');
const dials = (d: Driver) => d.commands.filter((c) => c.type === 'dial_queue');

const pexipDown: CallTruth = { pexip: { read: false, reason: 'Pexip answered 503' }, genesys: { read: false, reason: 'timeout' } };
const citizenInRoom = (id = 'p-citizen'): CallTruth => ({ ...NOTHING_THERE, pexip: { read: true, citizens: [id], sipLegs: [] } });

function dialing(): Driver {
  const d = new Driver();
  d.event({ type: 'citizen_joined' });
  d.dialPlaced('p-sip');
  return d;
}

describe('the citizen join deadline reads the room first', () => {
  it('a citizen in the room whose join event was lost is dialled, not sent away as a no-show', () => {
    const d = new Driver();
    d.truth = () => citizenInRoom('p-7');
    d.advance(15 * 60_000);
    expect(checks(d)).toEqual([{ type: 'check_truth', check: 'citizen_join', genesys: false }]);
    expect(d.state.outcome).toBeUndefined();
    expect(phaseOf(d.state)).toBe('dialing');
    expect(d.state.citizens).toEqual(['p-7']);
    expect(dials(d)).toEqual([{ type: 'dial_queue', attempt: 1 }]);
    // the sink's event arriving late is the same fact under the same id: a duplicate
    d.input({ kind: 'event', event: { type: 'citizen_joined', source: 'pexip', roomName: 'mc-room1', at: new Date(d.now).toISOString(), participantId: 'p-7', eventId: eventIds.participantJoined('p-7') } });
    expect(d.state.timeline.at(-1)).toMatchObject({ kind: 'ignored', what: 'citizen_joined', detail: 'duplicate' });
  });

  it('an empty room at the deadline ends the session as citizen_no_show', () => {
    const d = new Driver();
    d.advance(15 * 60_000);
    expect(checks(d)).toHaveLength(1);
    expect(d.state.outcome).toBe('citizen_no_show');
  });

  it('an unreadable Pexip postpones the deadline with growing pauses instead of guessing', () => {
    const d = new Driver();
    d.truth = () => pexipDown;
    d.advance(15 * 60_000);
    expect(d.state.outcome).toBeUndefined();
    // asked again after 10 s, then 20 s, then 40 s
    expect(nextDeadline(d.state)).toBe(new Date(d.now + 10_000).toISOString());
    d.advance(10_000);
    d.advance(20_000);
    expect(checks(d)).toHaveLength(3);
    expect(nextDeadline(d.state)).toBe(new Date(d.now + 40_000).toISOString());
    d.truth = () => NOTHING_THERE;
    d.advance(40_000);
    expect(d.state.outcome).toBe('citizen_no_show');
    expect(teardowns(d)).toHaveLength(1);
  });

  it('a join event arriving while Pexip is unreadable settles it', () => {
    const d = new Driver();
    d.truth = () => pexipDown;
    d.advance(15 * 60_000);
    d.event({ type: 'citizen_joined', participantId: 'p-2' });
    expect(phaseOf(d.state)).toBe('dialing');
    expect(d.state.check).toBeUndefined();
    d.advance(60_000);
    expect(d.state.outcome).toBeUndefined();
  });

  it('behaviour 1 ends at the deadline without reading anything', () => {
    const d = new Driver(V1_SETTINGS);
    d.truth = () => citizenInRoom();
    d.advance(15 * 60_000);
    expect(checks(d)).toEqual([]);
    expect(d.state.outcome).toBe('citizen_no_show');
  });
});

describe('a dial attempt is never declared failed while its leg is live', () => {
  it('a connected leg whose sink event is late puts the session in the queue: no hang-up, no redial', () => {
    const d = dialing();
    d.truth = () => ({ ...NOTHING_THERE, pexip: { read: true, citizens: ['p-citizen'], sipLegs: [{ participantId: 'p-sip', connected: true }] } });
    d.advance(10_000);
    expect(checks(d)).toEqual([{ type: 'check_truth', check: 'dial_attempt', genesys: true }]);
    expect(phaseOf(d.state)).toBe('queued');
    expect(d.state.sipParticipantId).toBe('p-sip');
    expect(dials(d)).toHaveLength(1);
    // 30 s late, the sink's own event is a duplicate of what the check found
    d.advance(20_000);
    d.input({ kind: 'event', event: { type: 'sip_leg_connected', source: 'pexip', roomName: 'mc-room1', at: new Date(d.now).toISOString(), participantId: 'p-sip', eventId: eventIds.participantJoined('p-sip') } });
    expect(d.state.timeline.at(-1)).toMatchObject({ kind: 'ignored', detail: 'duplicate' });
    expect(dials(d)).toHaveLength(1);
  });

  it('a call an agent already answered goes straight into the call', () => {
    const d = dialing();
    d.truth = () => ({ pexip: { read: true, citizens: ['p-citizen'], sipLegs: [] }, genesys: { read: true, state: 'answered', conversationId: 'c-4', agentUserId: 'u-9' } });
    d.advance(10_000);
    expect(phaseOf(d.state)).toBe('in_call');
    expect(d.state).toMatchObject({ conversationId: 'c-4', agentUserId: 'u-9' });
    expect(teardowns(d)).toEqual([]);
  });

  it('a call Genesys holds in its queue counts as queued even before Pexip reports the leg', () => {
    const d = dialing();
    d.truth = () => ({ pexip: { read: true, citizens: ['p-citizen'], sipLegs: [{ participantId: 'p-sip', connected: false }] }, genesys: { read: true, state: 'queued', conversationId: 'c-5' } });
    d.advance(10_000);
    expect(phaseOf(d.state)).toBe('queued');
    expect(d.state.conversationId).toBe('c-5');
  });

  it('a leg still ringing gets two more attempt periods, then the attempt fails and is redialled in its place', () => {
    const d = dialing();
    d.truth = () => ({ ...NOTHING_THERE, pexip: { read: true, citizens: ['p-citizen'], sipLegs: [{ participantId: 'p-sip', connected: false }] } });
    d.advance(10_000);
    d.advance(10_000);
    expect(dials(d)).toHaveLength(1);
    d.advance(10_000);
    expect(checks(d)).toHaveLength(3);
    // the first attempt's deadline, moved twice, has passed: a fresh attempt replaces the ringing leg
    d.advance(5_000);
    expect(dials(d).at(-1)).toMatchObject({ type: 'dial_queue', attempt: 2, replaceParticipantId: 'p-sip' });
  });

  it('an attempt with no leg in the room fails and is retried', () => {
    const d = dialing();
    d.advance(10_000);
    d.advance(5_000);
    expect(dials(d).map((c) => c.attempt)).toEqual([1, 2]);
  });

  it('Pexip unreadable at the attempt deadline: no hang-up and no redial until it can be read', () => {
    const d = dialing();
    d.truth = () => pexipDown;
    d.advance(10 * 60_000);
    expect(dials(d)).toHaveLength(1);
    expect(d.state.outcome).toBeUndefined();
    expect(phaseOf(d.state)).toBe('dialing');
    // pauses grow to 5 minutes, so a long outage costs few reads
    expect(checks(d).length).toBeLessThanOrEqual(8);
  });
});

describe('the reconnect grace and the queue deadline read the vendors too', () => {
  it('a citizen back in the room under a new participant (join event lost) keeps the call', () => {
    const d = toQueued();
    d.event({ type: 'citizen_left' });
    d.truth = () => citizenInRoom('p-back');
    d.advance(120_000);
    expect(d.state.outcome).toBeUndefined();
    expect(phaseOf(d.state)).toBe('queued');
    expect(d.state.citizens).toEqual(['p-back']);
  });

  it('a participant whose leave was reported does not count as back', () => {
    const d = toQueued();
    d.event({ type: 'citizen_left' });
    d.truth = () => citizenInRoom('p-citizen');
    d.advance(120_000);
    expect(d.state.outcome).toBe('citizen_left');
    expect(checks(d)).toHaveLength(1);
  });

  it('an answer Genesys shows at the queue deadline puts the call through instead of timing it out', () => {
    const d = toQueued();
    d.truth = () => ({ pexip: { read: true, citizens: ['p-citizen'], sipLegs: [] }, genesys: { read: true, state: 'answered', agentUserId: 'u-2' } });
    d.advance(45 * 60_000);
    expect(checks(d)).toEqual([{ type: 'check_truth', check: 'queue_wait', genesys: true, conversationId: 'c-1' }]);
    expect(phaseOf(d.state)).toBe('in_call');
    expect(d.state.agentUserId).toBe('u-2');
  });

  it('a Genesys call already over at the queue deadline ends as Genesys ended it', () => {
    const d = toQueued();
    d.truth = () => ({ pexip: { read: true, citizens: [], sipLegs: [] }, genesys: { read: true, state: 'ended' } });
    d.advance(45 * 60_000);
    expect(d.state.outcome).toBe('abandoned');
    expect(teardowns(d)[0]).not.toHaveProperty('disconnectConversationId');
  });

  it('still waiting in the queue at the deadline → queue_timeout', () => {
    const d = toQueued();
    d.truth = () => ({ pexip: { read: true, citizens: ['p-citizen'], sipLegs: [] }, genesys: { read: true, state: 'queued' } });
    d.advance(45 * 60_000);
    expect(d.state.outcome).toBe('queue_timeout');
  });

  it('the maximum call duration is a hard limit: it needs no read', () => {
    const d = toQueued();
    d.event({ type: 'agent_connected', agentUserId: 'u-1' });
    d.advance(2 * 3600_000);
    expect(checks(d)).toEqual([]);
    expect(d.state.outcome).toBe('max_duration');
  });
});
