import { eventIds } from '../../src/contracts/eventIds';
import { queuePositions, shownPosition } from '../../src/domain/queueObservation';
import { reconcile, type LiveParticipant, type SessionSnapshot } from '../../src/domain/reconcile';

const at = '2026-12-01T20:00:00.000Z';
const session = (over: Partial<SessionSnapshot> = {}): SessionSnapshot => ({ roomName: 'mc-a', phase: 'queued', citizens: ['c1'], sipParticipantId: 's1', ...over });
const citizen = (participantId: string, roomName = 'mc-a'): LiveParticipant => ({ roomName, participantId, leg: 'citizen', connected: true });
const sip = (participantId: string, connected = true, roomName = 'mc-a'): LiveParticipant => ({ roomName, participantId, leg: 'sip', connected });

describe('the reconciler raises only what differs from the rooms', () => {
  it('a session that matches its room gets nothing', () => {
    expect(reconcile([session()], [citizen('c1'), sip('s1')], at)).toEqual([]);
  });

  it('a citizen in the room whose join was lost is raised as joined, under the sink’s event id', () => {
    const events = reconcile([session({ phase: 'waiting_for_citizen', citizens: [], sipParticipantId: null })], [citizen('c9')], at);
    expect(events).toEqual([{ type: 'citizen_joined', source: 'pexip', roomName: 'mc-a', at, participantId: 'c9', eventId: eventIds.participantJoined('c9') }]);
  });

  it('a citizen the session lists but the room does not is raised as left; a lost conference end does not stall the call', () => {
    const events = reconcile([session()], [sip('s1')], at);
    expect(events).toEqual([expect.objectContaining({ type: 'citizen_left', participantId: 'c1', eventId: eventIds.participantLeft('c1') })]);
  });

  it('a connected dial-out whose event was lost moves a dialing session on; a ringing one does not', () => {
    const dialing = session({ phase: 'dialing', sipParticipantId: null });
    expect(reconcile([dialing], [citizen('c1'), sip('s2', false)], at)).toEqual([]);
    expect(reconcile([dialing], [citizen('c1'), sip('s2', true)], at)).toEqual([expect.objectContaining({ type: 'sip_leg_connected', participantId: 's2' })]);
  });

  it('the SIP leg gone from the room is raised as ended (Genesys hung up and the event was lost)', () => {
    expect(reconcile([session({ phase: 'in_call' })], [citizen('c1')], at)).toEqual([expect.objectContaining({ type: 'sip_leg_ended', participantId: 's1' })]);
  });

  it('ended sessions and other rooms are left alone', () => {
    expect(reconcile([session({ phase: 'ended' }), session({ phase: 'ending' })], [citizen('x', 'mc-b')], at)).toEqual([]);
    expect(reconcile([session({ roomName: 'mc-b' })], [citizen('c1'), sip('s1')], at)).toHaveLength(2);
  });
});

describe('queue positions from one observation of the queue', () => {
  it('orders by routing priority, then by how long each caller has waited', () => {
    const positions = queuePositions([
      { conversationId: 'late', waitingSince: '2026-12-01T20:05:00Z', routingPriority: 0 },
      { conversationId: 'early', waitingSince: '2026-12-01T20:01:00Z', routingPriority: 0 },
      { conversationId: 'vip', waitingSince: '2026-12-01T20:09:00Z', routingPriority: 5 },
    ]);
    expect(Object.fromEntries(positions)).toEqual({ vip: 1, early: 2, late: 3 });
  });

  it('the position shown never rises while a caller waits', () => {
    expect(shownPosition(4, undefined)).toBe(4);
    expect(shownPosition(3, 4)).toBe(3);
    expect(shownPosition(5, 3)).toBe(3);
  });
});
