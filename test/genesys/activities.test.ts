import {
  genesysDisconnectActivity,
  genesysFindConversationActivity,
  genesysQueueStatusActivity,
} from '../../activities/genesys';
import { createServiceClient } from '../../src/adapters/genesys/client';
import { createGenesysConversations } from '../../src/adapters/genesys/conversations';
import { startGenesysSimulator, manualClock, type GenesysSimulator, type ManualClock } from '../../local/genesys-simulator';
import { invite, recordingCaller, silentLogger } from './support';

describe('Genesys activities against the simulator', () => {
  let sim: GenesysSimulator;
  let clock: ManualClock;
  let deps: Parameters<typeof genesysQueueStatusActivity>[0];

  beforeEach(async () => {
    clock = manualClock(Date.now());
    sim = await startGenesysSimulator({ clock, agentsBusy: true });
    const client = createServiceClient({ region: 'cac1.pure.cloud', apiBaseUrl: sim.url, credentials: sim.clients[0]!, logger: silentLogger(), sleep: async () => {}, now: () => clock.now() });
    const conversations = createGenesysConversations({ client, logger: silentLogger(), now: () => new Date(clock.now()), queueName: sim.queue.name });
    deps = { conversations: () => conversations, logger: silentLogger() };
  });
  afterEach(() => sim.stop());

  async function call(room: string) {
    const caller = recordingCaller();
    await sim.sipDestination.invite(invite(room, sim.sipUri), caller);
    clock.advance(1000);
    const found = await genesysFindConversationActivity(deps)({ roomName: room });
    if (!found.found) throw new Error('not found');
    return { caller, conversationId: found.conversationId };
  }

  it('genesysQueueStatus: wait and position while queued; who answered once answered; unavailable on outage', async () => {
    const first = await call('mclocal-first');
    const { conversationId } = await call('mclocal-second');
    const status = genesysQueueStatusActivity(deps);
    await expect(status({ conversationId })).resolves.toMatchObject({ waiting: true, position: 2, estimatedWaitSeconds: expect.any(Number) });
    expect(sim.control.answer(conversationId)).toBe(true);
    const agentId = (sim.control.conversation(conversationId)!.participants as { purpose: string; userId?: string }[]).find((p) => p.purpose === 'agent')!.userId;
    await expect(status({ conversationId })).resolves.toEqual({ waiting: false, answeredBy: agentId });
    // the caller who gave up while waiting: the poll reports the call over
    expect(sim.control.customerHangUp(first.conversationId)).toBe(true);
    await expect(status({ conversationId: first.conversationId })).resolves.toEqual({ waiting: false, customerEnded: true });
    sim.control.setFaults({ errorRate: { conversations: 1 } });
    await expect(status({ conversationId })).resolves.toEqual({ unavailable: true });
    await expect(status({})).rejects.toThrow(/invalid input/);
    await expect(genesysQueueStatusActivity({ conversations: () => undefined, logger: silentLogger() })({ conversationId })).resolves.toEqual({ unavailable: true });
  });

  it('genesysDisconnect: hangs up the caller once, then reports it already ended; throws on outage so retries apply', async () => {
    const { caller, conversationId } = await call('mclocal-bye');
    const disconnect = genesysDisconnectActivity(deps);
    await expect(disconnect({ conversationId })).resolves.toEqual({ outcome: 'disconnected' });
    await expect(disconnect({ conversationId })).resolves.toEqual({ outcome: 'already_ended' });
    expect(caller.byes).toHaveLength(1);
    sim.control.setFaults({ errorRate: { conversations: 1 } });
    await expect(disconnect({ conversationId })).rejects.toMatchObject({ status: 503 });
    await expect(genesysDisconnectActivity({ conversations: () => undefined, logger: silentLogger() })({ conversationId })).resolves.toEqual({ outcome: 'not_configured' });
  });
});
