/**
 * The citizen's side of a call with real media, as a page for Chromium with its fake camera and
 * microphone: `join(node, alias, guestPin)` joins the Pexip room the way the BCSC app does. Used by
 * the browser tests and `npm run demo -- --browser`; serve it from another origin than the node,
 * as the BCSC app is.
 */
/** The citizen's side, as the BCSC app does it: guest PIN, camera and microphone, retried until the room reached the node. */
export const CITIZEN_PAGE = `<!doctype html><title>citizen</title><video id="v" autoplay muted playsinline></video><script>
window.join = async (node, alias, pin) => {
  const media = await navigator.mediaDevices.getUserMedia({ video: true, audio: true });
  const pc = new RTCPeerConnection({ iceServers: [] });
  window.pc = pc;
  for (const track of media.getTracks()) pc.addTransceiver(track, { direction: 'sendrecv' });
  pc.ontrack = (e) => { document.getElementById('v').srcObject = new MediaStream([e.track]); };
  await pc.setLocalDescription(await pc.createOffer());
  await new Promise((r) => { if (pc.iceGatheringState === 'complete') r(); pc.onicegatheringstatechange = () => pc.iceGatheringState === 'complete' && r(); });
  const base = node + '/api/client/v2/conferences/' + encodeURIComponent(alias);
  let token;
  for (let i = 0; i < 60; i++) {
    const res = await fetch(base + '/request_token', { method: 'POST', headers: { pin, 'content-type': 'application/json' }, body: JSON.stringify({ display_name: 'Citizen' }) });
    if (res.status === 200) { token = (await res.json()).result; break; }
    await new Promise((r) => setTimeout(r, 500));
  }
  if (!token) throw new Error('the room never reached the conference node');
  const call = await (await fetch(base + '/participants/' + token.participant_uuid + '/calls', { method: 'POST', headers: { token: token.token, 'content-type': 'application/json' }, body: JSON.stringify({ call_type: 'WEBRTC', sdp: pc.localDescription.sdp }) })).json();
  await pc.setRemoteDescription({ type: 'answer', sdp: call.result.sdp });
  await fetch(base + '/participants/' + token.participant_uuid + '/calls/' + call.result.call_uuid + '/ack', { method: 'POST', headers: { token: token.token } });
};
</script>`;
