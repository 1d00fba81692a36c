import { startStack, type Stack } from './stack';

/**
 * EventBridge can drop or hold back Genesys events. The queue poll is the backstop: a session whose
 * agent answered without a word from EventBridge goes into the call within one refresh period
 * (instead of being torn down mid-call at the queue deadline), and ends when the call ends.
 */
describe('call session when Genesys events are lost', () => {
  let stack: Stack;
  afterEach(async () => stack?.stop());

  const REFRESH_MS = 30_000;
  const phase = async (room: string) => (await stack.session(room)).phase as string;
  const agentId = () => (stack.genesys.control.state().agents as { id: string }[])[0]!.id;
  const dropAllGenesysEvents = () => stack.genesys.control.setFaults({ events: { dropRate: 1 } });

  async function pollOnce() {
    await stack.host.advance(REFRESH_MS);
    await stack.settle();
  }

  it('an answer whose events are all lost still puts the session in the call, and the hangup still ends it', async () => {
    stack = await startStack();
    const room = await stack.createRoom();
    await stack.join(room.name, room.guest_pin);
    await stack.until('queued with its conversation', async () => (await stack.session(room.name)).conversationId !== null);
    dropAllGenesysEvents();
    stack.genesys.control.setAgentAvailable(agentId(), true);
    await stack.settle();
    expect(await phase(room.name)).toBe('queued');

    await pollOnce();
    await stack.until('in call through the poll', async () => (await phase(room.name)) === 'in_call');
    const session = await stack.session(room.name);
    expect(session.agentUserId).toBe(agentId());
    expect(session.timeline.map((t: { detail?: string }) => t.detail)).toContain('an agent answered without its Genesys event');

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

  it('with no Genesys event at all, the poll finds the conversation by the room, shows the wait, and sees the answer', async () => {
    stack = await startStack();
    dropAllGenesysEvents();
    const room = await stack.createRoom();
    await stack.join(room.name, room.guest_pin);
    await stack.until('queued on the SIP leg alone', async () => (await phase(room.name)) === 'queued');
    expect((await stack.session(room.name)).conversationId).toBeNull();

    await pollOnce();
    await stack.until('conversation found', async () => (await stack.session(room.name)).conversationId !== null);
    const conversationId = (await stack.session(room.name)).conversationId as string;
    expect(stack.genesys.control.conversation(conversationId)).toBeDefined();

    await pollOnce();
    await stack.until('wait shown', async () => (await stack.session(room.name)).queue !== null);

    stack.genesys.control.setAgentAvailable(agentId(), true);
    await stack.settle();
    await pollOnce();
    await stack.until('in call through the poll', async () => (await phase(room.name)) === 'in_call');
    expect((await stack.session(room.name)).agentUserId).toBe(agentId());
  });
});
