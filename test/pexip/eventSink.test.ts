import { durableSessionEventPublisher } from '../../src/adapters/durable/sessionEventPublisher';
import { SESSION_EVENT_NAME } from '../../src/contracts/sessionEvents';
import { eventSinkHandler } from '../../src/http/eventSink';
import type { ApiRequest, InstanceStatus } from '../../src/http/types';
import { pexipSinkStateEntity } from '../../entities/pexipSinkState';
import { FakeDurable } from './fakeDurable';
import { silentLogger } from './helpers';

const credentials = { username: 'pexip-sink', password: 'sink-secret-1' };
const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;

/** auth null = no Authorization header */
function request(body: unknown, auth: string | null = basic(credentials.username, credentials.password), raw?: string): ApiRequest {
  const text = raw ?? JSON.stringify(body);
  const headers: Record<string, string> = { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) };
  return { method: 'POST', url: 'http://x/public/event_sink', params: {}, query: new URLSearchParams(), header: (n) => headers[n.toLowerCase()], body: text };
}

function setup() {
  const durable = new FakeDurable({ orchestrations: {}, activities: {}, entities: { pexipSinkState: pexipSinkStateEntity as never } });
  const session = (name: string, runtimeStatus: string) =>
    durable.instances.set(name, { instanceId: name, name: 'callSession', runtimeStatus, input: null, output: null, customStatus: null, createdTime: '', lastUpdatedTime: '' } satisfies InstanceStatus);
  const handler = eventSinkHandler({
    credentials,
    roomPrefix: 'mctest-',
    genesysSipUri: 'sip:sbc_vbv_test@byoc.example',
    logger: silentLogger,
    now: () => new Date('2026-01-05T17:00:00Z'),
    publisher: durableSessionEventPublisher,
    maxBytes: 10_000,
  });
  const post = (req: ApiRequest) => handler(req, { invocationId: 'i', durable });
  return { durable, session, post };
}

const joined = (room = 'mctest-live', uuid = 'p-1') => ({
  node: '10.0.0.5',
  seq: 3,
  version: 2,
  time: 1767632400,
  event: 'participant_connected',
  data: { uuid, conference: room, call_direction: 'in', protocol: 'WebRTC', role: 'guest', display_name: 'Citizen Name' },
});

