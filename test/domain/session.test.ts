import { isFinished, nextDeadline, phaseOf, QUEUE_OBSERVER_BEHAVIOUR } from '../../src/domain/session';
import { Driver, SETTINGS, toInCall, toQueued, V1_SETTINGS, V2_SETTINGS } from './driver';

const teardowns = (d: Driver) => d.commands.filter((c) => c.type === 'teardown');

function expectEnded(d: Driver, outcome: string) {
  expect(d.state.outcome).toBe(outcome);
  expect(teardowns(d)).toHaveLength(1);
  expect(teardowns(d)[0]).toMatchObject({ outcome });
  d.teardownDone();
  expect(phaseOf(d.state)).toBe('ended');
  expect(nextDeadline(d.state)).toBeUndefined();
}

describe('call session: the happy path', () => {
  it('dials as soon as the citizen is in, queues, connects the agent, completes on hangup', () => {
    const d = new Driver();
    expect(phaseOf(d.state)).toBe('waiting_for_citizen');
    expect(d.event({ type: 'citizen_joined' })).toEqual([{ type: 'dial_queue', attempt: 1 }]);
    expect(phaseOf(d.state)).toBe('dialing');
    d.dialPlaced();
    d.event({ type: 'sip_leg_connected', participantId: 'p-sip' });
    expect(phaseOf(d.state)).toBe('queued');
    // the queue observer follows the queued call: the session commands nothing
    expect(d.event({ type: 'queued' })).toEqual([]);
    expect(d.state.conversationId).toBe('c-1');
    d.event({ type: 'agent_connected', agentUserId: 'u-7' });
    expect(phaseOf(d.state)).toBe('in_call');
    expect(d.state.agentUserId).toBe('u-7');
    d.advance(20 * 60_000);
    d.event({ type: 'agent_left', agentUserId: 'u-7' });
    expectEnded(d, 'completed');
    // Genesys ended it: MaxConf does not disconnect the conversation a second time
    expect(teardowns(d)[0]).not.toHaveProperty('disconnectConversationId');
  });

  it('keeps the queue position fresh while queued (behaviours 1 and 2)', () => {
    for (const d of [toQueued(new Driver(V2_SETTINGS)), toQueued(new Driver(V1_SETTINGS))]) {
      const refreshes = d.advance(95_000).filter((c) => c.type === 'refresh_queue_status');
      expect(refreshes).toHaveLength(3);
      d.input({ kind: 'queue_status', estimatedWaitSeconds: 95, position: 2 });
      expect(d.state.queueInfo).toMatchObject({ estimatedWaitSeconds: 95, position: 2 });
    }
  });

  it('from behaviour 3 commands nothing while it waits in the queue, however long: the queue observer follows it', () => {
    const d = new Driver({ ...SETTINGS, version: QUEUE_OBSERVER_BEHAVIOUR });
    toQueued(d);
    expect(d.advance(44 * 60_000)).toEqual([]);
  });

  it('waits the configured delay before dialing, as today’s automatic dial does', () => {
    const d = new Driver({ ...new Driver().state.settings, dialDelayMs: 10_000 });
    expect(d.event({ type: 'citizen_joined' })).toEqual([]);
    expect(d.advance(9_999)).toEqual([]);
    expect(d.advance(1)).toEqual([{ type: 'dial_queue', attempt: 1 }]);
  });
});

