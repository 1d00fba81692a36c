import { join } from 'node:path';
import { startGenesysSimulator, type EventBridgeEnvelope, type GenesysSimulator } from '../../local/genesys-simulator';
import { startPexipSimulator, type PexipSimulator } from '../../local/pexip-simulator';
import { startTestHost, type TestHost } from '../support/localHost';
import { until } from './support';

const API_KEY = 'test-genesys-events-key-0123456789';
const QUEUE = 'genesys-events';
const WEBHOOKS = '/runtime/webhooks/durabletask';

interface ProbeEvent {
  type: string;
  eventId: string;
  at: string;
  agentUserId?: string;
  conversationId: string;
  disconnectType?: string;
}
interface Probe {
  runtimeStatus: string;
  customStatus: ProbeEvent[] | null;
}

/**
 * The facts a session saw: events with one eventId are one fact. Ingestion drops most repeats
 * before they are raised; one that slips through a race (two topics reporting the same fact at
 * once) carries the same eventId, which the session's domain machine drops.
 */
function facts(events: ProbeEvent[]): ProbeEvent[] {
  const seen = new Set<string>();
  return events.filter((e) => !seen.has(e.eventId) && seen.add(e.eventId));
}

describe('a SIP call from the Pexip simulator becomes a Genesys conversation whose events reach the session', () => {
  let genesys: GenesysSimulator;
  let pexip: PexipSimulator;
  let host: TestHost;

  beforeAll(async () => {
    genesys = await startGenesysSimulator({ answerDelayMs: 20, agents: 1 });
    pexip = await startPexipSimulator({ propagationDelayMs: 0, sipDestination: genesys.sipDestination });
    host = await startTestHost(
      { ...genesys.env(), GENESYS_EVENTS_API_KEY: API_KEY, GENESYS_EVENTS_QUEUE: QUEUE },
      { entry: join(__dirname, 'fixtures', 'mainWithProbe') },
    );
  });
  afterAll(async () => {
    await host?.stop();
    await pexip?.stop();
    await genesys?.stop();
  });

  const pexipAuth = () => `Basic ${Buffer.from(`${pexip.username}:${pexip.password}`).toString('base64')}`;

  async function startProbe(room: string) {
    const res = await fetch(`${host.url}${WEBHOOKS}/orchestrators/genesysProbeSession/${room}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBeLessThan(300);
    await host.idle();
  }

  async function probe(room: string): Promise<Probe> {
    const res = await fetch(`${host.url}${WEBHOOKS}/instances/${room}`);
    return (await res.json()) as Probe;
  }

  async function indexOf(conversationId: string): Promise<{ roomName: string | null } | undefined> {
    const res = await fetch(`${host.url}${WEBHOOKS}/entities/conversationIndex/${conversationId}`);
    return res.status === 200 ? ((await res.json()) as { roomName: string | null }) : undefined;
  }

  /** Creates the VMR on the Pexip simulator and has its node dial the Genesys queue, as MaxConf's dial activity does. */
  async function dialFromPexip(room: string) {
    const created = await fetch(`${pexip.url}/api/admin/configuration/v1/conference/`, {
      method: 'POST',
      headers: { authorization: pexipAuth(), 'content-type': 'application/json' },
      body: JSON.stringify({ name: room, service_type: 'conference', aliases: [{ alias: room }], allow_guests: true, pin: '123456', guest_pin: '1234' }),
    });
    expect(created.status).toBe(201);
    const dial = await fetch(`${pexip.url}/api/admin/command/v1/participant/dial/`, {
      method: 'POST',
      headers: { authorization: pexipAuth(), 'content-type': 'application/json' },
      body: JSON.stringify({
        conference_alias: room,
        destination: genesys.sipUri,
        protocol: 'sip',
        role: 'chair',
        system_location: 'local',
        local_display_name: room,
        custom_sip_headers: 'User-to-User: 6964264d54497a4e4455324c4463324e54517a4d67;encoding=hex',
      }),
    });
    expect(dial.status).toBe(202);
  }

  async function runCall(room: string) {
    await startProbe(room);
    await dialFromPexip(room);
    let conversationId = '';
    await until(async () => {
      await host.idle();
      const p = await probe(room);
      conversationId = p.customStatus?.find((e) => e.type === 'agent_connected')?.conversationId ?? '';
      return conversationId !== '';
    }, 10_000, 'agent_connected on the session');
    const conversation = genesys.control.conversation(conversationId) as { participants: { purpose: string; aniName?: string }[] };
    expect(conversation.participants.map((p) => p.purpose)).toEqual(['customer', 'ivr', 'acd', 'agent']);
    expect(conversation.participants[0]!.aniName).toBe(room);
    expect(genesys.control.agentHangUp(conversationId)).toBe(true);
    await until(async () => {
      await host.idle();
      return ((await probe(room)).customStatus ?? []).some((e) => e.type === 'customer_ended');
    }, 10_000, 'customer_ended on the session');
    const events = facts((await probe(room)).customStatus!);
    const agentId = (genesys.control.state().agents as { id: string }[])[0]!.id;
    // the queue path delivers at least once and in any order; the Genesys event time orders them
    expect(events.map((e) => e.type).sort()).toEqual(['agent_connected', 'agent_left', 'customer_ended', 'queued']);
    const of = (type: string) => events.find((e) => e.type === type)!;
    expect(Date.parse(of('queued').at)).toBeLessThan(Date.parse(of('agent_connected').at));
    expect(Date.parse(of('agent_connected').at)).toBeLessThanOrEqual(Date.parse(of('agent_left').at));
    expect(of('agent_connected')).toMatchObject({ agentUserId: agentId, conversationId });
    expect(of('agent_left')).toMatchObject({ agentUserId: agentId, disconnectType: 'client' });
    expect(of('customer_ended')).toMatchObject({ disconnectType: 'peer' });
    await expect(indexOf(conversationId)).resolves.toMatchObject({ roomName: room });
    return conversationId;
  }

  it('through the Service Bus queue path', async () => {
    genesys.setEventSink((envelope) => host.enqueue(QUEUE, envelope));
    await runCall('mclocal-e2e-queue');
    expect(host.deadLetters(QUEUE)).toEqual([]);
  });

  it('through POST /genesys/events, in the EventBridge envelope', async () => {
    const posted: EventBridgeEnvelope[] = [];
    genesys.setEventSink(async (envelope) => {
      posted.push(envelope);
      const res = await fetch(`${host.url}/genesys/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': API_KEY },
        body: JSON.stringify(envelope),
      });
      if (res.status !== 202) throw new Error(`POST /genesys/events answered ${res.status}`);
    });
    await runCall('mclocal-e2e-http');
    expect(posted[0]).toMatchObject({ version: '0', source: expect.stringMatching(/^aws\.partner\/genesys\.com\/cloud\//), detail: { topicName: expect.stringMatching(/\.customer\.start$/) } });
    expect(posted.some((e) => e.detail.topicName.endsWith('.acd.end') && e.detail.eventBody.acdOutcome === 'ANSWERED')).toBe(true);
  });

  it('duplicated and reordered deliveries still give the session each fact once', async () => {
    genesys.setEventSink((envelope) => host.enqueue(QUEUE, envelope));
    genesys.control.setFaults({ events: { duplicateRate: 0.5, reorderRate: 0.2 } });
    await startProbe('mclocal-e2e-faults');
    await dialFromPexip('mclocal-e2e-faults');
    await until(async () => {
      await host.idle();
      genesys.control.flushHeldEvents();
      return ((await probe('mclocal-e2e-faults')).customStatus ?? []).some((e) => e.type === 'agent_connected');
    }, 10_000, 'agent_connected');
    genesys.control.customerHangUp('mclocal-e2e-faults');
    await until(async () => {
      genesys.control.flushHeldEvents();
      await genesys.control.eventsDelivered();
      await host.idle();
      const seen = ((await probe('mclocal-e2e-faults')).customStatus ?? []).map((e) => e.type);
      return seen.includes('customer_ended') && seen.includes('agent_left');
    }, 10_000, 'the end of the call');
    genesys.control.setFaults({});
    const raised = (await probe('mclocal-e2e-faults')).customStatus!;
    const types = facts(raised).map((e) => e.type);
    // each fact once (by eventId), whatever the duplicates and the order they came in
    expect(new Set(types).size).toBe(types.length);
    expect(types).toEqual(expect.arrayContaining(['queued', 'agent_connected', 'customer_ended']));
    // most repeats never reach the session: ingestion drops them by topic, session id and time
    const sent = genesys.control.events().length;
    expect(raised.length).toBeLessThan(sent);
  });
});
