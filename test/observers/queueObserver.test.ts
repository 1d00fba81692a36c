import { manualClock, startGenesysSimulator, type GenesysSimulator } from '../../local/genesys-simulator';
import { createServiceClient, type GenesysServiceClient } from '../../src/adapters/genesys/client';
import { createGenesysConversations } from '../../src/adapters/genesys/conversations';
import { createQueueObservations } from '../../src/adapters/genesys/queueObservations';
import type { SessionEvent } from '../../src/contracts';
import type { DurableControl, InstanceStatus } from '../../src/contracts/ports';
import { createQueueObserver } from '../../src/observers/queueObserver';
import { invite, recordingCaller, silentLogger } from '../genesys/support';

/**
 * The queue observer against the Genesys simulator through the real adapters: MaxConf's sessions
 * are a fake durable client's running instances (their bounded status views), Genesys is the
 * simulator, and every Genesys API call the observer makes is counted.
 */
describe('the queue observer', () => {
  let sim: GenesysSimulator;
  afterEach(async () => sim?.stop());

  async function setUp(options: { agents?: number } = {}) {
    const clock = manualClock(); // a weekday morning: the flow is open
    sim = await startGenesysSimulator({ clock, agents: options.agents ?? 1, agentsBusy: true, answerDelayMs: 0, flowDelayMs: 0 });
    const raw = createServiceClient({ region: 'cac1.pure.cloud', apiBaseUrl: sim.url, credentials: sim.clients[0]!, logger: silentLogger(), sleep: async () => {} });
    const calls: string[] = [];
    const client: GenesysServiceClient = { sdk: raw.sdk, call: (operation, fn) => (calls.push(operation), raw.call(operation, fn)) };
    const conversations = createGenesysConversations({ client, logger: silentLogger(), now: () => new Date(clock.now()), queueName: sim.queue.name });
    const sessions = new Map<string, InstanceStatus>();
    const published: SessionEvent[] = [];
    const durable = { listInstances: async () => [...sessions.values()] } as unknown as DurableControl;
    const observer = createQueueObserver({
      observations: createQueueObservations(client),
      conversations,
      queueName: sim.queue.name,
      publisher: () => ({ publish: async (e: SessionEvent) => (published.push(e), 'accepted' as const) }),
      logger: silentLogger(),
      now: () => new Date(clock.now()),
    });
    const setSession = (room: string, view: { phase: string; conversationId: string | null }) =>
      sessions.set(room, { instanceId: room, name: 'callSession', runtimeStatus: 'Running', input: {}, output: null, customStatus: { citizenParticipants: [], sipParticipantId: null, ...view }, createdTime: '', lastUpdatedTime: '' });
    const call = async (room: string) => {
      await sim.sipDestination.invite({ ...invite(room, sim.sipUri), callId: `call-${room}` }, recordingCaller());
      clock.advance(0); // the inbound flow hands the call to the queue
      return (sim.control.state().conversations as { id: string; aniName: string }[]).find((c) => c.aniName === room)!.id;
    };
    return { clock, calls, published, observer, durable, setSession, call, cycle: () => observer.cycle(durable) };
  }

  it('finds a queued call with no Genesys event by its caller, shows its position, then sees the answer', async () => {
    const t = await setUp();
    const first = await t.call('mclocal-a');
    t.clock.advance(1000);
    const second = await t.call('mclocal-b');
    t.setSession('mclocal-a', { phase: 'queued', conversationId: null });
    t.setSession('mclocal-b', { phase: 'queued', conversationId: second });
    await t.cycle();
    expect(t.published).toEqual([expect.objectContaining({ type: 'queued', roomName: 'mclocal-a', conversationId: first, eventId: `genesys:${first}:queued:${sim.queue.id}` })]);
    expect(t.observer.liveStatus('mclocal-a')).toMatchObject({ position: 1 });
    expect(t.observer.liveStatus('mclocal-b')).toMatchObject({ position: 2 });
    expect(t.observer.liveStatus('mclocal-b')?.estimatedWaitSeconds).toEqual(expect.any(Number));

    // the session took the conversation id; an agent answers the first call, its events lost
    t.setSession('mclocal-a', { phase: 'queued', conversationId: first });
    const agent = (sim.control.state().agents as { id: string }[])[0]!.id;
    sim.control.setAgentAvailable(agent, true);
    t.clock.advance(0);
    await t.cycle();
    expect(t.published.slice(1)).toEqual([expect.objectContaining({ type: 'agent_connected', roomName: 'mclocal-a', agentUserId: agent, eventId: `genesys:${first}:agent_connected:${agent}` })]);
    // the second caller moved up; nothing is raised while nothing else changes
    expect(t.observer.liveStatus('mclocal-b')).toMatchObject({ position: 1 });
    t.setSession('mclocal-a', { phase: 'in_call', conversationId: first });
    await t.cycle();
    await t.cycle();
    expect(t.published).toHaveLength(2);
  });

  it('raises customer_ended for a caller who hung up in the queue unheard', async () => {
    const t = await setUp();
    const id = await t.call('mclocal-a');
    t.setSession('mclocal-a', { phase: 'queued', conversationId: id });
    await t.cycle();
    expect(t.published).toEqual([]);
    sim.control.customerHangUp(id);
    t.clock.advance(0);
    await t.cycle();
    expect(t.published).toEqual([expect.objectContaining({ type: 'customer_ended', eventId: `genesys:${id}:customer_ended` })]);
  });

  it('makes the same few Genesys calls per cycle for 1 and for 500 queued sessions', async () => {
    const t = await setUp();
    let made = 0;
    const perMinute = async (sessions: number) => {
      for (; made < sessions; made += 1) {
        const i = made;
        const room = `mclocal-q${i}`;
        t.setSession(room, { phase: 'queued', conversationId: await t.call(room) });
      }
      await t.cycle(); // the queue id is resolved once per process, not per cycle
      t.calls.length = 0;
      const cyclesPerMinute = 6; // the default schedule: every 10 s
      for (let i = 0; i < cyclesPerMinute; i += 1) await t.cycle();
      return t.calls.length;
    };
    const one = await perMinute(1);
    const many = await perMinute(500);
    const pollingToday = 6 * 500; // ~6 calls per queued caller per minute (issue 12)
    if (process.env.OBSERVER_REPORT) console.log(JSON.stringify({ callsPerMinuteAt1: one, callsPerMinuteAt500: many, pollingAt500: pollingToday, ratio: many / pollingToday }));
    expect(one).toBe(12);
    expect(many).toBeLessThanOrEqual(0.05 * pollingToday);
    expect(t.published).toEqual([]);
  }, 60_000);
});
