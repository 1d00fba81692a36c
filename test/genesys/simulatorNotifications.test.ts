import { manualClock, startGenesysSimulator, type EventBridgeEnvelope, type GenesysSimulator, type ManualClock } from '../../local/genesys-simulator';
import { auth, connect, createChannel, http, legOf, subscribed, type Message, type OpenChannel } from '../simulators/genesysChannel';
import { invite, recordingCaller } from './support';

const callsTopic = (userId: string) => `v2.users.${userId}.conversations.calls`;
const participant = (pid: string, c: string) => `/api/v2/conversations/calls/${c}/participants/${pid}`;

describe('Genesys simulator notifications', () => {
  let sim: GenesysSimulator;
  let clock: ManualClock;
  let open: OpenChannel[];
  afterEach(async () => {
    for (const c of open) c.close();
    await sim.stop();
  });
  const agents = () => sim.control.state().agents as { id: string }[];
  const start = async (options: Parameters<typeof startGenesysSimulator>[0] = {}) => {
    clock = manualClock();
    open = [];
    sim = await startGenesysSimulator({ clock, agents: 2, autoAnswer: false, answerDelayMs: 0, ...options });
  };

  it('tells the agent of each change to the call: offer, answer, hold, mute, blind transfer, hang-up; EventBridge still hears the session\'s events', async () => {
    const envelopes: EventBridgeEnvelope[] = [];
    await start({ eventSink: (e) => void envelopes.push(e) });
    const [a, b] = agents().map((x) => x.id) as [string, string];
    const tokenA = sim.control.mintUserToken({ userId: a }).access_token;
    const tokenB = sim.control.mintUserToken({ userId: b }).access_token;
    const channelA = await subscribed(sim.url, tokenA, [callsTopic(a), `v2.users.${a}.conversations`]);
    const channelB = await subscribed(sim.url, tokenB, [callsTopic(b)]);
    open.push(channelA, channelB);
    const onCalls = (m: Message) => m.topicName === callsTopic(a);

    await sim.sipDestination.invite(invite('mclocal-note', sim.sipUri), recordingCaller());
    clock.advance(0);
    const offered = await channelA.next((m) => onCalls(m) && legOf(m, a)?.state === 'alerting', 'alerting');
    expect(offered).toMatchObject({ version: '2', metadata: { CorrelationId: expect.any(String) } });
    const conversationId = offered.eventBody.id as string;
    const legA = legOf(offered, a);
    expect(offered.eventBody.participants.find((p: any) => p.purpose === 'customer')).toMatchObject({ state: 'connected', name: 'mclocal-note' });
    // the conversations topic carries the REST layout (calls[] per participant)
    const generic = await channelA.next((m) => m.topicName === `v2.users.${a}.conversations`, 'conversations topic');
    expect(generic.eventBody.participants.find((p: any) => p.purpose === 'customer')).toMatchObject({ aniName: 'mclocal-note', calls: [expect.objectContaining({ state: 'connected' })] });

    const act = async (token: string, pid: string, body: unknown) => (await http.patch(`${sim.url}${participant(pid, conversationId)}`, body, auth(token))).status;
    expect(await act(tokenA, legA.id, { state: 'connected' })).toBe(202);
    await channelA.next((m) => onCalls(m) && legOf(m, a)?.state === 'connected', 'connected');
    expect(await act(tokenA, legA.id, { held: true })).toBe(202);
    const held = await channelA.next((m) => onCalls(m) && legOf(m, a)?.held === true, 'held');
    expect(legOf(held, a).startHoldTime).toEqual(expect.any(String));
    expect(await act(tokenA, legA.id, { held: false })).toBe(202);
    await channelA.next((m) => onCalls(m) && legOf(m, a)?.held === false && legOf(m, a)?.state === 'connected', 'resumed', channelA.messages.indexOf(held) + 1);
    expect(await act(tokenA, legA.id, { muted: true })).toBe(202);
    await channelA.next((m) => onCalls(m) && legOf(m, a)?.muted === true, 'muted');

    const transfer = await http.post(`${sim.url}${participant(legA.id, conversationId)}/replace`, { userId: b }, auth(tokenA));
    expect(transfer.status).toBe(202);
    const gone = await channelA.next((m) => onCalls(m) && m.eventBody.participants.some((p: any) => p.id === legA.id && p.state === 'disconnected'), 'transferred away');
    expect(gone.eventBody.participants.find((p: any) => p.id === legA.id)).toMatchObject({ disconnectType: 'transfer' });
    await channelA.next((m) => onCalls(m) && m.eventBody.participants.some((p: any) => p.id === legA.id && p.state === 'terminated'), 'terminated');
    const afterA = channelA.messages.length;

    const offeredB = await channelB.next((m) => legOf(m, b)?.state === 'alerting', 'offer to B');
    const legB = legOf(offeredB, b);
    expect(await act(tokenB, legB.id, { state: 'connected' })).toBe(202);
    await channelB.next((m) => legOf(m, b)?.state === 'connected', 'B connected');
    expect(await act(tokenB, legB.id, { state: 'disconnected' })).toBe(202);
    const ended = await channelB.next((m) => m.eventBody?.participants?.some((p: any) => p.id === legB.id && p.state === 'disconnected'), 'B hung up');
    expect(ended.eventBody.participants.find((p: any) => p.id === legB.id)).toMatchObject({ disconnectType: 'client' });
    expect(ended.eventBody.participants.find((p: any) => p.purpose === 'customer')).toMatchObject({ state: 'disconnected' });
    // A's leg was over before B took the call: A hears nothing more of it
    expect(channelA.messages.slice(afterA).filter(onCalls)).toEqual([]);

    await sim.control.eventsDelivered();
    const kinds = envelopes.map((e) => `${e.detail.topicName.split('.').slice(5).join('.')}${e.detail.eventBody.userId ? `:${e.detail.eventBody.userId === a ? 'A' : 'B'}` : ''}${e.detail.eventBody.disconnectType ? `:${String(e.detail.eventBody.disconnectType)}` : ''}`);
    expect(kinds.filter((k) => /^(acd|user|customer)\./.test(k))).toEqual([
      'customer.start',
      'acd.start',
      'acd.end:TRANSFER',
      'user.start:A',
      'user.end:A:TRANSFER',
      'user.start:B',
      'user.end:B:CLIENT',
      'customer.end:PEER',
    ]);
  });

  it('sends the heartbeat every 30 s and answers a ping', async () => {
    await start();
    const [a] = agents().map((x) => x.id) as [string];
    const channel = await subscribed(sim.url, sim.control.mintUserToken({ userId: a }).access_token, [callsTopic(a)]);
    open.push(channel);
    clock.advance(29_999);
    channel.ws.send(JSON.stringify({ message: 'ping' }));
    await channel.next((m) => m.eventBody?.message === 'pong', 'pong');
    expect(channel.messages.some((m) => m.eventBody?.message === 'WebSocket Heartbeat')).toBe(false);
    clock.advance(1);
    expect(await channel.next((m) => m.eventBody?.message === 'WebSocket Heartbeat', 'heartbeat')).toMatchObject({ topicName: 'channel.metadata' });
    clock.advance(30_000);
    await channel.next((m) => m.eventBody?.message === 'WebSocket Heartbeat', 'second heartbeat', channel.messages.findIndex((m) => m.eventBody?.message === 'WebSocket Heartbeat') + 1);
  });

  it('keeps 20 channels per user and app: the 21st evicts the one used longest ago, unconnected ones first, with socket_closing', async () => {
    await start();
    const [a] = agents().map((x) => x.id) as [string];
    const token = sim.control.mintUserToken({ userId: a }).access_token;
    const first = await createChannel(sim.url, token);
    open.push(await connect(first));
    clock.advance(1000);
    const idle = await createChannel(sim.url, token);
    const rest: { id: string; connectUri: string }[] = [];
    for (let i = 0; i < 18; i++) {
      clock.advance(1000);
      rest.push(await createChannel(sim.url, token));
    }
    const listed = async () => ((await http.get(`${sim.url}/api/v2/notifications/channels`, auth(token))).data.entities as { id: string }[]).map((c) => c.id);
    expect(await listed()).toHaveLength(20);
    await createChannel(sim.url, token);
    const after21 = await listed();
    expect(after21).toHaveLength(20);
    expect(after21).not.toContain(idle.id);
    expect(after21).toContain(first.id);
    expect((await http.head(`${sim.url}/api/v2/notifications/channels/${idle.id}`, auth(token))).status).toBe(404);

    // all connected now: the oldest (the first) goes, told before its socket closes
    for (const c of rest) open.push(await connect(c));
    const firstSocket = open[0]!;
    open.push(await connect((await http.get(`${sim.url}/api/v2/notifications/channels`, auth(token))).data.entities.find((c: { id: string }) => ![first.id, ...rest.map((r) => r.id)].includes(c.id))));
    await createChannel(sim.url, token);
    expect(await firstSocket.next((m) => m.topicName === 'v2.system.socket_closing', 'socket_closing')).toBeTruthy();
    expect((await firstSocket.closed).code).toBe(1000);
    await expect(connect(first)).rejects.toThrow(/404/);
    // another app (OAuth client) of the same user counts its own 20
    const otherApp = sim.control.mintUserToken({ userId: a, clientId: 'other-app' }).access_token;
    expect((await http.get(`${sim.url}/api/v2/notifications/channels`, auth(otherApp))).data.entities).toHaveLength(0);
  });

  it('subscriptions: only the user\'s own topics, replaced by PUT, added by POST, listed, cleared; unknown or foreign channels are 404', async () => {
    await start();
    const [a, b] = agents().map((x) => x.id) as [string, string];
    const token = sim.control.mintUserToken({ userId: a }).access_token;
    const { id } = await createChannel(sim.url, token);
    const subs = `${sim.url}/api/v2/notifications/channels/${id}/subscriptions`;
    expect((await http.put(subs, [{ id: callsTopic(b) }], auth(token))).status).toBe(400);
    expect((await http.put(subs, [{ topic: 'x' }], auth(token))).data.message).toMatch(/body\[0\]\.id|\[0\]/);
    expect((await http.put(subs, [{ id: callsTopic(a) }], auth(token))).data.entities).toEqual([{ id: callsTopic(a), state: 'Permitted' }]);
    await http.post(subs, [{ id: `v2.users.${a}.conversations` }], auth(token));
    expect((await http.get(subs, auth(token))).data.entities.map((e: { id: string }) => e.id)).toEqual([callsTopic(a), `v2.users.${a}.conversations`]);
    expect((await http.delete(subs, auth(token))).status).toBe(204);
    expect((await http.get(subs, auth(token))).data.entities).toEqual([]);
    const stranger = sim.control.mintUserToken({ userId: b }).access_token;
    expect((await http.get(subs, auth(stranger))).status).toBe(404);
    expect((await http.get(`${sim.url}/api/v2/notifications/channels/streaming-0-nope/subscriptions`, auth(token))).status).toBe(404);
  });
});
