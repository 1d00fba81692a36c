import { classifyLeg, newEvents, parseSinkBody, SinkPayloadError, translateSinkEvent } from '../../src/adapters/pexip/sinkEvents';
import { SessionEvent } from '../../src/contracts/sessionEvents';

const GENESYS = 'sip:sbc_vbv_test@byoc.example';
const at = new Date('2026-01-05T17:00:00Z');

function participant(event: string, data: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return { node: '10.0.0.5', seq: 7, version: 2, time: 1767632400.5, event, data: { uuid: 'p-1', conference: 'mctest-abc', ...data }, ...extra };
}

const citizen = { call_direction: 'in', protocol: 'WebRTC', role: 'guest' };
const agent = { call_direction: 'in', protocol: 'WebRTC', role: 'chair' };
const sipLeg = { call_direction: 'out', protocol: 'SIP', role: 'chair', destination_alias: 'sip:sbc_vbv_test@byoc.example' };

describe('the leg rule', () => {
  it.each([
    ['inbound WebRTC guest', citizen, 'citizen'],
    ['inbound webrtc guest (lower case)', { ...citizen, protocol: 'webrtc' }, 'citizen'],
    ['inbound WebRTC chair', agent, 'agent'],
    ['inbound WebRTC host', { ...agent, role: 'host' }, 'agent'],
    ['outbound SIP to Genesys', sipLeg, 'sip'],
    ['outbound SIP to Genesys without scheme, other case', { ...sipLeg, destination_alias: 'SBC_VBV_TEST@byoc.example' }, 'sip'],
    ['outbound SIP elsewhere', { ...sipLeg, destination_alias: 'sip:someone@else.example' }, 'other'],
    ['inbound SIP caller', { call_direction: 'in', protocol: 'SIP', role: 'guest' }, 'other'],
    ['WebRTC at PIN entry (role unknown)', { ...citizen, role: 'unknown' }, 'other'],
    ['API-only participant', { call_direction: 'in', protocol: 'API', role: 'guest' }, 'other'],
  ])('%s → %s', (_label, fields, leg) => {
    expect(classifyLeg(fields as never, GENESYS)).toBe(leg);
  });
});

describe('translation to session events', () => {
  const translate = (body: unknown) => parseSinkBody(body, at).map((e) => translateSinkEvent(e, GENESYS));

  it('maps joins and leaves of each leg; every result is a valid SessionEvent', () => {
    const events = [
      ...translate(participant('participant_connected', citizen)),
      ...translate(participant('participant_disconnected', { ...citizen, disconnect_reason: 'Call disconnected', connect_time: 1767632000 })),
      ...translate(participant('participant_connected', { ...sipLeg, has_media: true })),
      ...translate(participant('participant_disconnected', { ...sipLeg, connect_time: 1767632000, duration: 30 })),
      ...translate(participant('participant_disconnected', { ...sipLeg, connect_time: null, duration: 0, disconnect_reason: 'Call rejected (486 Busy Here)' })),
      ...translate(participant('participant_connected', agent)),
      ...translate(participant('participant_disconnected', agent)),
      ...translate({ event: 'conference_started', node: 'n', seq: 1, time: 1767632400, data: { name: 'mctest-abc' } }),
      ...translate({ event: 'conference_ended', node: 'n', seq: 2, time: 1767632500, data: { name: 'mctest-abc' } }),
    ];
    expect(events.map((e) => e?.type)).toEqual([
      'citizen_joined',
      'citizen_left',
      'sip_leg_connected',
      'sip_leg_ended',
      'sip_leg_failed',
      'agent_video_joined',
      'agent_video_left',
      'conference_started',
      'conference_ended',
    ]);
    for (const e of events) expect(SessionEvent.safeParse(e).success).toBe(true);
    expect(events[0]).toMatchObject({ roomName: 'mctest-abc', participantId: 'p-1', at: '2026-01-05T17:00:00.500Z', source: 'pexip' });
    expect(events[4]).toMatchObject({ reason: 'Call rejected (486 Busy Here)' });
  });

  it('a dialled leg that has not answered is not connected', () => {
    expect(translate(participant('participant_connected', { ...sipLeg, has_media: false }))).toEqual([undefined]);
  });

  it('acknowledges every other event name without parsing its data', () => {
    for (const name of ['eventsink_started', 'conference_updated', 'participant_media_stream_window', 'something_new']) {
      expect(parseSinkBody({ event: name, data: 'anything at all' }, at)).toEqual([{ kind: 'ignored', event: name }]);
    }
  });

  it('names the bad field of a used event, also inside a bulk batch', () => {
    expect(() => parseSinkBody({ event: 'participant_connected', data: { uuid: 'x' } }, at)).toThrow(SinkPayloadError);
    const field = (() => {
      try {
        parseSinkBody({ event: 'eventsink_bulk', data: [participant('participant_connected', citizen), { event: 'participant_disconnected', data: { conference: 'r' } }] }, at);
        return 'no error';
      } catch (error) {
        return (error as SinkPayloadError).field;
      }
    })();
    expect(field).toBe('data.1.data.uuid');
    expect(() => parseSinkBody([1, 2], at)).toThrow(SinkPayloadError);
    expect(() => parseSinkBody({ event: 'eventsink_bulk', data: {} }, at)).toThrow(/data/);
  });
});

