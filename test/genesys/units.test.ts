import fc from 'fast-check';
import { applyIndexOperation, emptyIndexState, SEEN_LIMIT } from '../../entities/conversationIndex';
import { roomFromAni } from '../../src/adapters/genesys/conversations';
import { parseEnvelope, envelopesOf } from '../../src/adapters/genesys/events';
import { dedupeKey, toSessionEvent } from '../../src/adapters/genesys/ingest';
import { inlineEnvelopeQueue, serviceBusEnvelopeQueue } from '../../src/adapters/servicebus/envelopeQueue';
import { isPoisonMessageError, PoisonMessageError } from '../../src/adapters/servicebus/poison';
import { sameSecret } from '../../src/http/genesysEvents';
import { SessionEvent } from '../../src/contracts/sessionEvents';
import { silentLogger } from './support';

const env = (kind: string, body: Record<string, unknown>) => ({
  version: '0',
  id: 'e-1',
  'detail-type': `v2.detail.events.conversation.{id}.${kind}`,
  source: 'aws.partner/genesys.com/cloud/o/maxconf',
  time: '2026-01-05T18:00:00Z',
  detail: { topicName: `v2.detail.events.conversation.c-1.${kind}`, eventBody: { eventTime: 1_767_636_000_000, conversationId: 'c-1', ...body } },
});

describe('EventBridge envelopes', () => {
  it('parses the detail events MaxConf uses and keeps unknown fields', () => {
    const p = parseEnvelope({ ...env('acd.end', { queueId: 'q', acdOutcome: 'ANSWERED', answeredUserId: 'u', newField: 1 }), extra: true });
    expect(p.ok && p.value.event).toMatchObject({ kind: 'acd.end', body: { acdOutcome: 'ANSWERED', newField: 1 } });
    const other = parseEnvelope(env('acw', { sessionId: 's' }));
    expect(other.ok && other.value.event.kind).toBe('other');
  });

  it('names the bad field and never echoes values', () => {
    const p = parseEnvelope(env('user.start', { userId: 42, ani: 'sip:secret-room@x' }));
    expect(p).toEqual({ ok: false, error: 'detail.eventBody.userId: Invalid input: expected string, received number' });
    expect(parseEnvelope(null).ok).toBe(false);
    expect(parseEnvelope({ ...env('customer.start', {}), detail: { topicName: 'v2.users.x.presence', eventBody: {} } }).ok).toBe(false);
  });

  it('reads a message body as text, buffer, object or array', () => {
    expect(envelopesOf('{"a":1}')).toEqual([{ a: 1 }]);
    expect(envelopesOf(Buffer.from('[1,2]'))).toEqual([1, 2]);
    expect(() => envelopesOf('{')).toThrow();
  });

  it('maps detail events to valid session events with lower-case enums', () => {
    const cases: [string, Record<string, unknown>, string | undefined][] = [
      ['acd.start', { queueId: 'q' }, 'queued'],
      ['acd.end', { queueId: 'q', acdOutcome: 'ANSWERED', answeredUserId: 'u' }, 'agent_connected'],
      ['acd.end', { queueId: 'q', acdOutcome: 'ABANDON', disconnectType: 'PEER' }, 'abandoned'],
      ['acd.end', { queueId: 'q', acdOutcome: 'FLOW_OUT' }, undefined],
      ['user.start', { userId: 'u' }, 'agent_connected'],
      ['user.end', { userId: 'u', disconnectType: 'CLIENT' }, 'agent_left'],
      ['customer.end', { disconnectType: 'ENDPOINT' }, 'customer_ended'],
      ['flow.end', { exitReason: 'DISCONNECT' }, 'released_by_flow'],
      ['flow.end', { exitReason: 'TRANSFER', transferType: 'ACD' }, undefined],
      ['customer.start', {}, undefined],
    ];
    for (const [kind, body, type] of cases) {
      const p = parseEnvelope(env(kind, body));
      if (!p.ok) throw new Error(p.error);
      const ev = toSessionEvent(p.value.event, 'mc-room', 'holiday');
      expect(ev?.type).toBe(type);
      if (ev) expect(SessionEvent.safeParse(ev).success).toBe(true);
      if (ev && 'disconnectType' in ev) expect(ev.disconnectType).toBe(String(body.disconnectType).toLowerCase());
    }
    const a = parseEnvelope(env('acd.end', { queueId: 'q', acdOutcome: 'ANSWERED', answeredUserId: 'u' }));
    const b = parseEnvelope(env('user.start', { userId: 'u' }));
    if (!a.ok || !b.ok) throw new Error('parse');
    // one fact, two topics: one eventId
    expect(toSessionEvent(a.value.event, 'r', null)!.eventId).toBe(toSessionEvent(b.value.event, 'r', null)!.eventId);
    expect(dedupeKey(a.value)).not.toBe(dedupeKey(b.value));
  });

  it('reads the room from the caller address', () => {
    expect(roomFromAni('sip:mc-abc@conf.example;tag=1')).toBe('mc-abc');
    expect(roomFromAni('sips:mc-abc@conf.example')).toBe('mc-abc');
    expect(roomFromAni('tel:+16045550100')).toBeUndefined();
  });
});

