import { conversationIndexEntity } from '../../entities/conversationIndex';
import { durableSessionEventPublisher } from '../../src/adapters/durable/sessionEventPublisher';
import { ingestMessage, LinkedConversations } from '../../src/adapters/genesys/ingest';
import { FakeDurable } from '../pexip/fakeDurable';
import { silentLogger } from '../pexip/helpers';

function envelope(conversationId: string, kind: string, eventTime: number, body: Record<string, unknown>) {
  return {
    version: '0',
    id: `${conversationId}-${kind}-${eventTime}`,
    'detail-type': `v2.detail.events.conversation.{id}.${kind}`,
    source: 'aws.partner/genesys.com/cloud/org/maxconf',
    account: '000000000000',
    time: '2026-01-05T18:00:00Z',
    region: 'ca-central-1',
    resources: [],
    detail: { topicName: `v2.detail.events.conversation.${conversationId}.${kind}`, version: '2', eventBody: { eventTime, conversationId, ...body }, metadata: {} },
  };
}

describe('Genesys ingestion cost', () => {
  function setup() {
    const durable = new FakeDurable({ orchestrations: {}, activities: {}, entities: { conversationIndex: conversationIndexEntity as never } });
    const calls: string[] = [];
    for (const method of ['raiseEvent', 'getStatus', 'readEntityState', 'signalEntity'] as const) {
      const real = durable[method].bind(durable) as (...args: unknown[]) => Promise<unknown>;
      (durable as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
        calls.push(method);
        return real(...args);
      };
    }
    const live = 'mc-live01';
    durable.instances.set(live, { instanceId: live, name: 'callSession', runtimeStatus: 'Running', input: null, output: null, customStatus: null, createdTime: '', lastUpdatedTime: '' });
    const deps = { durable, publisher: durableSessionEventPublisher(durable), logger: silentLogger, linked: new LinkedConversations() };
    return { durable, calls, deps, ani: `sip:${live}@pexip.example` };
  }

  it('an event naming its room in ani is one raise (plus one link per conversation), with no index or status read', async () => {
    const { durable, calls, deps, ani } = setup();
    await ingestMessage(envelope('c-1', 'acd.start', 1, { ani, queueId: 'q-1' }), deps);
    expect(calls).toEqual(['raiseEvent', 'signalEntity']);
    calls.length = 0;
    const results = await ingestMessage(envelope('c-1', 'acd.end', 2, { ani, queueId: 'q-1', acdOutcome: 'ANSWERED', answeredUserId: 'agent-1' }), deps);
    expect(results[0]).toMatchObject({ status: 'accepted', eventType: 'agent_connected' });
    expect(calls).toEqual(['raiseEvent']);
    expect(durable.raised.map((r) => (r.data as { type: string }).type)).toEqual(['queued', 'agent_connected']);
    // the index still names the room, for events that carry no ani
    expect(durable.entityStates.get('conversationIndex@c-1')).toMatchObject({ roomName: 'mc-live01' });
  });

  it('a room without a session leaves no index entry behind', async () => {
    const { durable, deps } = setup();
    const results = await ingestMessage(envelope('c-2', 'acd.start', 1, { ani: 'sip:mc-nobody1@pexip.example', queueId: 'q-1' }), deps);
    expect(results[0]).toMatchObject({ status: 'unknown_session' });
    expect(durable.entityStates.size).toBe(0);
  });
});
