import type { ParticipantListing, PexipParticipantStatus } from '../../src/adapters/pexip';
import type { SessionEvent } from '../../src/contracts';
import type { DurableControl, InstanceStatus } from '../../src/contracts/ports';
import { createLogger } from '../../src/logging/logger';
import { createReconciler } from '../../src/observers/reconciler';

const PREFIX = 'mclocal-';
const SIP = 'sip:queue@byoc.example';
const NOW = new Date('2026-12-01T12:00:00Z');

function session(room: string, view: Record<string, unknown>): InstanceStatus {
  return {
    instanceId: room,
    name: 'callSession',
    runtimeStatus: 'Running',
    input: {},
    output: null,
    customStatus: { phase: 'waiting_for_citizen', conversationId: null, citizenParticipants: [], sipParticipantId: null, ...view },
    createdTime: NOW.toISOString(),
    lastUpdatedTime: NOW.toISOString(),
  };
}

const citizen = (room: string, id: string): PexipParticipantStatus => ({ id, conference: room, role: 'guest', call_direction: 'in', protocol: 'WebRTC', has_media: true });
const sipLeg = (room: string, id: string, hasMedia = true): PexipParticipantStatus => ({ id, conference: room, role: 'chair', call_direction: 'out', protocol: 'SIP', destination_alias: SIP, has_media: hasMedia });

function world(sessions: InstanceStatus[], listing: () => ParticipantListing) {
  const published: SessionEvent[] = [];
  const order: string[] = [];
  const durable = {
    listInstances: async () => {
      order.push('sessions');
      return sessions;
    },
  } as unknown as DurableControl;
  const reconciler = createReconciler({
    participants: {
      listAll: async (inScope) => {
        order.push('pexip');
        const l = listing();
        return { ...l, participants: l.participants.filter((p) => inScope(p.conference)) };
      },
    },
    roomPrefix: PREFIX,
    genesysSipUri: SIP,
    publisher: () => ({ publish: async (e: SessionEvent) => (published.push(e), 'accepted' as const) }),
    logger: createLogger({ level: 'silent' }),
    now: () => NOW,
  });
  return { published, order, cycle: () => reconciler.cycle(durable) };
}

describe('the reconciler', () => {
  it('raises the lost participant_connected under the sink’s id, reading the sessions before the rooms, once', async () => {
    const w = world([session('mclocal-a', {})], () => ({ participants: [citizen('mclocal-a', 'p-1'), citizen('otherslot-b', 'p-9')], complete: true, pages: 1 }));
    const report = await w.cycle();
    expect(w.order).toEqual(['sessions', 'pexip']);
    expect(w.published).toEqual([expect.objectContaining({ type: 'citizen_joined', roomName: 'mclocal-a', participantId: 'p-1', eventId: 'pexip:p-1:joined' })]);
    expect(report).toMatchObject({ corrections: 1, pexipCalls: 1, liveParticipants: 1 });
    // the session's view has not caught up yet: the same fact is not raised again
    await w.cycle();
    expect(w.published).toHaveLength(1);
  });

  it('raises nothing while the sessions agree with Pexip, however many cycles run', async () => {
    const w = world([session('mclocal-a', { phase: 'queued', citizenParticipants: ['p-1'], sipParticipantId: 's-1' })], () => ({
      participants: [citizen('mclocal-a', 'p-1'), sipLeg('mclocal-a', 's-1')],
      complete: true,
      pages: 1,
    }));
    for (let i = 0; i < 5; i += 1) await w.cycle();
    expect(w.published).toEqual([]);
  });

  it('raises a lost participant_disconnected from a complete list, and no "left" at all from a partial one', async () => {
    const sessions = [session('mclocal-a', { phase: 'in_call', citizenParticipants: ['p-1'], sipParticipantId: 's-1' })];
    const partial = world(sessions, () => ({ participants: [], complete: false, pages: 2 }));
    const report = await partial.cycle();
    expect(partial.published).toEqual([]);
    expect(report.withheld).toBe(2);

    const complete = world(sessions, () => ({ participants: [], complete: true, pages: 1 }));
    await complete.cycle();
    expect(complete.published.map((e) => [e.type, e.eventId])).toEqual([
      ['citizen_left', 'pexip:p-1:left'],
      ['sip_leg_ended', 'pexip:s-1:left'],
    ]);
  });

  it('never makes one citizen two legs when the status id differs from the id the session knows', async () => {
    const w = world([session('mclocal-a', { phase: 'queued', citizenParticipants: ['sink-uuid'], sipParticipantId: 'dial-id' })], () => ({
      participants: [citizen('mclocal-a', 'status-id'), sipLeg('mclocal-a', 'status-sip-id')],
      complete: true,
      pages: 1,
    }));
    const report = await w.cycle();
    expect(w.published).toEqual([]);
    expect(report.withheld).toBe(3);
  });

  it('tells a dialling session its answered SIP leg, not one still ringing', async () => {
    const ringing = world([session('mclocal-a', { phase: 'dialing', citizenParticipants: ['p-1'] })], () => ({ participants: [citizen('mclocal-a', 'p-1'), sipLeg('mclocal-a', 's-1', false)], complete: true, pages: 1 }));
    await ringing.cycle();
    expect(ringing.published).toEqual([]);
    const answered = world([session('mclocal-a', { phase: 'dialing', citizenParticipants: ['p-1'] })], () => ({ participants: [citizen('mclocal-a', 'p-1'), sipLeg('mclocal-a', 's-1')], complete: true, pages: 1 }));
    await answered.cycle();
    expect(answered.published).toEqual([expect.objectContaining({ type: 'sip_leg_connected', participantId: 's-1', eventId: 'pexip:s-1:joined' })]);
  });

  it('makes no Pexip call when no session runs', async () => {
    const w = world([], () => {
      throw new Error('Pexip must not be read');
    });
    expect(await w.cycle()).toMatchObject({ sessions: 0, pexipCalls: 0 });
  });
});
