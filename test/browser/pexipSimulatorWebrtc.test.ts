import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startPexipSimulator, type PexipSimulator, type RoomInspection } from '../../local/pexip-simulator';
import { createPexipClient } from '../../src/adapters/pexip';
import { silentLogger, testConfig } from '../pexip/helpers';
import { closeLeakedUdpSockets } from '../pexip/werift';
import { launchChromium, type LaunchedBrowser } from './chromium';

/**
 * The page joins like the Agent App: request_token with the host PIN, a video-only offer (no
 * audio m-line) from the fake camera, the answer from the simulator's werift peer. It runs on
 * http://localhost:<port> while the simulator is on 127.0.0.1: every call is cross-origin (CORS).
 */
const PAGE = `<!doctype html><title>join</title><video id="v" autoplay muted playsinline></video><script>
window.join = async (node, alias, pin) => {
  const camera = await navigator.mediaDevices.getUserMedia({ video: true });
  const pc = new RTCPeerConnection({ iceServers: [] });
  window.pc = pc;
  pc.addTransceiver(camera.getVideoTracks()[0], { direction: 'sendrecv' });
  pc.ontrack = (e) => { document.getElementById('v').srcObject = new MediaStream([e.track]); };
  await pc.setLocalDescription(await pc.createOffer());
  await new Promise((r) => { if (pc.iceGatheringState === 'complete') r(); pc.onicegatheringstatechange = () => pc.iceGatheringState === 'complete' && r(); });
  const base = node + '/api/client/v2/conferences/' + encodeURIComponent(alias);
  const token = await (await fetch(base + '/request_token', { method: 'POST', headers: { pin, 'content-type': 'application/json' }, body: JSON.stringify({ display_name: 'Agent' }) })).json();
  const t = token.result.token;
  const call = await (await fetch(base + '/participants/' + token.result.participant_uuid + '/calls', { method: 'POST', headers: { token: t, 'content-type': 'application/json' }, body: JSON.stringify({ call_type: 'WEBRTC', sdp: pc.localDescription.sdp }) })).json();
  await pc.setRemoteDescription({ type: 'answer', sdp: call.result.sdp });
  await fetch(base + '/participants/' + token.result.participant_uuid + '/calls/' + call.result.call_uuid + '/ack', { method: 'POST', headers: { token: t } });
  window.callUrl = base + '/participants/' + token.result.participant_uuid + '/calls/' + call.result.call_uuid;
  window.token = t;
  return token.result.role;
};
// a new offer on the live call, as the Pexip client sends it: a new camera track, or an ICE restart
window.renegotiate = async (restartIce) => {
  const pc = window.pc;
  if (restartIce) pc.restartIce();
  else {
    const camera = await navigator.mediaDevices.getUserMedia({ video: true });
    pc.getTransceivers()[0].sender.replaceTrack(camera.getVideoTracks()[0]);
    pc.getTransceivers()[0].direction = 'sendrecv';
    pc.addTransceiver('video', { direction: 'recvonly' });
  }
  await pc.setLocalDescription(await pc.createOffer());
  await new Promise((r) => { if (pc.iceGatheringState === 'complete') r(); pc.onicegatheringstatechange = () => pc.iceGatheringState === 'complete' && r(); });
  const update = await (await fetch(window.callUrl + '/update', { method: 'POST', headers: { token: window.token, 'content-type': 'application/json' }, body: JSON.stringify({ sdp: pc.localDescription.sdp }) })).json();
  await pc.setRemoteDescription({ type: 'answer', sdp: update.result.sdp });
};
window.decoded = async () => {
  const stats = await window.pc.getStats();
  let frames = 0;
  stats.forEach((s) => { if (s.type === 'inbound-rtp' && s.kind === 'video') frames = s.framesDecoded || 0; });
  return { ice: window.pc.iceConnectionState, frames };
};
// whether the browser's selected candidate pair belongs to its current ICE credentials (a completed restart)
window.selectedPairIsCurrent = async () => {
  const stats = await window.pc.getStats();
  const ufrag = /a=ice-ufrag:(\\S+)/.exec(window.pc.localDescription.sdp)[1];
  let current = false;
  stats.forEach((t) => {
    if (t.type !== 'transport' || !t.selectedCandidatePairId) return;
    const pair = stats.get(t.selectedCandidatePairId);
    const local = pair && stats.get(pair.localCandidateId);
    current = !!local && local.usernameFragment === ufrag;
  });
  return current;
};
</script>`;

