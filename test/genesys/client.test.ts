import { createServiceClient, GenesysApiError } from '../../src/adapters/genesys/client';
import { createGenesysConversations } from '../../src/adapters/genesys/conversations';
import { startGenesysSimulator, manualClock, type GenesysSimulator, type ManualClock } from '../../local/genesys-simulator';
import { invite, recordingCaller, silentLogger } from './support';

describe('production Genesys adapter against the simulator, through purecloud-platform-client-v2', () => {
  let sim: GenesysSimulator;
  let clock: ManualClock;

  beforeEach(async () => {
    clock = manualClock(Date.now());
    sim = await startGenesysSimulator({ clock, agents: 1, agentsBusy: true, answerDelayMs: 1000, tokenLifetimeSeconds: 3600 });
  });
  afterEach(() => sim.stop());

  function adapter(overrides: { sleep?: (ms: number) => Promise<void>; random?: () => number } = {}) {
    const client = createServiceClient({
      region: 'cac1.pure.cloud',
      apiBaseUrl: sim.url,
      credentials: sim.clients[0]!,
      logger: silentLogger(),
      now: () => clock.now(),
      sleep: overrides.sleep ?? (async () => {}),
      ...(overrides.random ? { random: overrides.random } : {}),
    });
    return {
      client,
      conversations: createGenesysConversations({ client, logger: silentLogger(), now: () => new Date(clock.now()), queueName: sim.queue.name }),
    };
  }

  it('resolves the queue by its exact name, not a prefix match', async () => {
    const { conversations } = adapter();
    await expect(conversations.resolveQueue('SBC_VBV_TEST')).resolves.toEqual({ id: sim.queue.id, name: 'SBC_VBV_TEST' });
    await expect(conversations.resolveQueue('SBC_VBV')).rejects.toMatchObject({ status: 404 });
  });

  it('finds the conversation of a session by caller name, reports wait and position, and disconnects the caller', async () => {
    const { conversations } = adapter();
    const callers = ['mclocal-a', 'mclocal-b', 'mclocal-c'].map((room) => {
      const caller = recordingCaller();
      void sim.sipDestination.invite(invite(room, sim.sipUri), caller);
      clock.advance(1000);
      return caller;
    });
    const b = await conversations.findSessionConversation({ roomName: 'mclocal-b' });
    expect(b).toMatchObject({ state: 'waiting', matchedBy: 'aniName', queueId: sim.queue.id });

    const status = await conversations.queueStatus(b!.conversationId);
    expect(status).toMatchObject({ waiting: true, position: 2, queueId: sim.queue.id });
    expect(status!.estimatedWaitSeconds).toBeGreaterThan(0);

    await expect(conversations.disconnectCustomer(b!.conversationId)).resolves.toBe('disconnected');
    expect(callers[1]!.byes).toEqual(['disconnected by API']);
    // idempotent: a second call finds the leg already gone
    await expect(conversations.disconnectCustomer(b!.conversationId)).resolves.toBe('already_ended');
    const c = await conversations.findSessionConversation({ roomName: 'mclocal-c' });
    await expect(conversations.queuePosition(sim.queue.id, c!.conversationId)).resolves.toBe(2);
    await expect(conversations.disconnectCustomer('00000000-0000-0000-0000-000000000000')).resolves.toBe('not_found');
  });

  it('falls back to the participant attribute or the UUI when the caller name is not the room', async () => {
    const { conversations } = adapter();
    void sim.sipDestination.invite({ ...invite('mclocal-x', sim.sipUri), fromDisplayName: 'Pexip' }, recordingCaller());
    clock.advance(10);
    await expect(conversations.findSessionConversation({ roomName: 'mclocal-x' })).resolves.toMatchObject({ matchedBy: 'attribute' });
    void sim.sipDestination.invite({ ...invite('mclocal-y', sim.sipUri, 'abcdef;encoding=hex'), fromUri: 'sip:gw@conf.sim.invalid', fromDisplayName: 'Pexip' }, recordingCaller());
    clock.advance(10);
    await expect(conversations.findSessionConversation({ roomName: 'mclocal-y', uui: 'ABCDEF' })).resolves.toMatchObject({ matchedBy: 'uui' });
    await expect(conversations.findSessionConversation({ roomName: 'mclocal-zzz' })).resolves.toBeUndefined();
  });

  it('reuses its token, logs in again before expiry and after a 401', async () => {
    const { client, conversations } = adapter();
    let logins = 0;
    const login = client.sdk.loginClientCredentialsGrant.bind(client.sdk);
    client.sdk.loginClientCredentialsGrant = (id, secret) => {
      logins++;
      return login(id, secret);
    };
    await conversations.resolveQueue('SBC_VBV_TEST');
    await conversations.findSessionConversation({ roomName: 'nobody' });
    expect(logins).toBe(1);
    clock.advance(3600_000 - 30_000); // inside the refresh margin
    await conversations.findSessionConversation({ roomName: 'nobody' });
    expect(logins).toBe(2);
    client.sdk.setAccessToken('revoked-token'); // Genesys answers 401: one fresh login, same request again
    await conversations.findSessionConversation({ roomName: 'nobody' });
    expect(logins).toBe(3);
  });

  it('waits out 429 with Retry-After and retries 5xx, within bounds', async () => {
    const slept: number[] = [];
    const { conversations } = adapter({ sleep: async (ms) => void slept.push(ms), random: () => 0.5 });
    sim.control.setFaults({ script: { queues: [{ status: 429, times: 1, retryAfter: 3 }, { status: 503, times: 2 }] } });
    await expect(conversations.resolveQueue('SBC_VBV_TEST')).resolves.toMatchObject({ id: sim.queue.id });
    // Retry-After is waited out; the 5xx back-offs are the Pexip client's: full jitter of 250·2^(n-1)
    expect(slept).toEqual([3000, 250, 500]);

    sim.control.setFaults({ script: { analytics: [{ status: 500, times: 10 }] } });
    const error = await conversations.findSessionConversation({ roomName: 'r' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GenesysApiError);
    expect((error as GenesysApiError).status).toBe(500);
  });

  it('gives up on a call that exceeds its timeout and retries it', async () => {
    const client = createServiceClient({
      region: 'cac1.pure.cloud',
      apiBaseUrl: sim.url,
      credentials: sim.clients[0]!,
      logger: silentLogger(),
      sleep: async () => {},
      timeoutMs: 200,
    });
    const conversations = createGenesysConversations({ client, logger: silentLogger(), now: () => new Date(), queueName: sim.queue.name });
    sim.control.setFaults({ script: { queues: [{ status: 200, times: 1, hangMs: 600 }] } });
    await expect(conversations.resolveQueue('SBC_VBV_TEST')).resolves.toMatchObject({ id: sim.queue.id });
  });

  it('refuses bad client credentials without retrying', async () => {
    const client = createServiceClient({
      region: 'cac1.pure.cloud',
      apiBaseUrl: sim.url,
      credentials: { clientId: 'nope', clientSecret: 'nope' },
      logger: silentLogger(),
      sleep: async () => {},
    });
    const conversations = createGenesysConversations({ client, logger: silentLogger(), now: () => new Date(), queueName: sim.queue.name });
    await expect(conversations.resolveQueue('SBC_VBV_TEST')).rejects.toMatchObject({ status: 401, operation: 'login' });
  });
});
