import { callsWebrtcParticipant, refreshToken, requestToken, withPin, withToken } from '@pexip/infinity-api';
import { CUSTOM_STATUS_LIMIT_BYTES, customStatusBytes } from '../../src/domain/sessionView';
import { startStack, type Stack } from './stack';

const MINUTE = 60_000;
const OFFER = ['v=0', 'o=- 1 2 IN IP4 127.0.0.1', 's=-', 't=0 0', 'm=audio 9 UDP/TLS/RTP/SAVPF 111', 'a=mid:0', 'm=video 9 UDP/TLS/RTP/SAVPF 96', 'a=mid:1', ''].join('\r\n');

/**
 * Issue 13: the custom status stays under Durable Functions' 16 KB for the longest sessions the
 * defaults allow, on the local host, which fails an orchestration whose status is over the limit
 * exactly as the extension does (test/host/customStatus.test.ts). A citizen waits in the queue
 * until the 45-minute queue deadline ends the session; another call runs until the 2-hour
 * maximum ends it. Every minute the raw status (Durable HTTP API) is read: never Failed, and its
 * size as the extension measures it (UTF-16 bytes of the JSON) under the limit.
 */
describe('custom status under 16 KB on the local host for a 45-minute queue wait and a 2-hour call', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  }, 120_000);
  afterAll(async () => stack?.stop());

  const agentId = () => (stack.genesys.control.state().agents as { id: string }[])[0]!.id;
  let largest = 0;

  async function rawStatus(room: string): Promise<{ runtimeStatus: string; customStatus: unknown }> {
    const res = await fetch(`${stack.host.url}/runtime/webhooks/durabletask/instances/${room}`);
    return (await res.json()) as { runtimeStatus: string; customStatus: unknown };
  }

  async function expectBounded(room: string): Promise<string> {
    const status = await rawStatus(room);
    expect([room, status.runtimeStatus]).not.toEqual([room, 'Failed']);
    const bytes = customStatusBytes(status.customStatus);
    largest = Math.max(largest, bytes);
    expect(bytes).toBeLessThan(CUSTOM_STATUS_LIMIT_BYTES);
    return status.runtimeStatus;
  }

  /** The BCSC app's leg, refreshing its token at half-life as @pexip/infinity does. */
  async function citizenIn(room: { name: string; guest_pin: string }) {
    const params = { conferenceAlias: room.name };
    const granted = await requestToken({ fetcher: withPin(fetch, room.guest_pin), params, body: { display_name: room.name }, host: stack.pexip.url });
    if (granted.status !== 200) throw new Error('join refused');
    let token = granted.data.result.token;
    const call = await callsWebrtcParticipant({ fetcher: withToken(fetch, token), params: { ...params, participantUuid: granted.data.result.participant_uuid }, body: { call_type: 'WEBRTC', sdp: OFFER, media_type: 'video' }, host: stack.pexip.url });
    if (call.status !== 200) throw new Error('call refused');
    await stack.settle();
    return {
      async refresh() {
        const refreshed = await refreshToken({ fetcher: withToken(fetch, token), params, host: stack.pexip.url });
        if (refreshed.status === 200) token = refreshed.data.result.token;
      },
    };
  }

  async function minutes(room: string, count: number, citizen: { refresh(): Promise<void> }) {
    for (let minute = 1; minute <= count; minute += 1) {
      await stack.host.advance(MINUTE);
      await citizen.refresh();
      await stack.settle();
      await expectBounded(room);
    }
  }

  it('a citizen queued until the 45-minute queue deadline: the status stays bounded and the session ends by itself', async () => {
    const room = await stack.createRoom();
    const citizen = await citizenIn(room);
    await stack.until('queued', async () => (await stack.session(room.name)).phase === 'queued');
    await minutes(room.name, 46, citizen);
    const view = await stack.session(room.name);
    expect(view).toMatchObject({ phase: 'ended', outcome: 'queue_timeout' });
    expect(await expectBounded(room.name)).toBe('Completed');
  }, 180_000);

  it('a call that runs to the 2-hour maximum: the status stays bounded and the session ends max_duration', async () => {
    const room = await stack.createRoom();
    const citizen = await citizenIn(room);
    await stack.until('queued', async () => (await stack.session(room.name)).phase === 'queued');
    stack.genesys.control.setAgentAvailable(agentId(), true);
    await stack.until('in call', async () => (await stack.session(room.name)).phase === 'in_call');
    await minutes(room.name, 121, citizen);
    const view = await stack.session(room.name);
    expect(view).toMatchObject({ phase: 'ended', outcome: 'max_duration' });
    expect(await expectBounded(room.name)).toBe('Completed');
    if (process.env.STATUS_REPORT) console.log(JSON.stringify({ largestStatusBytes: largest }));
  }, 240_000);
});
