import { callsWebrtcParticipant, requestToken, withPin, withToken } from '@pexip/infinity-api';
import { MediaStreamTrack, RTCPeerConnection, RtcpPayloadSpecificFeedback, RtpHeader, RtpPacket, useOPUS, useVP8, type RtcpPacket } from 'werift';
import { startPexipSimulator, type PexipSimulator, type RoomInspection } from '../../local/pexip-simulator';
import { createPexipClient } from '../../src/adapters/pexip';
import { silentLogger, testConfig } from './helpers';

const AUTH = { authorization: `Basic ${Buffer.from('admin:pw').toString('base64')}` };

async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not in time: ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/**
 * A werift "browser": offers video (and audio when asked), sends packets whose payload starts
 * with its own marker byte, and records the markers of the video it receives. werift cannot
 * encode, so the payload is not real VP8; the room forwards payloads unchanged.
 */
async function browser(sim: PexipSimulator, room: string, pin: string, name: string, marker: number, withAudio: boolean) {
  const pc = new RTCPeerConnection({ iceServers: [], iceUseIpv4: true, iceUseIpv6: false, iceAdditionalHostAddresses: ['127.0.0.1'], codecs: { video: [useVP8()], audio: [useOPUS()] } });
  const videoTrack = new MediaStreamTrack({ kind: 'video' });
  const video = pc.addTransceiver(videoTrack, { direction: 'sendrecv' });
  const audioTrack = new MediaStreamTrack({ kind: 'audio' });
  if (withAudio) pc.addTransceiver(audioTrack, { direction: 'sendrecv' });
  const receivedMarkers: number[] = [];
  video.onTrack.subscribe((track) => track.onReceiveRtp.subscribe((rtp) => receivedMarkers.push(rtp.payload[0]!)));
  const keyframeRequests: RtcpPacket[] = [];
  const onRtcp = (p: RtcpPacket) => {
    if (p instanceof RtcpPayloadSpecificFeedback && (p.feedback as { mediaSsrc?: number }).mediaSsrc === video.sender.ssrc) keyframeRequests.push(p);
  };
  video.sender.onRtcp.subscribe(onRtcp);
  video.receiver.onRtcp.subscribe(onRtcp);
  await pc.setLocalDescription(await pc.createOffer());
  await until(() => pc.iceGatheringState === 'complete', 'offer gathered');

  const t = await requestToken({ fetcher: withPin(fetch, pin), params: { conferenceAlias: room }, body: { display_name: name }, host: sim.url });
  if (t.status !== 200) throw new Error(`join refused ${t.status}`);
  const call = await callsWebrtcParticipant({ fetcher: withToken(fetch, t.data.result.token), params: { conferenceAlias: room, participantUuid: t.data.result.participant_uuid }, body: { call_type: 'WEBRTC', sdp: pc.localDescription!.sdp }, host: sim.url });
  if (call.status !== 200) throw new Error('call refused');
  await pc.setRemoteDescription({ type: 'answer', sdp: call.data.result.sdp });
  await until(() => pc.connectionState === 'connected', `${name} connected`);

  let seq = 0;
  const send = async (packets: number) => {
    for (let i = 0; i < packets; i++) {
      seq += 1;
      const payload = Buffer.from([marker, ...Buffer.alloc(99, seq % 256)]);
      videoTrack.writeRtp(new RtpPacket(new RtpHeader({ payloadType: 96, sequenceNumber: seq, timestamp: seq * 3000, ssrc: 1000 + marker, marker: true }), payload));
      if (withAudio) audioTrack.writeRtp(new RtpPacket(new RtpHeader({ payloadType: 111, sequenceNumber: seq, timestamp: seq * 960, ssrc: 2000 + marker }), Buffer.alloc(40, 1)));
      await new Promise((r) => setTimeout(r, 5));
    }
  };
  return { pc, video, uuid: t.data.result.participant_uuid, answer: call.data.result.sdp, receivedMarkers, keyframeRequests, send };
}

