import { lookUpRoom } from '../../apps/agent-app/src/maxconf';

const BASE = 'https://api.test.vc.maxconf.ca';

function answering(status: number, body: unknown) {
  const calls: Array<{ url: string; init: any }> = [];
  const fetcher = (async (url: string, init: unknown) => {
    calls.push({ url, init });
    return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/problem+json' } });
  }) as unknown as typeof fetch;
  return { fetcher, calls };
}

describe('the MaxConf public room lookup', () => {
  it('sends the agent token, encodes the name, keeps the answer out of the HTTP cache, and reads alias and host PIN', async () => {
    const { fetcher, calls } = answering(200, { id: 1, name: 'MTIz/LDc', pin: '918273', guest_pin: '1234', aliases: [{ alias: 'MTIz-alias' }] });
    expect(await lookUpRoom(BASE, 'MTIz/LDc', 'agent-token', fetcher)).toEqual({ ok: true, room: { alias: 'MTIz-alias', pin: '918273' } });
    expect(calls[0]!.url).toBe(`${BASE}/public/room/MTIz%2FLDc`);
    expect(calls[0]!.init).toMatchObject({ headers: { 'x-auth-token': 'agent-token' }, cache: 'no-store', credentials: 'omit' });
  });

  it('uses the name when the room has no alias', async () => {
    const { fetcher } = answering(200, { name: 'room-1', pin: '1111' });
    expect(await lookUpRoom(BASE, 'room-1', 't', fetcher)).toEqual({ ok: true, room: { alias: 'room-1', pin: '1111' } });
  });

  it.each([
    [404, { type: 'https://maxconf.ca/problems/room-not-found' }, 'room-not-found'],
    [404, { type: 'https://maxconf.ca/problems/room-torn-down', outcome: 'completed' }, 'room-ended'],
    [403, { type: 'https://maxconf.ca/problems/forbidden' }, 'agent-not-allowed'],
    [401, { type: 'https://maxconf.ca/problems/unauthorized' }, 'agent-token-refused'],
    [503, { type: 'https://maxconf.ca/problems/genesys-unavailable' }, 'maxconf-unavailable'],
    [200, { name: 'room-1' }, 'maxconf-unavailable'],
  ])('HTTP %i %j → %s', async (status, body, kind) => {
    const { fetcher } = answering(status, body);
    expect(await lookUpRoom(BASE, 'room-1', 't', fetcher)).toMatchObject({ ok: false, kind });
  });

  it('no answer at all is "MaxConf did not answer"', async () => {
    const fetcher = (async () => {
      throw new TypeError('Failed to fetch');
    }) as unknown as typeof fetch;
    expect(await lookUpRoom(BASE, 'room-1', 't', fetcher)).toMatchObject({ ok: false, kind: 'maxconf-unavailable' });
  });
});