describe('call session: a transfer hands the call to a colleague (behaviour 4)', () => {
  it('the transferring agent leaving keeps the room; the colleague who answers is the agent; the colleague hanging up completes it', () => {
    const d = toInCall();
    expect(d.event({ type: 'agent_left', agentUserId: 'u-7', disconnectType: 'transfer' })).toEqual([]);
    expect(phaseOf(d.state)).toBe('in_call');
    expect(teardowns(d)).toHaveLength(0);
    d.event({ type: 'agent_connected', agentUserId: 'u-8' });
    expect(d.state.agentUserId).toBe('u-8');
    expect(phaseOf(d.state)).toBe('in_call');
    // a late leg end of the first agent is not the end of the call
    d.event({ type: 'agent_left', agentUserId: 'u-7', disconnectType: 'client' });
    expect(phaseOf(d.state)).toBe('in_call');
    d.event({ type: 'agent_left', agentUserId: 'u-8', disconnectType: 'client' });
    expectEnded(d, 'completed');
  });

  it('a transferred call the citizen hangs up on before a colleague answers ends completed', () => {
    const d = toInCall();
    d.event({ type: 'agent_left', agentUserId: 'u-7', disconnectType: 'transfer' });
    d.event({ type: 'customer_ended', disconnectType: 'endpoint' });
    expectEnded(d, 'completed');
  });

  it('sessions started on behaviour 3 replay as they ran: a transfer ended the call', () => {
    const d = toInCall(new Driver({ ...SETTINGS, version: 3 }));
    d.event({ type: 'agent_left', agentUserId: 'u-7', disconnectType: 'transfer' });
    expectEnded(d, 'completed');
  });
});

describe('call session: every terminal outcome', () => {
  it('citizen never joins → citizen_no_show at the join deadline', () => {
    const d = new Driver();
    d.advance(15 * 60_000 - 1);
    expect(d.state.outcome).toBeUndefined();
    d.advance(1);
    expectEnded(d, 'citizen_no_show');
  });

  it('citizen leaves while queued and does not come back → citizen_left after the grace', () => {
    const d = toQueued();
    d.event({ type: 'citizen_left' });
    expect(phaseOf(d.state)).toBe('reconnecting');
    d.advance(119_999);
    expect(d.state.outcome).toBeUndefined();
    d.advance(1);
    expectEnded(d, 'citizen_left');
    expect(teardowns(d)[0]).toMatchObject({ disconnectConversationId: 'c-1' });
  });

  it('the citizen presses Leave call (citizen_ended_call) → ends at once: citizen_left before an answer, completed after; MaxConf hangs up Genesys', () => {
    for (const [d, outcome] of [[new Driver(), 'citizen_left'], [toQueued(), 'citizen_left'], [toInCall(), 'completed']] as const) {
      d.event({ type: 'citizen_ended_call' });
      expect(d.state.outcome).toBe(outcome);
      expect(d.state.reconnectUntil).toBeUndefined();
      if (d.state.conversationId) expect(teardowns(d)[0]).toMatchObject({ disconnectConversationId: 'c-1' });
      expectEnded(d, outcome);
    }
  });

  it('a Leave call while reconnecting ends at once, without waiting out the grace; a second one is ignored', () => {
    const d = toInCall();
    d.event({ type: 'citizen_left' });
    expect(phaseOf(d.state)).toBe('reconnecting');
    d.advance(10_000);
    d.event({ type: 'citizen_ended_call' });
    expect(d.state.outcome).toBe('completed');
    d.event({ type: 'citizen_ended_call', eventId: 'again' });
    expectEnded(d, 'completed');
  });

  it('no agent before the queue deadline → queue_timeout', () => {
    const d = toQueued();
    d.advance(45 * 60_000);
    expectEnded(d, 'queue_timeout');
  });

  it('caller abandons in Genesys → abandoned', () => {
    const d = toQueued();
    d.event({ type: 'abandoned' });
    expectEnded(d, 'abandoned');
  });

  it('the inbound flow releases the call before the queue → closed', () => {
    const d = new Driver();
    d.event({ type: 'citizen_joined' });
    d.dialPlaced();
    d.event({ type: 'sip_leg_connected', participantId: 'p-sip' });
    d.event({ type: 'released_by_flow', reason: 'after_hours' });
    expectEnded(d, 'closed');
  });

  it('Genesys customer leg ends before any queue → closed; after queueing → abandoned', () => {
    const before = new Driver();
    before.event({ type: 'citizen_joined' });
    before.dialPlaced();
    before.event({ type: 'sip_leg_connected', participantId: 'p-sip' });
    before.event({ type: 'customer_ended' });
    expectEnded(before, 'closed');
    const after = toQueued();
    after.event({ type: 'customer_ended' });
    expectEnded(after, 'abandoned');
  });

  it('dial attempts exhausted → dial_failed, after retrying', () => {
    const d = new Driver();
    d.event({ type: 'citizen_joined' });
    d.input({ kind: 'dial_result', attempt: 1, ok: false, reason: 'Pexip 503' });
    expect(d.state.outcome).toBeUndefined();
    const second = d.advance(10_000).filter((c) => c.type === 'dial_queue');
    expect(second).toEqual([{ type: 'dial_queue', attempt: 2 }]);
    d.dialPlaced('p-sip-2');
    d.event({ type: 'sip_leg_failed', participantId: 'p-sip-2', reason: '486 Busy Here' });
    d.advance(10_000);
    expect(d.commands.filter((c) => c.type === 'dial_queue')).toHaveLength(3);
    d.input({ kind: 'dial_result', attempt: 3, ok: false, reason: 'Pexip 503' });
    expectEnded(d, 'dial_failed');
  });

  it('a dial that is placed but never connects times out and the stale leg is replaced', () => {
    const d = new Driver();
    d.event({ type: 'citizen_joined' });
    d.dialPlaced('p-ringing');
    const next = d.advance(15_000).filter((c) => c.type === 'dial_queue');
    expect(next).toEqual([{ type: 'dial_queue', attempt: 2, replaceParticipantId: 'p-ringing' }]);
  });

  it('agent or citizen hangs up after answering → completed', () => {
    const agent = toInCall();
    agent.event({ type: 'customer_ended' });
    expectEnded(agent, 'completed');
    const citizen = toInCall();
    citizen.event({ type: 'citizen_left' });
    citizen.advance(120_000);
    expectEnded(citizen, 'completed');
  });

  it('IDIM deletes before an agent answered → ended_by_idim; after → completed', () => {
    const early = toQueued();
    early.event({ type: 'idim_deleted' });
    expectEnded(early, 'ended_by_idim');
    const late = toInCall();
    late.event({ type: 'idim_deleted' });
    expectEnded(late, 'completed');
    expect(teardowns(late)[0]).toMatchObject({ disconnectConversationId: 'c-1' });
  });

  it('support terminates → terminated_by_support', () => {
    const d = toQueued();
    d.event({ type: 'support_terminated', reason: 'stuck', by: 'support-1' });
    expectEnded(d, 'terminated_by_support');
  });

  it('call passes its maximum duration → max_duration', () => {
    const d = toInCall();
    d.advance(2 * 3600_000);
    expectEnded(d, 'max_duration');
  });

  it('a session past its lifetime ends as expired, whatever its phase', () => {
    const d = new Driver({ ...new Driver().state.settings, citizenJoinMs: 5 * 3600_000 });
    d.advance(4 * 3600_000);
    expectEnded(d, 'expired');
  });
});

