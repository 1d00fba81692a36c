import { startStack, type Stack } from './stack';

/**
 * One scenario per terminal outcome and per edge path: each checks the outcome, the timeline and
 * that the room is gone from Pexip.
 */
describe('call session outcomes, end to end', () => {
  let stack: Stack;
  afterEach(async () => stack?.stop());

  const phase = async (room: string) => (await stack.session(room)).phase as string;
  const whats = (session: { timeline: { what: string }[] }) => session.timeline.map((t) => t.what);
  const freeAgent = () => {
    const agent = (stack.genesys.control.state().agents as { id: string }[])[0]!;
    stack.genesys.control.setAgentAvailable(agent.id, true);
    return agent.id;
  };

  async function ended(room: string, outcome: string) {
    await stack.until(`${outcome}`, async () => (await phase(room)) === 'ended');
    const session = await stack.session(room);
    expect(session.outcome).toBe(outcome);
    expect(session.teardown).toMatchObject({ ok: true });
    expect(whats(session)).toContain('teardown');
    expect(stack.pexip.rooms().map((r) => r.name)).not.toContain(room);
    return session;
  }

  async function queued() {
    const room = await stack.createRoom();
    const citizen = await stack.join(room.name, room.guest_pin);
    await stack.until('queued', async () => (await phase(room.name)) === 'queued');
    return { room, citizen };
  }

  async function inCall() {
    const q = await queued();
    freeAgent();
    await stack.until('in call', async () => (await phase(q.room.name)) === 'in_call');
    return q;
  }

  it('citizen never joins → citizen_no_show after the join deadline', async () => {
    stack = await startStack();
    const room = await stack.createRoom();
    await stack.host.advance(14 * 60_000);
    expect(await phase(room.name)).toBe('waiting_for_citizen');
    await stack.host.advance(60_000);
    const session = await ended(room.name, 'citizen_no_show');
    expect(whats(session)).toContain('citizen join');
  });

  it('citizen leaves while queued and does not return → citizen_left, Genesys call hung up', async () => {
    stack = await startStack();
    const { room, citizen } = await queued();
    const conversationId = (await stack.session(room.name)).conversationId as string;
    await citizen.leave();
    expect(await phase(room.name)).toBe('reconnecting');
    await stack.host.advance(120_000);
    await ended(room.name, 'citizen_left');
    await stack.until('Genesys conversation ended', async () => {
      const c = stack.genesys.control.conversation(conversationId) as { participants: { purpose: string; endTime?: string }[] };
      return c.participants.find((p) => p.purpose === 'customer')?.endTime !== undefined;
    });
  });

  it('citizen drops and rejoins within the grace: same room, same queue place, conference_ended is not the end', async () => {
    stack = await startStack();
    const { room, citizen } = await queued();
    const before = await stack.session(room.name);
    stack.pexip.dropParticipant(citizen.participantId, 'network blip');
    await stack.settle();
    expect(await phase(room.name)).toBe('reconnecting');
    await stack.host.advance(60_000);
    await stack.join(room.name, room.guest_pin);
    await stack.until('back in the queue', async () => (await phase(room.name)) === 'queued');
    const after = await stack.session(room.name);
    expect(after.conversationId).toBe(before.conversationId);
    expect(after.dialAttempts).toBe(1);
    await stack.host.advance(5 * 60_000);
    expect(await phase(room.name)).toBe('queued');
    expect(stack.pexip.rooms().map((r) => r.name)).toContain(room.name);
  });

  it('no agent before the queue deadline → queue_timeout', async () => {
    stack = await startStack();
    const { room } = await queued();
    await stack.host.advance(45 * 60_000);
    const session = await ended(room.name, 'queue_timeout');
    expect(whats(session)).toContain('queue wait');
  }, 120_000);

  it('the caller abandons in Genesys → abandoned', async () => {
    stack = await startStack();
    const { room } = await queued();
    stack.genesys.control.abandon(room.name);
    await ended(room.name, 'abandoned');
  });

  it('the inbound flow is closed (after hours) → closed, before the call is ever queued', async () => {
    stack = await startStack({ genesys: { flow: { open: false } } });
    const room = await stack.createRoom();
    await stack.join(room.name, room.guest_pin);
    const session = await ended(room.name, 'closed');
    expect(session.agentUserId).toBeNull();
  });

  it('every dial fails → retried, then dial_failed', async () => {
    stack = await startStack();
    stack.pexip.setFaults({ errorRate: { command: 1 } });
    const room = await stack.createRoom();
    await stack.join(room.name, room.guest_pin);
    // a 5xx is Pexip busy: the dial is retried as the same attempt for 5 minutes, then attempts count
    for (let i = 0; i < 34; i += 1) await stack.host.advance(10_000);
    expect((await stack.session(room.name)).outcome).toBe('dial_failed');
    // Pexip's command API was down for teardown's hang-up too: teardown retries until it is back
    expect(await phase(room.name)).toBe('ending');
    stack.pexip.setFaults({});
    await stack.host.advance(60_000);
    const session = await ended(room.name, 'dial_failed');
    expect(session.dialAttempts).toBe(3);
  });

  it('agent hangs up after answering → completed; the agent’s id is kept', async () => {
    stack = await startStack();
    const { room } = await inCall();
    stack.genesys.control.agentHangUp(room.name);
    const session = await ended(room.name, 'completed');
    expect(session.agentUserId).toEqual(expect.any(String));
  });

  it('the citizen hangs up during the call → completed after the grace', async () => {
    stack = await startStack();
    const { room, citizen } = await inCall();
    await citizen.leave();
    await stack.host.advance(120_000);
    await ended(room.name, 'completed');
  });

  it('the Genesys customer leg ends during the call → completed', async () => {
    stack = await startStack();
    const { room } = await inCall();
    stack.genesys.control.customerHangUp(room.name);
    await ended(room.name, 'completed');
  });

  it('IDIM deletes before an agent answered → ended_by_idim; a second DELETE is still 204 and changes nothing', async () => {
    stack = await startStack();
    const { room } = await queued();
    expect((await stack.api('DELETE', `/room/${room.name}`, { token: stack.idim })).status).toBe(204);
    await ended(room.name, 'ended_by_idim');
    expect((await stack.api('DELETE', `/room/${room.name}`, { token: stack.idim })).status).toBe(204);
    expect((await stack.session(room.name)).outcome).toBe('ended_by_idim');
    const gone = await stack.api('GET', `/room/${room.name}`, { token: stack.idim });
    expect(gone).toMatchObject({ status: 404, body: { outcome: 'ended_by_idim' } });
  });

  it('IDIM deletes mid-call → completed', async () => {
    stack = await startStack();
    const { room } = await inCall();
    expect((await stack.api('DELETE', `/room/${room.name}`, { token: stack.idim })).status).toBe(204);
    await ended(room.name, 'completed');
  });

  it('support terminates → terminated_by_support; a second terminate is 409', async () => {
    stack = await startStack();
    const { room } = await queued();
    const res = await stack.api('POST', `/sessions/${room.name}/terminate`, { token: stack.support, body: { reason: 'citizen reported a frozen call' } });
    expect(res.status).toBe(202);
    await ended(room.name, 'terminated_by_support');
    const again = await stack.api('POST', `/sessions/${room.name}/terminate`, { token: stack.support, body: { reason: 'again' } });
    expect(again.status).toBe(409);
  });

  it('a call past its maximum duration → max_duration', async () => {
    stack = await startStack();
    const { room } = await inCall();
    await stack.host.advance(2 * 3600_000);
    await ended(room.name, 'max_duration');
  });
});
