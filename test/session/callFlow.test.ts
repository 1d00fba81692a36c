import { startStack, type Stack } from './stack';

describe('a call end to end over HTTP on the local host with both simulators', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => stack?.stop());

  it('create → citizen joins → dial → queued → agent answers → agent hangs up → completed, room deleted', async () => {
    const room = await stack.createRoom();
    expect(room).not.toHaveProperty('pin');
    expect((await stack.session(room.name)).phase).toBe('waiting_for_citizen');

    await stack.join(room.name, room.guest_pin);
    await stack.until('queued', async () => (await stack.session(room.name)).phase === 'queued');

    const agent = (stack.genesys.control.state().agents as { id: string }[])[0]!;
    stack.genesys.control.setAgentAvailable(agent.id, true);
    await stack.until('in call', async () => (await stack.session(room.name)).phase === 'in_call');
    const inCall = await stack.session(room.name);
    expect(inCall.agentUserId).toBe(agent.id);
    expect(inCall.conversationId).toEqual(expect.any(String));

    stack.genesys.control.agentHangUp(room.name);
    await stack.until('ended', async () => (await stack.session(room.name)).phase === 'ended');
    const ended = await stack.session(room.name);
    expect(ended.outcome).toBe('completed');
    expect(ended.timeline.map((t: { what: string }) => t.what)).toEqual(
      expect.arrayContaining(['session_started', 'citizen_joined', 'dial_queue', 'queued', 'agent_connected', 'teardown']),
    );
    expect(stack.pexip.rooms().map((r) => r.name)).not.toContain(room.name);
    const gone = await stack.api('GET', `/room/${room.name}`, { token: stack.idim });
    expect(gone).toMatchObject({ status: 404, body: { outcome: 'completed' } });
  });
});