describe('deduplication before the orchestration', () => {
  const translate = (body: unknown) => parseSinkBody(body, at).map((e) => translateSinkEvent(e, GENESYS)!).filter(Boolean);

  it('the same event twice, a seq restart, per-node conference events and updates pass once', () => {
    const connected = translate(participant('participant_connected', citizen));
    const restarted = translate(participant('participant_connected', citizen, { seq: 1 }));
    const updated = translate(participant('participant_updated', { ...citizen, service_type: 'conference' }));
    const startedA = translate({ event: 'conference_started', node: 'a', data: { name: 'mctest-abc' } });
    const startedB = translate({ event: 'conference_started', node: 'b', data: { name: 'mctest-abc' } });
    const first = newEvents([...connected, ...startedA], undefined);
    expect(first.publish.map((e) => e.type)).toEqual(['citizen_joined', 'conference_started']);
    const second = newEvents([...connected, ...restarted, ...updated, ...startedB], first.state);
    expect(second.publish).toEqual([]);
  });

  it('an update for a participant never seen connected stands in for the missed connect', () => {
    const updated = translate(participant('participant_updated', citizen));
    expect(newEvents(updated, { seen: [] }).publish.map((e) => e.type)).toEqual(['citizen_joined']);
  });

  it('a leave that overtook its join keeps the join out', () => {
    const left = translate(participant('participant_disconnected', citizen));
    const joined = translate(participant('participant_connected', citizen));
    const a = newEvents(left, undefined);
    expect(newEvents(joined, a.state).publish).toEqual([]);
  });

  it('a blip: conference ended then started again both pass', () => {
    const ended = translate({ event: 'conference_ended', node: 'a', data: { name: 'mctest-abc' } });
    const started = translate({ event: 'conference_started', node: 'a', data: { name: 'mctest-abc' } });
    const s1 = newEvents(started, undefined);
    const s2 = newEvents(ended, s1.state);
    const s3 = newEvents([...ended, ...started], s2.state);
    expect([s1, s2, s3].map((s) => s.publish.map((e) => e.type))).toEqual([['conference_started'], ['conference_ended'], ['conference_started']]);
  });

  it('remembers a bounded number of ids', () => {
    let state = { seen: [] as string[] };
    for (let i = 0; i < 500; i++) state = newEvents(translate(participant('participant_connected', citizen, { data: { ...citizen, uuid: `p${i}`, conference: 'mctest-abc' } })), state).state;
    expect(state.seen.length).toBeLessThanOrEqual(200);
  });
});