describe('call session: edge paths', () => {
  it('a citizen blip keeps the room and the queue place; conference_ended during it is not the end', () => {
    const d = toQueued();
    d.event({ type: 'citizen_left' });
    d.event({ type: 'conference_ended' });
    d.advance(60_000);
    d.event({ type: 'citizen_joined', participantId: 'p-citizen-2' });
    expect(phaseOf(d.state)).toBe('queued');
    expect(d.state.conversationId).toBe('c-1');
    d.advance(10 * 60_000);
    expect(isFinished(d.state)).toBe(false);
    expect(d.commands.filter((c) => c.type === 'dial_queue')).toHaveLength(1);
  });

  it('conference_ended alone (no leave reported) starts the grace, not the end', () => {
    const d = toInCall();
    d.event({ type: 'conference_ended' });
    expect(phaseOf(d.state)).toBe('reconnecting');
    d.event({ type: 'citizen_joined', participantId: 'p-citizen-2' });
    expect(phaseOf(d.state)).toBe('in_call');
  });

  it('an agent answering while the citizen is reconnecting still counts', () => {
    const d = toQueued();
    d.event({ type: 'citizen_left' });
    d.event({ type: 'agent_connected', agentUserId: 'u-7' });
    expect(phaseOf(d.state)).toBe('reconnecting');
    d.advance(120_000);
    expectEnded(d, 'completed');
  });

  it('ignores duplicates, late joins and events after the end, recording them', () => {
    const d = toQueued();
    const event = { type: 'abandoned' as const, eventId: 'dup-1' };
    d.event(event);
    d.teardownDone();
    expect(d.event(event)).toEqual([]);
    expect(d.event({ type: 'agent_connected', agentUserId: 'u-9' })).toEqual([]);
    expect(d.state.outcome).toBe('abandoned');
    expect(d.state.timeline.filter((t) => t.kind === 'ignored').map((t) => t.detail)).toEqual(['duplicate', 'session over']);
  });

  it('a join reported after its own leave (reordered) does not bring the citizen back', () => {
    const d = toQueued();
    d.event({ type: 'citizen_left', participantId: 'p-citizen' });
    d.event({ type: 'citizen_joined', participantId: 'p-citizen' });
    expect(phaseOf(d.state)).toBe('reconnecting');
  });

  it('an agent answer that arrives before the queued event still connects the call', () => {
    const d = new Driver();
    d.event({ type: 'citizen_joined' });
    d.dialPlaced();
    d.event({ type: 'agent_connected', agentUserId: 'u-7' });
    expect(phaseOf(d.state)).toBe('in_call');
    d.event({ type: 'queued' });
    expect(phaseOf(d.state)).toBe('in_call');
  });
});

