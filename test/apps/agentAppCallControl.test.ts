import { legView, roomActions, type LegParticipant, type LegView } from '../../apps/agent-app/src/callControl';

const ME = 'user-agent-1';
const customer: LegParticipant = { id: 'p-cust', purpose: 'customer', state: 'connected' };
const agent = (over: Partial<LegParticipant> = {}): LegParticipant => ({ id: 'p-agent', purpose: 'agent', userId: ME, state: 'connected', ...over });
const view = (...participants: LegParticipant[]) => legView(participants, ME);

const waiting: LegView = { phase: 'waiting' };
const live: LegView = { phase: 'live', onHold: false, muted: false };
const held: LegView = { phase: 'live', onHold: true, muted: false };
const muted: LegView = { phase: 'live', onHold: false, muted: true };

describe('roomActions: the agent leg table', () => {
  it('answered (first connected): joins the room, nothing paused', () => {
    expect(roomActions(waiting, live)).toEqual([{ type: 'join' }]);
  });

  it('held: pauses the citizen video, holds the camera off, unmutes the SIP leg for hold music', () => {
    expect(roomActions(live, held)).toEqual([
      { type: 'citizenVideo', paused: true },
      { type: 'cameraHeld', held: true },
      { type: 'sipAudio', muted: false },
    ]);
    // a muted agent put on hold: the SIP leg is unmuted so the music reaches the citizen
    expect(roomActions(muted, { phase: 'live', onHold: true, muted: true })).toEqual([
      { type: 'citizenVideo', paused: true },
      { type: 'cameraHeld', held: true },
      { type: 'sipAudio', muted: false },
    ]);
  });

  it('resumed (connected after hold): restores the citizen video and the camera', () => {
    expect(roomActions(held, live)).toEqual([
      { type: 'citizenVideo', paused: false },
      { type: 'cameraHeld', held: false },
    ]);
  });

  it('resumed while still muted: the SIP leg goes back to muted', () => {
    expect(roomActions({ phase: 'live', onHold: true, muted: true }, muted)).toEqual([
      { type: 'citizenVideo', paused: false },
      { type: 'cameraHeld', held: false },
      { type: 'sipAudio', muted: true },
    ]);
  });

  it('muted: mutes the SIP leg in the room', () => {
    expect(roomActions(live, muted)).toEqual([{ type: 'sipAudio', muted: true }]);
  });

  it('unmuted: unmutes the SIP leg in the room', () => {
    expect(roomActions(muted, live)).toEqual([{ type: 'sipAudio', muted: false }]);
  });

  it('muted during hold: no change until the hold ends (the music keeps playing)', () => {
    expect(roomActions(held, { phase: 'live', onHold: true, muted: true })).toEqual([]);
  });

  it('disconnected: this agent leaves', () => {
    expect(roomActions(live, { phase: 'ended', reason: 'disconnected' })).toEqual([{ type: 'leave', reason: 'disconnected' }]);
    expect(roomActions(held, { phase: 'ended', reason: 'disconnected' })).toEqual([{ type: 'leave', reason: 'disconnected' }]);
  });

  it('transferred: this agent leaves, saying why', () => {
    expect(roomActions(live, { phase: 'ended', reason: 'transferred' })).toEqual([{ type: 'leave', reason: 'transferred' }]);
  });

  it('transferred back (a new connected leg after leaving): joins again', () => {
    expect(roomActions({ phase: 'ended', reason: 'transferred' }, live)).toEqual([{ type: 'join' }]);
  });

  it('answered while muted or on hold: joins in that state', () => {
    expect(roomActions(waiting, muted)).toEqual([{ type: 'join' }, { type: 'sipAudio', muted: true }]);
    expect(roomActions(waiting, held)).toEqual([
      { type: 'join' },
      { type: 'citizenVideo', paused: true },
      { type: 'cameraHeld', held: true },
      { type: 'sipAudio', muted: false },
    ]);
  });

  it('a leg that ends before it was answered: nothing to leave', () => {
    expect(roomActions(waiting, { phase: 'ended', reason: 'disconnected' })).toEqual([]);
  });

  it('a duplicate notification gives no action', () => {
    for (const v of [waiting, live, held, muted, { phase: 'ended', reason: 'transferred' } as LegView]) {
      expect(roomActions(v, v)).toEqual([]);
    }
  });
});

describe('legView: reading the agent leg from the participants', () => {
  it('is waiting while the leg is alerting, and before this agent is on the call', () => {
    expect(view(customer, agent({ state: 'alerting' }))).toEqual(waiting);
    expect(view(customer)).toEqual(waiting);
    // another agent's leg is not ours
    expect(view(customer, agent({ userId: 'someone-else' }))).toEqual(waiting);
  });

  it('reads connected, held and muted', () => {
    expect(view(customer, agent())).toEqual(live);
    expect(view(customer, agent({ held: true }))).toEqual(held);
    expect(view(customer, agent({ muted: true }))).toEqual(muted);
  });

  it('tells a transfer from a hang-up by the disconnect type', () => {
    expect(view(customer, agent({ state: 'disconnected', disconnectType: 'transfer' }))).toEqual({ phase: 'ended', reason: 'transferred' });
    expect(view(customer, agent({ state: 'disconnected', disconnectType: 'transfer.consult' }))).toEqual({ phase: 'ended', reason: 'transferred' });
    expect(view(customer, agent({ state: 'disconnected', disconnectType: 'client' }))).toEqual({ phase: 'ended', reason: 'disconnected' });
    expect(view(customer, agent({ state: 'terminated', disconnectType: 'peer' }))).toEqual({ phase: 'ended', reason: 'disconnected' });
  });

  it('prefers the connected leg when the agent has an old disconnected one (transferred back)', () => {
    expect(view(customer, agent({ id: 'old', state: 'disconnected', disconnectType: 'transfer' }), agent({ id: 'new' }))).toEqual(live);
  });

  const colleague = (over: Partial<LegParticipant> = {}): LegParticipant => ({ id: 'p-colleague', purpose: 'agent', userId: 'user-2', state: 'connected', ...over });

  it('consult: the initiator talking to the colleague is on hold for the room, although Genesys says held=false', () => {
    expect(view(customer, agent({ consultParticipantId: 'p-colleague', attributes: { consultInitiator: 'true' } }), colleague())).toEqual(held);
  });

  it('consult: back to the customer (the colleague confined), the initiator is live again', () => {
    expect(view(customer, agent({ consultParticipantId: 'p-colleague', attributes: { consultInitiator: 'true' } }), colleague({ confined: true }))).toEqual(live);
  });

  it('consult: the colleague being consulted waits, and joins once the transfer completes', () => {
    const target = (over: Partial<LegParticipant> = {}) => agent({ consultParticipantId: 'p-initiator', ...over });
    const initiator = { id: 'p-initiator', purpose: 'agent', userId: 'user-2', state: 'connected', attributes: { consultInitiator: 'true' } };
    expect(view(customer, initiator, target())).toEqual(waiting);
    expect(view(customer, { ...initiator, state: 'disconnected', disconnectType: 'transfer.consult' }, target())).toEqual(live);
  });
});