describe('Pexip simulator with a real browser (Debian Chromium, fake camera)', () => {
  let sim: PexipSimulator;
  let page: Server;
  let browser: LaunchedBrowser;
  const room = 'mctest-chromium';

  beforeAll(async () => {
    sim = await startPexipSimulator({ basic: { username: 'admin', password: 'pw' } });
    const client = createPexipClient(testConfig({ PEXIP_MANAGEMENT_URL: sim.url, PEXIP_USERNAME: 'admin', PEXIP_PASSWORD: 'pw' }), silentLogger);
    await client.rooms.createRoom({ name: room, guestPin: '4821', hostPin: '918273' });
    page = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE));
    await new Promise<void>((r) => page.listen(0, '127.0.0.1', r));
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await new Promise((r) => page?.close(r));
    await sim?.stop();
    closeLeakedUdpSockets();
  });

  /** The room's view of the leg once it has counted more than `packets` video packets (or when `ms` runs out). */
  async function roomSawVideoPackets(packets: number, ms: number) {
    const deadline = Date.now() + ms;
    for (;;) {
      const view = (await (await fetch(`${sim.url}/_sim/rooms/${room}`, { headers: { authorization: `Basic ${Buffer.from('admin:pw').toString('base64')}` } })).json()) as RoomInspection;
      const leg = view.participants[0]!.media!;
      // the browser's decoded-frame count and the room's packet count are read at different moments
      if (leg.received.video.packets > packets || Date.now() > deadline) return leg;
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  it('ICE connects, the browser decodes frames from the room, and the room saw video and no audio from the leg', async () => {
    const tab = await browser.context.newPage();
    await tab.goto(`http://localhost:${(page.address() as AddressInfo).port}/`);
    expect(await tab.evaluate(([node, alias]) => (globalThis as any).join(node, alias, '918273'), [sim.url, room])).toBe('HOST');
    // alone in the room, the agent's own camera comes back: real VP8, decoded by the browser
    await tab.waitForFunction(async () => {
      const s = await (globalThis as any).decoded();
      return s.ice === 'connected' && s.frames > 10;
    }, undefined, { timeout: 20_000, polling: 200 });
    const leg = await roomSawVideoPackets(10, 20_000);
    expect(leg.received.video.packets).toBeGreaterThan(10);
    expect(leg.received.audio.packets).toBe(0);
    expect(leg.keyframeRequests).toBeGreaterThan(0);

    // a renegotiation (new track and m-line) and then an ICE restart on the live call: media keeps flowing both ways
    for (const restartIce of [false, true]) {
      const before = await roomSawVideoPackets(0, 0);
      const framesBefore = ((await tab.evaluate(() => (globalThis as any).decoded())) as { frames: number }).frames;
      await tab.evaluate((restart) => (globalThis as any).renegotiate(restart), restartIce);
      const after = await roomSawVideoPackets(before.received.video.packets + 30, 20_000);
      expect(after.received.video.packets).toBeGreaterThan(before.received.video.packets + 30);
      await tab.waitForFunction(async (n) => {
        const s = await (globalThis as any).decoded();
        return s.ice === 'connected' && s.frames > n + 10;
      }, framesBefore, { timeout: 20_000, polling: 200 });
      // the restart completes on the room's side too: the browser moves to a pair of its new credentials
      await tab.waitForFunction(() => (globalThis as any).selectedPairIsCurrent(), undefined, { timeout: 20_000, polling: 200 });
    }
    await tab.close();
  }, 90_000);
});