describe('call session, behaviour 1: Genesys events that never come, polled per session', () => {
  /** the SIP leg is up, but no Genesys event has named the conversation */
  function queuedWithoutEvents(): Driver {
    const d = new Driver(V1_SETTINGS);
    d.event({ type: 'citizen_joined' });
    d.dialPlaced();
    d.event({ type: 'sip_leg_connected', participantId: 'p-sip' });
    expect(phaseOf(d.state)).toBe('queued');
    return d;
  }

  it('looks the conversation up by the room after one refresh period, then polls it', () => {
    const d = queuedWithoutEvents();
    expect(d.advance(29_999)).toEqual([]);
    expect(d.advance(1)).toEqual([{ type: 'refresh_queue_status' }]);
    d.input({ kind: 'queue_status', conversationId: 'c-9', estimatedWaitSeconds: 40, position: 1 });
    expect(d.state.conversationId).toBe('c-9');
    expect(d.state.queueInfo).toMatchObject({ estimatedWaitSeconds: 40 });
    expect(d.advance(30_000)).toEqual([{ type: 'refresh_queue_status', conversationId: 'c-9' }]);
  });

  it('puts the session in the call when the poll shows an agent, and the late Genesys event is a duplicate', () => {
    const d = queuedWithoutEvents();
    d.advance(30_000);
    d.input({ kind: 'queue_status', conversationId: 'c-9', answeredBy: 'u-3' });
    expect(phaseOf(d.state)).toBe('in_call');
    expect(d.state.agentUserId).toBe('u-3');
    expect(d.state.timeline.map((t) => t.detail)).toContain('an agent answered without its Genesys event');
    // the event ingestion would have raised, arriving late, under the id it always has
    const late = d.input({
      kind: 'event',
      event: { type: 'agent_connected', source: 'genesys', roomName: 'mc-room1', at: new Date(d.now).toISOString(), conversationId: 'c-9', agentUserId: 'u-3', eventId: 'genesys:c-9:agent_connected:u-3' },
    });
    expect(late).toEqual([]);
    expect(d.state.timeline.at(-1)).toMatchObject({ kind: 'ignored', what: 'agent_connected' });
    // no more polling once in the call, and the call is not cut at the queue deadline
    expect(d.advance(50 * 60_000).filter((c) => c.type === 'refresh_queue_status' || c.type === 'teardown')).toEqual([]);
    expect(phaseOf(d.state)).toBe('in_call');
  });

  it('ends the session as abandoned when the poll shows the queued caller gone', () => {
    const d = toQueued(new Driver(V1_SETTINGS));
    d.input({ kind: 'queue_status', customerEnded: true });
    expectEnded(d, 'abandoned');
  });

  it('a poll that finds nothing changes nothing and tries again', () => {
    const d = queuedWithoutEvents();
    d.advance(30_000);
    expect(d.advance(30_000)).toEqual([{ type: 'refresh_queue_status' }]);
    expect(phaseOf(d.state)).toBe('queued');
  });
});