/** Keeps the browsers sending until `check()` holds. */
async function sendUntil(browsers: { send(n: number): Promise<void> }[], check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not in time: ${what}`);
    await Promise.all(browsers.map((b) => b.send(5)));
  }
}

describe('Pexip simulator: a real WebRTC peer (werift on both sides)', () => {
  let sim: PexipSimulator;
  const room = 'mctest-media';
  const closers: RTCPeerConnection[] = [];

  beforeAll(async () => {
    sim = await startPexipSimulator({ basic: { username: 'admin', password: 'pw' } });
    const client = createPexipClient(testConfig({ PEXIP_MANAGEMENT_URL: sim.url, PEXIP_USERNAME: 'admin', PEXIP_PASSWORD: 'pw' }), silentLogger);
    await client.rooms.createRoom({ name: room, guestPin: '4821', hostPin: '918273' });
  });
  afterAll(async () => {
    await Promise.all(closers.map((pc) => pc.close()));
    await sim.stop();
  });

  const inspect = async () => {
    const res = await fetch(`${sim.url}/_sim/rooms/${room}`, { headers: AUTH });
    expect(res.status).toBe(200);
    return (await res.json()) as RoomInspection;
  };

  it('answers with ICE on loopback, forwards video between legs, relays keyframe requests, and counts what each leg sent', async () => {
    // the agent: video only, as the Agent App joins
    const agent = await browser(sim, room, '918273', 'Agent', 0xa1, false);
    closers.push(agent.pc);
    expect(agent.answer).toMatch(/^a=candidate:.* 127\.0\.0\.1 /m);
    expect(agent.answer).toMatch(/^a=rtpmap:\d+ VP8\/90000/m);
    expect(agent.answer).toContain('a=setup:active');

    // alone in the room, the agent gets its own video back (something decodable to show)
    // (each side sees `connected` at its own moment: a browser keeps sending, so do these)
    await sendUntil([agent], () => agent.receivedMarkers.includes(0xa1), 'agent sees its own video while alone');

    const citizen = await browser(sim, room, '4821', 'Citizen', 0xc1, true);
    closers.push(citizen.pc);
    await sendUntil([agent, citizen], () => agent.receivedMarkers.includes(0xc1) && citizen.receivedMarkers.includes(0xa1), 'each receives the other');
    await Promise.all([agent.send(40), citizen.send(40)]);
    // once someone else is there, nobody is shown their own video
    const before = citizen.receivedMarkers.length;
    await agent.send(20);
    await until(() => citizen.receivedMarkers.length > before, 'more forwarded video');
    expect(citizen.receivedMarkers.slice(before).every((m) => m === 0xa1)).toBe(true);

    // the citizen's browser asks for a keyframe of what it shows: the agent's browser is asked
    const asked = agent.keyframeRequests.length;
    const incoming = citizen.video.receiver.tracks[0]!.ssrc!;
    await citizen.video.receiver.sendRtcpPLI(incoming);
    await until(() => agent.keyframeRequests.length > asked, 'PLI relayed to the source');
    const inspected = await inspect();
    expect(inspected.participants.find((p) => p.displayName === 'Citizen')!.media).toMatchObject({ connectionState: 'connected' });

    const view = await inspect();
    const byName = Object.fromEntries(view.participants.map((p) => [p.displayName, p]));
    expect(byName.Agent!.media).toMatchObject({ connectionState: 'connected', received: { audio: { packets: 0, bytes: 0 } } });
    // at least the 60 packets sent once both ends were connected
    expect(byName.Agent!.media!.received.video.packets).toBeGreaterThanOrEqual(60);
    expect(byName.Citizen!.media!.received.audio.packets).toBeGreaterThanOrEqual(40);
    expect(byName.Citizen!.media!.sentVideoPackets).toBeGreaterThan(0);
    expect(byName.Agent!.media!.keyframeRequests).toBeGreaterThan(0);

    // a host video-mutes the citizen: the agent stops receiving it
    const hostToken = await requestToken({ fetcher: withPin(fetch, '918273'), params: { conferenceAlias: room }, body: { display_name: 'Control' }, host: sim.url });
    if (hostToken.status !== 200) throw new Error('no host token');
    const muted = await fetch(`${sim.url}/api/client/v2/conferences/${room}/participants/${citizen.uuid}/video_muted`, { method: 'POST', headers: { token: hostToken.data.result.token } });
    expect(muted.status).toBe(200);
    const seen = agent.receivedMarkers.length;
    await citizen.send(30);
    await new Promise((r) => setTimeout(r, 200));
    expect(agent.receivedMarkers.slice(seen).filter((m) => m === 0xc1)).toEqual([]);
  }, 60_000);
});
