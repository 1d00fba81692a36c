import { join } from 'node:path';
import { startGenesysSimulator, type EventBridgeEnvelope, type GenesysSimulator } from '../../local/genesys-simulator';
import { startTestHost, type TestHost } from '../support/localHost';
import { invite, recordingCaller, until } from './support';

const API_KEY = 'ingestion-test-key-abcdefghijklmnop';
const QUEUE = 'genesys-events';
const WEBHOOKS = '/runtime/webhooks/durabletask';

function envelope(conversationId: string, kind: string, body: Record<string, unknown> = {}): EventBridgeEnvelope {
  return {
    version: '0',
    id: `${conversationId}-${kind}-${String(body.eventTime ?? 1)}`,
    'detail-type': `v2.detail.events.conversation.{id}.${kind}`,
    source: 'aws.partner/genesys.com/cloud/org/maxconf',
    account: '000000000000',
    time: '2026-01-05T18:00:00Z',
    region: 'ca-central-1',
    resources: [],
    detail: {
      topicName: `v2.detail.events.conversation.${conversationId}.${kind}`,
      version: '2',
      eventBody: { eventTime: 1_767_636_000_000, conversationId, ...body },
      metadata: { CorrelationId: 'c' },
    },
  };
}

describe('Genesys event ingestion: bad input never crashes or blocks', () => {
  let host: TestHost;
  let genesys: GenesysSimulator;

  beforeAll(async () => {
    genesys = await startGenesysSimulator({ answerDelayMs: 10, agents: 1 });
    host = await startTestHost(
      { ...genesys.env(), GENESYS_EVENTS_API_KEY: API_KEY, GENESYS_EVENTS_QUEUE: QUEUE },
      { entry: join(__dirname, 'fixtures', 'mainWithProbe'), maxDeliveryCount: 3 },
    );
  });
  afterAll(async () => {
    await host?.stop();
    await genesys?.stop();
  });

  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${host.url}/genesys/events`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': API_KEY, ...headers }, body });

  async function probe(room: string) {
    const res = await fetch(`${host.url}${WEBHOOKS}/instances/${room}`);
    return (await res.json()) as { runtimeStatus: string; customStatus: { type: string; reason?: string }[] | null };
  }
  async function startProbe(room: string) {
    await fetch(`${host.url}${WEBHOOKS}/orchestrators/genesysProbeSession/${room}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    await host.idle();
  }

  it('refuses a missing or wrong API key with 401', async () => {
    const body = JSON.stringify(envelope('c-1', 'customer.start', { ani: 'sip:r@x' }));
    const wrong = await post(body, { 'x-api-key': 'not-the-key' });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('content-type')).toMatch(/problem\+json/);
    const missing = await fetch(`${host.url}/genesys/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(missing.status).toBe(401);
  });

  it('refuses malformed envelopes with a 400 that names the field, and accepts none of a bad batch', async () => {
    const notJson = await post('{not json');
    expect(notJson.status).toBe(400);
    const noTopic = envelope('c-2', 'acd.start', { queueId: 'q' }) as unknown as { detail: Record<string, unknown> };
    delete noTopic.detail.topicName;
    const r1 = await post(JSON.stringify(noTopic));
    expect(r1.status).toBe(400);
    expect(((await r1.json()) as { detail: string }).detail).toMatch(/detail\.topicName/);
    const noQueue = envelope('c-3', 'acd.start');
    const r2 = await post(JSON.stringify([envelope('c-3', 'customer.start'), noQueue]));
    expect(r2.status).toBe(400);
    expect(((await r2.json()) as { detail: string }).detail).toMatch(/^\[1\]detail\.eventBody\.queueId/);
    const mismatch = envelope('c-4', 'customer.end');
    mismatch.detail.eventBody.conversationId = 'c-5';
    expect((await post(JSON.stringify(mismatch))).status).toBe(400);
    expect((await post('[]')).status).toBe(400);
    expect((await post('"x"', { 'content-type': 'text/plain' })).status).toBe(415);
  });

  it('acknowledges events of unknown conversations on both paths, without dead-letters', async () => {
    const unknown = [
      envelope('c-unknown', 'customer.start', { ani: 'tel:+16045550100' }),
      envelope('c-unknown', 'attributes', { attributes: { other: 'x' } }),
      envelope('c-someone-else', 'acd.start', { ani: 'sip:not-a-session@elsewhere', queueId: 'q' }),
    ];
    expect((await post(JSON.stringify(unknown))).status).toBe(202);
    for (const e of unknown) await host.enqueue(QUEUE, e);
    await host.idle();
    expect(host.deadLetters(QUEUE)).toEqual([]);
    // no index entry is left behind for conversations that are not MaxConf sessions
    for (const id of ['c-unknown', 'c-someone-else']) {
      expect((await fetch(`${host.url}${WEBHOOKS}/entities/conversationIndex/${id}`)).status).toBe(404);
    }
  });

  it('dead-letters a poison queue message with its reason after bounded retries, and keeps consuming', async () => {
    await host.enqueue(QUEUE, { hello: 'not an envelope' });
    await host.enqueue(QUEUE, 'not json at all {');
    await startProbe('mclocal-after-poison');
    await host.enqueue(QUEUE, envelope('c-after', 'acd.start', { ani: 'sip:mclocal-after-poison@node', queueId: 'q-1' }));
    for (let i = 0; i < 10 && host.deadLetters(QUEUE).length < 2; i++) await host.advance(60_000);
    const dead = host.deadLetters(QUEUE);
    expect(dead).toHaveLength(2);
    expect(dead[0]!.reason).toMatch(/InvalidEnvelope/);
    expect(dead[1]!.reason).toMatch(/InvalidJson|InvalidEnvelope/);
    await until(async () => ((await probe('mclocal-after-poison')).customStatus ?? []).some((e) => e.type === 'queued'), 5000, 'the good message');
  });

  it('raises released_by_flow with the flow branch when the inbound flow releases the call before the queue', async () => {
    genesys.setEventSink((e) => host.enqueue(QUEUE, e));
    const restore = () => genesys.control.setFlow({ holiday: false, open: true });
    const agent = (genesys.control.state().agents as { id: string }[])[0]!;
    try {
      for (const [room, flow, reason] of [
        ['mclocal-holiday', { holiday: true }, 'holiday'],
        ['mclocal-closed', { holiday: false, open: false }, 'after_hours'],
        ['mclocal-noagents', { holiday: false, open: true }, 'no_agents'],
      ] as const) {
        if (reason === 'no_agents') genesys.control.setAgentLoggedOn(agent.id, false);
        genesys.control.setFlow(flow);
        await startProbe(room);
        const caller = recordingCaller();
        await genesys.sipDestination.invite(invite(room, genesys.sipUri), caller);
        await until(async () => {
          await genesys.control.eventsDelivered();
          await host.idle();
          const seen = ((await probe(room)).customStatus ?? []).map((e) => e.type);
          return seen.includes('released_by_flow') && seen.includes('customer_ended');
        }, 5000, `release of ${room}`);
        const events = (await probe(room)).customStatus!;
        expect(events.find((e) => e.type === 'released_by_flow')).toMatchObject({ reason });
        expect(events.some((e) => e.type === 'queued')).toBe(false);
        expect(caller.byes).toEqual([`released by flow: ${reason}`]);
      }
    } finally {
      restore();
      genesys.control.setAgentAvailable(agent.id, true);
    }
  });

  it('raises abandoned when the caller leaves the queue', async () => {
    genesys.setEventSink((e) => host.enqueue(QUEUE, e));
    const agent = (genesys.control.state().agents as { id: string }[])[0]!;
    genesys.control.setAgentAvailable(agent.id, false);
    await startProbe('mclocal-abandon');
    const outcome = await genesys.sipDestination.invite(invite('mclocal-abandon', genesys.sipUri), recordingCaller());
    expect(outcome.answered).toBe(true);
    await until(async () => {
      await genesys.control.eventsDelivered();
      await host.idle();
      return ((await probe('mclocal-abandon')).customStatus ?? []).some((e) => e.type === 'queued');
    }, 5000, 'queued');
    expect(genesys.control.abandon('mclocal-abandon')).toBe(true);
    await until(async () => {
      await genesys.control.eventsDelivered();
      await host.idle();
      return ((await probe('mclocal-abandon')).customStatus ?? []).some((e) => e.type === 'customer_ended');
    }, 5000, 'abandon');
    expect((await probe('mclocal-abandon')).customStatus!.map((e) => e.type).sort()).toEqual(['abandoned', 'customer_ended', 'queued']);
    genesys.control.setAgentAvailable(agent.id, true);
  });
});
