import { manualClock, startGenesysSimulator, type GenesysSimulator, type ManualClock } from '../../local/genesys-simulator';
import { auth, http } from '../simulators/genesysChannel';
import { invite, recordingCaller } from './support';

interface Leg {
  id: string;
  purpose: string;
  state: string;
  userId?: string;
  queueId?: string;
  calls: { held: boolean; muted: boolean; disconnectType?: string }[];
}

describe('Genesys simulator agent actions (PATCH participant, replace)', () => {
  let sim: GenesysSimulator;
  let clock: ManualClock;
  let token: string;
  let agentIds: string[];
  beforeEach(async () => {
    clock = manualClock();
    sim = await startGenesysSimulator({ clock, agents: 3, autoAnswer: false, answerDelayMs: 0 });
    agentIds = (sim.control.state().agents as { id: string }[]).map((a) => a.id);
    token = sim.control.mintUserToken({ userId: agentIds[0] }).access_token;
  });
  afterEach(() => sim.stop());

  const legs = (room: string) => (sim.control.conversation(room) as { participants: Leg[] }).participants;
  const agentLeg = (room: string, userId: string) => legs(room).filter((p) => p.purpose === 'agent' && p.userId === userId).at(-1)!;
  const conversationId = (room: string) => (sim.control.conversation(room) as { id: string }).id;
  const patch = (room: string, pid: string, body: unknown) => http.patch(`${sim.url}/api/v2/conversations/calls/${conversationId(room)}/participants/${pid}`, body, auth(token));
  const replace = (room: string, pid: string, body: unknown) => http.post(`${sim.url}/api/v2/conversations/calls/${conversationId(room)}/participants/${pid}/replace`, body, auth(token));
  const call = async (room: string) => {
    await sim.sipDestination.invite(invite(room, sim.sipUri), recordingCaller());
    clock.advance(0);
  };

  it('a manual-answer agent\'s call alerts until answered; hold and mute show in REST and are refused before answer', async () => {
    await call('mclocal-act');
    const leg = agentLeg('mclocal-act', agentIds[0]!);
    expect(leg.state).toBe('alerting');
    clock.advance(60_000);
    expect(agentLeg('mclocal-act', agentIds[0]!).state).toBe('alerting');
    expect((await patch('mclocal-act', leg.id, { held: true })).status).toBe(400);
    expect((await patch('mclocal-act', leg.id, { held: 'yes' })).data.message).toMatch(/^held:/);
    expect((await patch('mclocal-act', leg.id, { state: 'connected' })).status).toBe(202);
    expect((await patch('mclocal-act', leg.id, { held: true, muted: true })).status).toBe(202);
    expect(agentLeg('mclocal-act', agentIds[0]!)).toMatchObject({ state: 'connected', calls: [expect.objectContaining({ held: true, muted: true })] });
    const callView = await http.get(`${sim.url}/api/v2/conversations/calls/${conversationId('mclocal-act')}`, auth(token));
    expect(callView.data.participants.find((p: { id: string }) => p.id === leg.id)).toMatchObject({ held: true, muted: true });
    expect((await patch('mclocal-act', leg.id, { held: false })).status).toBe(202);
    expect(agentLeg('mclocal-act', agentIds[0]!).calls[0]).toMatchObject({ held: false, muted: true });
  });

  it('blind transfer to a queue queues the call again for the next free agent; to a busy or unknown agent it is refused and nothing changes', async () => {
    await call('mclocal-tq');
    const leg = agentLeg('mclocal-tq', agentIds[0]!);
    await patch('mclocal-tq', leg.id, { state: 'connected' });
    // the second agent is busy on another call
    await call('mclocal-other');
    expect(agentLeg('mclocal-other', agentIds[1]!).state).toBe('alerting');
    expect((await replace('mclocal-tq', leg.id, { userId: agentIds[1] })).status).toBe(400);
    expect((await replace('mclocal-tq', leg.id, { userId: 'nobody' })).status).toBe(404);
    expect((await replace('mclocal-tq', leg.id, {})).status).toBe(400);
    expect(agentLeg('mclocal-tq', agentIds[0]!).state).toBe('connected');

    const overflow = (sim.control.state().queues as { id: string; name: string }[]).find((q) => q.name.endsWith('_OVERFLOW'))!;
    expect((await replace('mclocal-tq', leg.id, { queueId: overflow.id })).status).toBe(202);
    const after = legs('mclocal-tq');
    expect(after.find((p) => p.id === leg.id)).toMatchObject({ state: 'disconnected', calls: [expect.objectContaining({ disconnectType: 'transfer' })] });
    expect(after.filter((p) => p.purpose === 'acd').at(-1)).toMatchObject({ state: 'connected', queueId: overflow.id });
    // the first agent is free again, but the third has been idle longest: it is offered the call
    expect(after.filter((p) => p.purpose === 'agent' && p.state === 'alerting').map((p) => p.userId)).toEqual([agentIds[2]]);
  });

  it('declining an offer puts the call back in the queue for another agent; hanging up ends the caller\'s leg with a BYE', async () => {
    const caller = recordingCaller();
    await sim.sipDestination.invite(invite('mclocal-dec', sim.sipUri), caller);
    clock.advance(0);
    const offered = agentLeg('mclocal-dec', agentIds[0]!);
    expect((await patch('mclocal-dec', offered.id, { state: 'disconnected' })).status).toBe(202);
    expect(legs('mclocal-dec').find((p) => p.id === offered.id)).toMatchObject({ state: 'disconnected', calls: [expect.objectContaining({ disconnectType: 'client' })] });
    const next = agentLeg('mclocal-dec', agentIds[1]!);
    expect(next.state).toBe('alerting');
    expect((sim.control.state().agents as { id: string; available: boolean }[])[0]!.available).toBe(false);
    await patch('mclocal-dec', next.id, { state: 'connected' });
    expect((await patch('mclocal-dec', next.id, { state: 'disconnected' })).status).toBe(202);
    expect(legs('mclocal-dec').find((p) => p.purpose === 'customer')).toMatchObject({ state: 'disconnected' });
    expect(caller.byes).toEqual(['agent hung up']);
    // repeating the hang-up is harmless
    expect((await patch('mclocal-dec', next.id, { state: 'disconnected' })).status).toBe(202);
  });
});