describe('POST /public/event_sink', () => {
  it('raises a citizen join on the room session and answers 200', async () => {
    const { durable, session, post } = setup();
    session('mctest-live', 'Running');
    const response = await post(request(joined()));
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ received: 1, accepted: 1 });
    expect(durable.raised).toEqual([{ instanceId: 'mctest-live', eventName: SESSION_EVENT_NAME, data: expect.objectContaining({ type: 'citizen_joined', participantId: 'p-1' }) }]);
  });

  it('takes a bulk batch; repeats of the same facts are not raised again', async () => {
    const { durable, session, post } = setup();
    session('mctest-live', 'Running');
    const bulk = {
      event: 'eventsink_bulk',
      node: '10.0.0.5',
      seq: 0,
      data: [
        joined(),
        { ...joined(), seq: 1 },
        { ...joined(), event: 'participant_updated' },
        { event: 'conference_started', node: 'a', seq: 4, data: { name: 'mctest-live' } },
        { event: 'conference_started', node: 'b', seq: 1, data: { name: 'mctest-live' } },
        { event: 'eventsink_started', node: 'a', seq: 1, data: {} },
      ],
    };
    expect((await post(request(bulk))).status).toBe(200);
    expect((await post(request(bulk))).status).toBe(200);
    expect(durable.raised.map((r) => (r.data as { type: string }).type)).toEqual(['citizen_joined', 'conference_started']);
  });

  it('answers noise with no durable call, and an accepted event with exactly one raise', async () => {
    const { durable, session, post } = setup();
    session('mctest-live', 'Running');
    const calls: string[] = [];
    for (const method of ['raiseEvent', 'getStatus', 'readEntityState', 'signalEntity'] as const) {
      const real = durable[method].bind(durable) as (...args: unknown[]) => Promise<unknown>;
      (durable as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
        calls.push(method);
        return real(...args);
      };
    }
    expect((await post(request(joined()))).body).toMatchObject({ accepted: 1 });
    expect(calls).toEqual(['raiseEvent']);
    calls.length = 0;
    const noise = [
      { ...joined(), event: 'participant_updated', seq: 4 },
      { event: 'eventsink_started', node: 'a', seq: 5, data: {} },
      { ...joined('mcother-x'), event: 'participant_updated' },
    ];
    for (const body of noise) expect((await post(request(body))).status).toBe(200);
    expect(calls).toEqual([]);
    expect(durable.raised).toHaveLength(1);
  });

  it('a session seen finished costs no further durable call', async () => {
    const { durable, session, post } = setup();
    session('mctest-done', 'Completed');
    let raises = 0;
    const real = durable.raiseEvent.bind(durable);
    durable.raiseEvent = (...args) => {
      raises++;
      return real(...args);
    };
    expect((await post(request(joined('mctest-done', 'p-1')))).body).toMatchObject({ session_finished: 1 });
    expect((await post(request(joined('mctest-done', 'p-2')))).body).toMatchObject({ session_finished: 1 });
    expect(raises).toBe(1);
  });

  it('acknowledges unknown rooms, other deployments, persistent rooms and finished sessions without raising', async () => {
    const { durable, session, post } = setup();
    session('mctest-done', 'Completed');
    for (const room of ['mctest-nobody', 'mcother-x', 'test_manual', 'mctest-done']) {
      const response = await post(request(joined(room)));
      expect(response.status).toBe(200);
    }
    expect(durable.raised).toEqual([]);
    // nothing remembered for rooms that are not live sessions (no entity per stranger)
    expect(durable.entityStates.size).toBe(0);
  });

  it.each([
    ['no credentials', null],
    ['wrong password', basic('pexip-sink', 'nope')],
    ['wrong user', basic('someone', 'sink-secret-1')],
    ['not Basic', 'Bearer abc'],
  ])('401 with %s, nothing changed', async (_label, auth) => {
    const { durable, session, post } = setup();
    session('mctest-live', 'Running');
    const response = await post(request(joined(), auth));
    expect(response.status).toBe(401);
    expect(response.headers?.['content-type']).toBe('application/problem+json');
    expect(response.headers?.['www-authenticate']).toMatch(/^Basic/);
    expect(durable.raised).toEqual([]);
  });

  it('400 naming the field for a malformed used event, and for non-JSON; nothing changed', async () => {
    const { durable, session, post } = setup();
    session('mctest-live', 'Running');
    const bad = await post(request({ event: 'eventsink_bulk', data: [joined(), { event: 'participant_connected', data: { uuid: 'p-2' } }] }));
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ type: 'https://maxconf.ca/problems/invalid-event', field: 'data.1.data.conference' });
    const notJson = await post(request(undefined, null, '{"event": '));
    expect(notJson.status).toBe(401);
    const notJsonAuthed = await post(request(undefined, basic(credentials.username, credentials.password), '{"event": '));
    expect(notJsonAuthed.status).toBe(400);
    expect(notJsonAuthed.body).toMatchObject({ field: 'body' });
    const noEvent = await post(request({ data: {} }));
    expect(noEvent.status).toBe(400);
    expect(noEvent.body).toMatchObject({ field: 'event' });
    expect(durable.raised).toEqual([]);
  });

  it('413 for an oversized post, nothing changed', async () => {
    const { durable, session, post } = setup();
    session('mctest-live', 'Running');
    const response = await post(request({ ...joined(), padding: 'x'.repeat(20_000) }));
    expect(response.status).toBe(413);
    expect(response.body).toMatchObject({ status: 413, title: expect.stringMatching(/too large/) });
    expect(durable.raised).toEqual([]);
  });

  it('503 when the runtime cannot take the events, so Pexip retries', async () => {
    const { durable, session, post } = setup();
    session('mctest-live', 'Running');
    durable.raiseEvent = async () => {
      throw new Error('storage down');
    };
    expect((await post(request(joined()))).status).toBe(503);
  });
});
