import { dialQueueActivity, teardownSessionActivity, type SessionActivityDeps } from '../../activities/callSession';
import { PexipError } from '../../src/adapters/pexip';
import { createLogger } from '../../src/logging/logger';

function fakePexip() {
  const participants: { id: string; conference: string; call_direction: string; protocol: string }[] = [];
  // configuration id → name, as Pexip holds them
  const rooms = new Map([[1, 'mc-a']]);
  let dials = 0;
  const deps: SessionActivityDeps = {
    calls: {
      async dialOut({ roomName }) {
        dials += 1;
        const id = `sip-${dials}`;
        participants.push({ id, conference: roomName, call_direction: 'out', protocol: 'SIP' });
        return { participantId: id };
      },
      async disconnectParticipant(id) {
        const at = participants.findIndex((p) => p.id === id);
        if (at < 0) return 'already_gone';
        participants.splice(at, 1);
        return 'disconnected';
      },
      async disconnectConference(roomName) {
        const before = participants.length;
        for (let i = participants.length - 1; i >= 0; i -= 1) if (participants[i]!.conference === roomName) participants.splice(i, 1);
        return before > participants.length ? 'disconnected' : 'not_running';
      },
      async listParticipants(roomName) {
        return participants.filter((p) => p.conference === roomName);
      },
    },
    rooms: {
      async deleteRoomById(id, name) {
        if (rooms.get(id) !== name) return 'already_gone';
        rooms.delete(id);
        return 'deleted';
      },
    },
    logger: createLogger({ level: 'silent' }),
  };
  return { deps, participants, rooms, dials: () => dials };
}

describe('session activities', () => {
  it('a repeated dial of the same attempt finds the leg it placed instead of ringing twice', async () => {
    const pexip = fakePexip();
    const dial = dialQueueActivity(pexip.deps);
    const first = await dial({ roomName: 'mc-a', uui: '00;encoding=hex', attempt: 1 });
    const again = await dial({ roomName: 'mc-a', uui: '00;encoding=hex', attempt: 1 });
    expect(again).toEqual(first);
    expect(pexip.dials()).toBe(1);
  });

  it('a retry hangs up the earlier leg before dialling anew', async () => {
    const pexip = fakePexip();
    const dial = dialQueueActivity(pexip.deps);
    await dial({ roomName: 'mc-a', uui: '00;encoding=hex', attempt: 1 });
    const second = await dial({ roomName: 'mc-a', uui: '00;encoding=hex', attempt: 2, replaceParticipantId: 'sip-1' });
    expect(second).toEqual({ ok: true, participantId: 'sip-2' });
    expect(pexip.participants.map((p) => p.id)).toEqual(['sip-2']);
  });

  it('a dial Pexip refuses becomes a failed result the session can retry, not an exception', async () => {
    const pexip = fakePexip();
    pexip.deps.calls.dialOut = async () => {
      throw new PexipError('server_error', 'Pexip 503', true, 503);
    };
    expect(await dialQueueActivity(pexip.deps)({ roomName: 'mc-a', uui: '00;encoding=hex', attempt: 1 })).toEqual({
      ok: false,
      reason: 'Pexip 503',
      busy: true,
    });
  });

  it("a rate-limited dial carries Pexip's Retry-After; a refusal Pexip will repeat is not busy", async () => {
    const pexip = fakePexip();
    pexip.deps.calls.dialOut = async () => {
      throw new PexipError('rate_limited', 'Pexip dial: rate limited (429)', true, 429, 20);
    };
    expect(await dialQueueActivity(pexip.deps)({ roomName: 'mc-a', uui: '00;encoding=hex', attempt: 1 })).toEqual({
      ok: false,
      reason: 'Pexip dial: rate limited (429)',
      busy: true,
      retryAfterSeconds: 20,
    });
    pexip.deps.calls.dialOut = async () => {
      throw new PexipError('bad_request', 'Pexip 400', false, 400);
    };
    expect(await dialQueueActivity(pexip.deps)({ roomName: 'mc-a', uui: '00;encoding=hex', attempt: 1 })).toEqual({ ok: false, reason: 'Pexip 400' });
  });

  it('teardown deletes the room even when the hang-up fails, and still fails so the retry hangs up', async () => {
    const pexip = fakePexip();
    pexip.deps.calls.disconnectConference = async () => {
      throw new PexipError('server_error', 'Pexip 503', true, 503);
    };
    await expect(teardownSessionActivity(pexip.deps)({ roomName: 'mc-a', roomId: 1, outcome: 'completed' })).rejects.toThrow(
      'teardown incomplete: conference: Pexip 503',
    );
    expect(pexip.rooms.size).toBe(0);
  });

  it('teardown is safe to repeat: the second run finds nothing left', async () => {
    const pexip = fakePexip();
    await dialQueueActivity(pexip.deps)({ roomName: 'mc-a', uui: '00;encoding=hex', attempt: 1 });
    const teardown = teardownSessionActivity(pexip.deps);
    const input = { roomName: 'mc-a', roomId: 1, outcome: 'completed' };
    expect((await teardown(input)).detail).toBe('conference disconnected; room deleted');
    expect((await teardown(input)).detail).toBe('conference not_running; room already_gone');
    expect(pexip.rooms.size).toBe(0);
  });
});