describe('conversationIndex state', () => {
  it('links once, dedupes keys, stays bounded and ignores malformed input', () => {
    let s = applyIndexOperation(emptyIndexState(), 'link', { roomName: 'r1', at: 'now' });
    s = applyIndexOperation(s, 'link', { roomName: 'r2', at: 'later' });
    expect(s.roomName).toBe('r1');
    s = applyIndexOperation(s, 'link', { roomName: 42 });
    s = applyIndexOperation(s, 'nonsense', {});
    fc.assert(
      fc.property(fc.array(fc.string({ minLength: 1, maxLength: 10 }), { maxLength: 400 }), (keys) => {
        let t = s;
        for (const key of keys) t = applyIndexOperation(t, 'markSeen', { key });
        expect(t.seen.length).toBeLessThanOrEqual(SEEN_LIMIT);
        expect(new Set(t.seen).size).toBe(t.seen.length);
        const last = keys[keys.length - 1];
        if (last) expect(t.seen).toContain(last);
      }),
    );
  });
});

describe('small pieces', () => {
  it('compares secrets of any length', () => {
    expect(sameSecret('abc', 'abc')).toBe(true);
    expect(sameSecret('abc', 'abcd')).toBe(false);
    expect(sameSecret('', 'abc')).toBe(false);
  });

  it('inline queue: retries transient failures, sets poison aside, fails when retries run out', async () => {
    let calls = 0;
    const q = inlineEnvelopeQueue(
      async (body) => {
        calls++;
        if (body === 'poison') throw new PoisonMessageError('InvalidEnvelope', 'bad');
        if (body === 'flaky' && calls < 3) throw new Error('transient');
        if (body === 'down') throw new Error('down');
      },
      isPoisonMessageError,
      { logger: silentLogger(), sleep: async () => {} },
    );
    await q.send([{ messageId: '1', body: 'flaky' }, { messageId: '2', body: 'poison' }]);
    expect(calls).toBe(4);
    await expect(q.send([{ messageId: '3', body: 'down' }])).rejects.toThrow('down');
  });

  it('Service Bus queue: one identity-based client, batches split when full, message ids kept', async () => {
    const sent: { messageId: string }[][] = [];
    const created: string[] = [];
    const batchOf = (capacity: number) => {
      const items: { messageId: string }[] = [];
      return {
        items,
        get count() {
          return items.length;
        },
        tryAddMessage: (m: { messageId: string }) => items.length < capacity && items.push(m) > 0,
      };
    };
    const sender = {
      createMessageBatch: async () => batchOf(2),
      sendMessages: async (batch: { items: { messageId: string }[] }) => void sent.push(batch.items.map((m) => ({ messageId: m.messageId }))),
      close: async () => {},
    };
    const credential = { getToken: async () => ({ token: 't', expiresOnTimestamp: Date.now() + 60_000 }) };
    const queue = serviceBusEnvelopeQueue({
      fullyQualifiedNamespace: 'ns.servicebus.windows.net',
      queueName: 'genesys-events',
      credential,
      logger: silentLogger(),
      createClient: (ns, cred) => {
        expect(cred).toBe(credential);
        created.push(ns);
        return { createSender: (name: string) => (expect(name).toBe('genesys-events'), sender) as never, close: async () => {} };
      },
    });
    await queue.send([1, 2, 3].map((i) => ({ messageId: `m${i}`, body: { i } })));
    await queue.send([{ messageId: 'm4', body: {} }]);
    await queue.close();
    expect(created).toEqual(['ns.servicebus.windows.net']);
    expect(sent).toEqual([[{ messageId: 'm1' }, { messageId: 'm2' }], [{ messageId: 'm3' }], [{ messageId: 'm4' }]]);
  });
});
