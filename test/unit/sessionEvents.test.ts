import { SESSION_EVENT_TYPES, SessionEvent } from '../../src/contracts';

describe('session events contract', () => {
  const at = '2026-11-25T10:00:00.000Z';

  it('accepts each adapter event with its source ids', () => {
    expect(SessionEvent.parse({ type: 'citizen_joined', source: 'pexip', roomName: 'mc-1', at, eventId: 'e1', participantId: 'p1' }).type).toBe(
      'citizen_joined',
    );
    const agent = SessionEvent.parse({
      type: 'agent_connected',
      source: 'genesys',
      roomName: 'mc-1',
      at,
      eventId: 'e2',
      conversationId: 'c-1',
      agentUserId: 'u-7',
    });
    expect(agent).toMatchObject({ conversationId: 'c-1', agentUserId: 'u-7' });
  });

  it('names the missing field when an event is incomplete', () => {
    const result = SessionEvent.safeParse({ type: 'agent_connected', source: 'genesys', roomName: 'mc-1', at, eventId: 'e', conversationId: 'c' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['agentUserId']);
  });

  it('refuses an event from the wrong source and a local time without offset', () => {
    expect(SessionEvent.safeParse({ type: 'queued', source: 'pexip', roomName: 'r', at, eventId: 'e', conversationId: 'c' }).success).toBe(false);
    expect(
      SessionEvent.safeParse({ type: 'idim_deleted', source: 'idim', roomName: 'r', at: '2026-11-25T10:00:00', eventId: 'e' }).success,
    ).toBe(false);
  });

  it('lists every event type once', () => {
    expect(new Set(SESSION_EVENT_TYPES).size).toBe(SESSION_EVENT_TYPES.length);
    expect(SESSION_EVENT_TYPES).toEqual(expect.arrayContaining(['citizen_left', 'conference_ended', 'abandoned', 'support_terminated']));
  });
});
