import { startStack, type Stack } from './stack';

/**
 * Webhooks can arrive late or not at all. The backstop is the deployment's observers, not a poll
 * loop per session: the queue observer (every 10 s) raises a Genesys fact a queued session missed,
 * the reconciler (every 15 s) a Pexip fact. Each loss costs a cycle, not a deadline.
 */
describe('call session when events are lost', () => {
  let stack: Stack;
  afterEach(async () => stack?.stop());

  const OBSERVER_CYCLE_MS = 10_000;
  const RECONCILER_CYCLE_MS = 15_000;
  const phase = async (room: string) => (await stack.session(room)).phase as string;
  const agentId = () => (stack.genesys.control.state().agents as { id: string }[])[0]!.id;
  const dropAllGenesysEvents = () => stack.genesys.control.setFaults({ events: { dropRate: 1 } });

  async function cycle(ms: number) {
    await stack.host.advance(ms);
    await stack.settle();
  }

  it('an answer whose events are all lost still puts the session in the call within one observer cycle, and the hangup still ends it', async () => {
    stack = await startStack();
    const room = await stack.createRoom();
    await stack.join(room.name, room.guest_pin);
    await stack.until('queued with its conversation', async () => (await stack.session(room.name)).conversationId !== null);
    dropAllGenesysEvents();
    stack.genesys.control.setAgentAvailable(agentId(), true);
    await stack.settle();
    expect(await phase(room.name)).toBe('queued');

    await cycle(OBSERVER_CYCLE_MS);
    await stack.until('in call through the observer', async () => (await phase(room.name)) === 'in_call');
    expect((await stack.session(room.name)).agentUserId).toBe(agentId());

    // the queue deadline passes during the call: it no longer applies
    await stack.host.advance(46 * 60_000);
    await stack.settle();
    expect(await phase(room.name)).toBe('in_call');

    // the agent hangs up; Genesys's events are still lost, Pexip sees the SIP leg end
    stack.genesys.control.agentHangUp(room.name);
    await stack.until('ended', async () => (await phase(room.name)) === 'ended');
    expect((await stack.session(room.name)).outcome).toBe('completed');
    expect(stack.pexip.rooms().map((r) => r.name)).not.toContain(room.name);
  });

  it('with no Genesys event at all, the observer finds the conversation by the room and sees the answer', async () => {
    stack = await startStack();
    dropAllGenesysEvents();
    const room = await stack.createRoom();
    await stack.join(room.name, room.guest_pin);
    await stack.until('queued on the SIP leg alone', async () => (await phase(room.name)) === 'queued');
    expect((await stack.session(room.name)).conversationId).toBeNull();

    await cycle(OBSERVER_CYCLE_MS);
    await stack.until('conversation found', async () => (await stack.session(room.name)).conversationId !== null);
    const conversationId = (await stack.session(room.name)).conversationId as string;
    expect(stack.genesys.control.conversation(conversationId)).toBeDefined();

    stack.genesys.control.setAgentAvailable(agentId(), true);
    await stack.settle();
    await cycle(OBSERVER_CYCLE_MS);
    await stack.until('in call through the observer', async () => (await phase(room.name)) === 'in_call');
    expect((await stack.session(room.name)).agentUserId).toBe(agentId());
  });

  it('a lost participant_connected: the session dials within one reconciler cycle, not at the join deadline', async () => {
    stack = await startStack();
    const room = await stack.createRoom();
    stack.pexip.setFaults({ sink: { drop: 1 } });
    const citizen = await stack.join(room.name, room.guest_pin);
    stack.pexip.setFaults({});
    expect(await phase(room.name)).toBe('waiting_for_citizen');

    await cycle(RECONCILER_CYCLE_MS);
    await stack.until('dialled', async () => (await stack.session(room.name)).dialAttempts > 0);
    const session = await stack.session(room.name);
    expect(session.citizenParticipants).toEqual([citizen.participantId]);
    expect(['dialing', 'queued']).toContain(session.phase);
  });

  it('while nothing is lost, the observers add nothing to a waiting session’s history', async () => {
    stack = await startStack();
    const room = await stack.createRoom();
    await stack.join(room.name, room.guest_pin);
    await stack.until('queued with its conversation', async () => (await stack.session(room.name)).conversationId !== null);
    await cycle(RECONCILER_CYCLE_MS);
    const before = (await stack.host.history(room.name)).length;
    for (let i = 0; i < 12; i += 1) await cycle(OBSERVER_CYCLE_MS);
    expect((await stack.host.history(room.name)).length).toBe(before);
    expect(await phase(room.name)).toBe('queued');
  });
});
