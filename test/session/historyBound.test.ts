import { callsWebrtcParticipant, disconnectCall, refreshToken, releaseToken, requestToken, withPin, withToken } from '@pexip/infinity-api';
import { EventType, type HistoryEvent } from '../../local/durable-host';
import type { SinkEnvelope } from '../../local/pexip-simulator';
import { startStack, type Stack } from './stack';

const MINUTE = 60_000;

/**
 * Issue 7: history stays bounded. A call whose agent hangs up ~1 minute after answering and one
 * that runs for 1 h 55 min (below MAX_CALL_SECONDS' default of 2 h, so it still ends `completed`,
 * not `max_duration`) are driven end to end on the local host with both simulators. Through every
 * minute of each call the legs behave as in production: the citizen's and the agent's Pexip
 * clients refresh their tokens (Pexip tokens last 120 s; clients refresh at half-life), and the
 * conferencing node posts `participant_updated` (mute, bandwidth) for every leg plus a
 * `conference_updated`. None of that can change a session, so ingestion must absorb it and the
 * long call's callSession history must be no longer than the short call's.
 */
describe('callSession history stays bounded however long the call lasts', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => stack?.stop());

  const phase = async (room: string) => (await stack.session(room)).phase as string;
  const agentId = () => (stack.genesys.control.state().agents as { id: string }[])[0]!.id;

  interface Leg {
    participantId: string;
    refresh(): Promise<void>;
    leave(): Promise<void>;
  }

  const OFFER = ['v=0', 'o=- 1 2 IN IP4 127.0.0.1', 's=-', 't=0 0', 'm=audio 9 UDP/TLS/RTP/SAVPF 111', 'a=mid:0', 'm=video 9 UDP/TLS/RTP/SAVPF 96', 'a=mid:1', ''].join('\r\n');

  /** A WebRTC client (the BCSC app, or the Agent App's video-only leg) that keeps its token alive. */
  async function joinWebrtc(roomName: string, pin: string, displayName: string): Promise<Leg> {
    const host = stack.pexip.url;
    const params = { conferenceAlias: roomName };
    const granted = await requestToken({ fetcher: withPin(fetch, pin), params, body: { display_name: displayName }, host });
    if (granted.status !== 200) throw new Error(`join refused: ${JSON.stringify(granted.data)}`);
    let token = granted.data.result.token;
    const participantUuid = granted.data.result.participant_uuid;
    const call = await callsWebrtcParticipant({
      fetcher: withToken(fetch, token),
      params: { ...params, participantUuid },
      body: { call_type: 'WEBRTC', sdp: OFFER, media_type: 'video' },
      host,
    });
    if (call.status !== 200) throw new Error('call refused');
    await stack.settle();
    return {
      participantId: participantUuid,
      async refresh() {
        const fresh = await refreshToken({ fetcher: withToken(fetch, token), params, host });
        if (fresh.status !== 200) throw new Error(`token refresh refused: ${JSON.stringify(fresh.data)}`);
        token = fresh.data.result.token;
      },
      async leave() {
        await disconnectCall({ fetcher: withToken(fetch, token), params: { ...params, participantUuid, callUuid: call.data.result.call_uuid }, host });
        await releaseToken({ fetcher: withToken(fetch, token), params, body: {}, host });
        await stack.settle();
      },
    };
  }

  /** What the conferencing nodes last posted about this room's connected legs and the conference. */
  function lastSinkState(roomName: string): { participants: SinkEnvelope[]; conference: SinkEnvelope | undefined } {
    const envelopes = stack.pexip.sinkDeliveries().flatMap((d) => (Array.isArray(d.envelope) ? d.envelope : [d.envelope]));
    const legs = new Map<string, SinkEnvelope>();
    let conference: SinkEnvelope | undefined;
    for (const e of envelopes) {
      const data = e.data as { uuid?: string; conference?: string; name?: string };
      if ((e.event === 'conference_started' || e.event === 'conference_updated') && data.name === roomName) conference = e;
      if (data.conference !== roomName || !data.uuid) continue;
      if (e.event === 'participant_connected' || e.event === 'participant_updated') legs.set(data.uuid, e);
      if (e.event === 'participant_disconnected') legs.delete(data.uuid);
    }
    return { participants: [...legs.values()], conference };
  }

  let noiseSeq = 1_000_000;
  const noiseCounts = { posts: 0, received: 0, accepted: 0 };

  /** One minute's worth of Pexip noise, posted to the sink exactly as a conferencing node would. */
  async function pexipNoise(roomName: string, minute: number) {
    const { participants, conference } = lastSinkState(roomName);
    const time = stack.host.now().getTime() / 1000;
    const posts: SinkEnvelope[] = participants.map((e) => ({
      ...e,
      event: 'participant_updated',
      seq: (noiseSeq += 1),
      time,
      data: { ...(e.data as object), is_muted: minute % 2 === 1, rx_bandwidth: 500 + (minute % 7) * 100, tx_bandwidth: 800 + (minute % 5) * 100 },
    }));
    if (conference) posts.push({ ...conference, event: 'conference_updated', seq: (noiseSeq += 1), time, data: { ...(conference.data as object), is_locked: false } });
    const { PEXIP_EVENT_SINK_USERNAME: user, PEXIP_EVENT_SINK_PASSWORD: password } = stack.host.env;
    for (const body of posts) {
      const res = await stack.api('POST', '/public/event_sink', {
        body,
        headers: { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` },
      });
      expect(res.status).toBe(200);
      noiseCounts.posts += 1;
      noiseCounts.received += res.body.received as number;
      noiseCounts.accepted += res.body.accepted as number;
    }
  }

  function countsByType(history: HistoryEvent[]): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const e of history) counts[EventType[e.EventType]!] = (counts[EventType[e.EventType]!] ?? 0) + 1;
    return counts;
  }

  /** A full call whose agent hangs up `minutes` after answering; returns the session's stored history. */
  async function callLasting(minutes: number): Promise<HistoryEvent[]> {
    const room = await stack.createRoom();
    const citizen = await joinWebrtc(room.name, room.guest_pin, room.name);
    await stack.until('queued', async () => (await phase(room.name)) === 'queued');
    stack.genesys.control.setAgentAvailable(agentId(), true);
    await stack.until('in call', async () => (await phase(room.name)) === 'in_call');

    // the Agent App looks the room up with the agent's Genesys token and adds its video-only leg
    const session = await stack.session(room.name);
    const { access_token: agentToken } = stack.genesys.control.mintUserToken({ userId: session.agentUserId });
    const publicRoom = await stack.api('GET', `/public/room/${room.name}`, { headers: { 'x-auth-token': agentToken } });
    expect(publicRoom.status).toBe(200);
    const agentVideo = await joinWebrtc(room.name, publicRoom.body.pin, 'Agent');
    await stack.until('agent video seen', async () => (await stack.session(room.name)).timeline.some((t: { what: string }) => t.what === 'agent_video_joined'));

    for (let minute = 1; minute <= minutes; minute += 1) {
      await stack.host.advance(MINUTE);
      await citizen.refresh();
      await agentVideo.refresh();
      await pexipNoise(room.name, minute);
      await stack.settle();
      if (minute % 30 === 0) expect(await phase(room.name)).toBe('in_call');
    }

    stack.genesys.control.agentHangUp(room.name);
    await stack.until('ended', async () => (await phase(room.name)) === 'ended');
    const ended = await stack.session(room.name);
    expect(ended.outcome).toBe('completed');
    expect(ended.teardown).toMatchObject({ ok: true });
    expect(stack.pexip.rooms().map((r) => r.name)).not.toContain(room.name);
    expect(stack.pexip.participants(room.name)).toEqual([]);
    // events still in flight after teardown (legs disconnected by it) must not reach the history
    await stack.host.advance(MINUTE);
    await stack.settle();
    // the agent is not offered the next call until that call is queued
    stack.genesys.control.setAgentAvailable(agentId(), false);
    return stack.host.history(room.name);
  }

  /** A call that waits `minutes` in the queue (the observers running all along), then is answered and hung up. */
  async function queueWaitOf(minutes: number): Promise<HistoryEvent[]> {
    const room = await stack.createRoom();
    const citizen = await joinWebrtc(room.name, room.guest_pin, room.name);
    await stack.until('queued with its conversation', async () => (await stack.session(room.name)).conversationId !== null);
    for (let minute = 1; minute <= minutes; minute += 1) {
      await stack.host.advance(MINUTE);
      await citizen.refresh();
      await stack.settle();
    }
    expect(await phase(room.name)).toBe('queued');
    stack.genesys.control.setAgentAvailable(agentId(), true);
    await stack.until('in call', async () => (await phase(room.name)) === 'in_call');
    stack.genesys.control.agentHangUp(room.name);
    await stack.until('ended', async () => (await phase(room.name)) === 'ended');
    expect((await stack.session(room.name)).outcome).toBe('completed');
    await stack.host.advance(MINUTE);
    await stack.settle();
    stack.genesys.control.setAgentAvailable(agentId(), false);
    return stack.host.history(room.name);
  }

  it('a 44-minute queue wait adds at most 5 history events over a 1-minute one (the queue observer follows it, not the session)', async () => {
    const short = await queueWaitOf(1);
    const long = await queueWaitOf(44);
    if (process.env.HISTORY_REPORT) console.log(JSON.stringify({ queueShort: { events: short.length, ...countsByType(short) }, queueLong: { events: long.length, ...countsByType(long) } }));
    expect(long.length).toBeLessThanOrEqual(short.length + 5);
  }, 180_000);

  it('a 1 h 55 min call with keep-alives and participant_updated noise adds no more history than a 1 minute call', async () => {
    const short = await callLasting(1);
    const shortNoise = { ...noiseCounts };
    const long = await callLasting(115);
    const longNoise = { posts: noiseCounts.posts - shortNoise.posts, received: noiseCounts.received - shortNoise.received, accepted: noiseCounts.accepted - shortNoise.accepted };

    if (process.env.HISTORY_REPORT) console.log(JSON.stringify({ short: { events: short.length, ...countsByType(short) }, long: { events: long.length, ...countsByType(long) }, shortNoise, longNoise }));
    // No tolerance: after the agent answers, the session waits on one external-event channel and
    // one call-deadline timer; nothing that happens during the call (noise, token refreshes, the
    // passing of time below the deadline) is a session input, so both calls have the same shape.
    expect(long.length).toBeLessThanOrEqual(short.length);
    expect(countsByType(long)).toEqual(countsByType(short));
    // the noise was real (many posts) and all of it was absorbed before the orchestration
    expect(longNoise.posts).toBeGreaterThan(100 * 3);
    expect(longNoise.accepted).toBe(0);
  }, 120_000);
});
