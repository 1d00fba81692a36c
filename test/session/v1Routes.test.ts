import { ConstrainedConference } from '../../src/contracts/api';
import { encodeUui } from '../../src/domain/uui';
import { startStack, type Stack } from './stack';

/**
 * The routes v1Contract and outcomes leave out, end to end on the local host with both
 * simulators: v1's room update, list, bulk create and bulk delete; support's session list,
 * lookups and terminate; and create when there is no room to hand out.
 */
// each test starts its own stack (local host, both simulators, Azurite): on a busy 2-core machine that alone can take 20 s
jest.setTimeout(90_000);

describe('v1 room routes and support routes, end to end', () => {
  let stack: Stack;
  afterEach(async () => stack?.stop());

  const tagFor = (id: string) => `https://id.gov.bc.ca/idcheck/protected/video/${id}`;
  const pexipRoom = (name: string) => stack.pexip.rooms().find((r) => r.name === name);
  const pexipNames = () => stack.pexip.rooms().map((r) => r.name).sort();
  const phase = async (room: string) => (await stack.session(room)).phase as string;
  const sessions = (query = '') => stack.api('GET', `/sessions${query ? `?${query}` : ''}`, { token: stack.support });
  const ids = (res: { body: { sessions: { id: string }[] } }) => res.body.sessions.map((s) => s.id);
  const iso = (ms: number) => encodeURIComponent(new Date(ms).toISOString());

  /** like stack.api, keeping the headers a client reads (content type, Retry-After) */
  async function call(method: string, path: string, options: { token?: string; body?: string } = {}) {
    const res = await fetch(`${stack.host.url}${path}`, {
      method,
      headers: {
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(options.body !== undefined ? { body: options.body } : {}),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, body: text ? (JSON.parse(text) as any) : undefined };
  }

  function expectProblem(res: { status: number; headers: Headers; body: any }, status: number, field?: string) {
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status, type: expect.stringMatching(/^https:\/\/maxconf\.ca\/problems\//) });
    if (field) expect(res.body['invalid-params'].map((p: { name: string }) => p.name)).toContain(field);
  }

  /** a room somebody else made on the management node (a kiosk), not one MaxConf owns */
  async function foreignRoom(name: string, tag: string) {
    const res = await fetch(`${stack.pexip.url}/api/admin/configuration/v1/conference/`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${stack.pexip.username}:${stack.pexip.password}`).toString('base64')}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ name, service_type: 'conference', allow_guests: true, pin: '246810', guest_pin: '1357', tag, aliases: [{ alias: name }] }),
    });
    expect(res.status).toBe(201);
  }

  describe('PATCH /room/{room_name}', () => {
    it('sets the tag: 202 with no body, and Pexip and GET /room show the new tag', async () => {
      stack = await startStack();
      const room = await stack.createRoom('vcbefore1');
      const tag = tagFor('vcafter22');
      const res = await call('PATCH', `/room/${room.name}`, { token: stack.idim, body: JSON.stringify({ tag }) });
      expect(res.status).toBe(202);
      expect(res.text).toBe('');
      expect(pexipRoom(room.name)?.tag).toBe(tag);
      const read = await stack.api('GET', `/room/${room.name}`, { token: stack.idim });
      expect(read.body).toMatchObject({ name: room.name, tag, guest_pin: room.guest_pin });
    });

    it('refuses a bad body with a 400 problem naming the field, and leaves the tag alone', async () => {
      stack = await startStack();
      const room = await stack.createRoom();
      const before = pexipRoom(room.name)!.tag;
      const cases: [string, string][] = [
        [JSON.stringify({ tag: 'http://id.gov.bc.ca/idcheck/protected/video/x' }), 'tag'],
        [JSON.stringify({ tag: 'not a url' }), 'tag'],
        [JSON.stringify({ tag: `https://id.gov.bc.ca/${'x'.repeat(250)}` }), 'tag'],
        [JSON.stringify({}), 'tag'],
        [JSON.stringify({ tag: 42 }), 'tag'],
      ];
      for (const [body, field] of cases) {
        const res = await call('PATCH', `/room/${room.name}`, { token: stack.idim, body });
        expectProblem(res, 400, field);
      }
      const extra = await call('PATCH', `/room/${room.name}`, { token: stack.idim, body: JSON.stringify({ tag: tagFor('y'), guest_pin: '9999' }) });
      expectProblem(extra, 400);
      expect(JSON.stringify(extra.body['invalid-params'])).toContain('guest_pin');
      const notJson = await call('PATCH', `/room/${room.name}`, { token: stack.idim, body: '{"tag":' });
      expectProblem(notJson, 400);
      await stack.settle();
      expect(pexipRoom(room.name)).toMatchObject({ tag: before, guest_pin: room.guest_pin });
    });

    it('a room that does not exist → 404 problem naming the room', async () => {
      stack = await startStack();
      const res = await call('PATCH', '/room/maxconf-nosuchroom', { token: stack.idim, body: JSON.stringify({ tag: tagFor('z') }) });
      expectProblem(res, 404);
      expect(res.body.roomName).toBe('maxconf-nosuchroom');
    });

    it('a persistent room MaxConf does not own is refused with a 4xx problem, its tag untouched', async () => {
      stack = await startStack();
      await foreignRoom('vkiosk_lobby', 'https://kiosk.example/lobby');
      const res = await call('PATCH', '/room/vkiosk_lobby', { token: stack.idim, body: JSON.stringify({ tag: tagFor('hijack') }) });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(pexipRoom('vkiosk_lobby')?.tag).toBe('https://kiosk.example/lobby');
    });
  });

  describe('GET /room', () => {
    it('lists every room on the management node as ConstrainedConference (host PIN included); constrained_attributes=false → full objects', async () => {
      stack = await startStack();
      const room = await stack.createRoom();
      await foreignRoom('test_manual', 'https://example.org/manual');
      const res = await stack.api('GET', '/room', { token: stack.idim });
      expect(res.status).toBe(200);
      expect(res.body.map((r: { name: string }) => r.name).sort()).toEqual(pexipNames());
      expect(pexipNames()).toHaveLength(4); // the session's room, two warm pool rooms, the manual test room
      for (const r of res.body) expect(ConstrainedConference.safeParse(r).success).toBe(true);
      const mine = res.body.find((r: { name: string }) => r.name === room.name);
      expect(mine).toMatchObject({ id: room.id, guest_pin: room.guest_pin, pin: expect.stringMatching(/^\d{6}$/) });
      expect(mine).not.toHaveProperty('description');

      const full = await stack.api('GET', '/room?constrained_attributes=false', { token: stack.idim });
      expect(full.status).toBe(200);
      expect(full.body).toHaveLength(4);
      expect(full.body.find((r: { name: string }) => r.name === room.name)).toMatchObject({ id: room.id, description: expect.stringContaining('maxconf') });
    });

    it('a bad constrained_attributes → 400 problem naming it', async () => {
      stack = await startStack();
      expectProblem(await call('GET', '/room?constrained_attributes=maybe', { token: stack.idim }), 400, 'constrained_attributes');
    });
  });

  describe('POST /room/bulk', () => {
    it('?count=3 → 202, and exactly three more warm rooms appear in the background, kept past the next pool check', async () => {
      stack = await startStack();
      await stack.createRoom(); // the session's room, and the pool fills to ROOM_POOL_SIZE=2 behind it
      const before = pexipNames();
      expect(before).toHaveLength(3);
      const res = await stack.api('POST', '/room/bulk?count=3', { token: stack.idim });
      expect(res).toMatchObject({ status: 202, body: { requested: 3, message: expect.any(String) } });
      await stack.until('three more rooms on Pexip', async () => stack.pexip.rooms().length >= 6);
      expect(pexipNames()).toHaveLength(6);
      expect(pexipNames()).toEqual(expect.arrayContaining(before));
      await stack.host.advance(60_000); // the pool keeper looks again
      expect(pexipNames()).toHaveLength(6);
      expect((await sessions()).body.sessions).toHaveLength(1);
    });

    it('a missing or out-of-range count → 400 problem naming count, and no room is made', async () => {
      stack = await startStack();
      await stack.createRoom();
      const before = pexipNames();
      for (const query of ['', '?count=0', '?count=101', '?count=abc', '?count=2.5', '?count=-1']) {
        expectProblem(await call('POST', `/room/bulk${query}`, { token: stack.idim }), 400, 'count');
      }
      await stack.settle();
      expect(pexipNames()).toEqual(before);
    });
  });

  describe('DELETE /room', () => {
    it('deletes the pool’s warm rooms and keeps the rooms of sessions: 200 with the count', async () => {
      stack = await startStack();
      const room = await stack.createRoom();
      expect(pexipNames()).toHaveLength(3);
      const res = await stack.api('DELETE', '/room', { token: stack.idim });
      expect(res).toMatchObject({ status: 200, body: { deleted: 2, message: 'All matching rooms deleted and queue cleared.' } });
      await stack.settle();
      expect(pexipNames()).toEqual([room.name]);
      expect(await phase(room.name)).toBe('waiting_for_citizen');
      expect((await stack.api('GET', `/room/${room.name}`, { token: stack.idim })).status).toBe(200);
    });

    it('also clears what bulk create asked for: the pool comes back to ROOM_POOL_SIZE only', async () => {
      stack = await startStack();
      await stack.createRoom();
      await stack.api('POST', '/room/bulk?count=3', { token: stack.idim });
      await stack.until('bulk rooms made', async () => stack.pexip.rooms().length >= 6);
      const res = await stack.api('DELETE', '/room', { token: stack.idim });
      expect(res.body.deleted).toBe(5);
      await stack.settle();
      expect(pexipNames()).toHaveLength(1);
      await stack.host.advance(60_000); // the keeper refills the pool
      expect(pexipNames()).toHaveLength(3);
    });
  });

  it('every v1 room route refuses a request without a valid bearer token (401) and changes nothing', async () => {
    stack = await startStack();
    const room = await stack.createRoom();
    const before = pexipNames();
    const tagBefore = pexipRoom(room.name)!.tag;
    for (const token of [undefined, 'not-a-jwt']) {
      const opts = token ? { token } : {};
      expectProblem(await call('PATCH', `/room/${room.name}`, { ...opts, body: JSON.stringify({ tag: tagFor('anon') }) }), 401);
      expectProblem(await call('GET', '/room', opts), 401);
      expectProblem(await call('POST', '/room/bulk?count=5', opts), 401);
      expectProblem(await call('DELETE', '/room', opts), 401);
    }
    await stack.settle();
    expect(pexipNames()).toEqual(before);
    expect(pexipRoom(room.name)!.tag).toBe(tagBefore);
  });

  it('every v1 room route refuses a valid token without the IDIM role (403), e.g. a support token, and changes nothing', async () => {
    stack = await startStack();
    const room = await stack.createRoom();
    const before = pexipNames();
    const opts = { token: stack.support };
    expectProblem(await call('POST', `/room/create?uuiData=${encodeUui('idtest', 'vcsupport1')}`, opts), 403);
    expectProblem(await call('GET', `/room/${room.name}`, opts), 403);
    expectProblem(await call('PATCH', `/room/${room.name}`, { ...opts, body: JSON.stringify({ tag: tagFor('support') }) }), 403);
    expectProblem(await call('DELETE', `/room/${room.name}`, opts), 403);
    expectProblem(await call('GET', '/room', opts), 403);
    expectProblem(await call('POST', '/room/bulk?count=5', opts), 403);
    expectProblem(await call('DELETE', '/room', opts), 403);
    await stack.settle();
    expect(pexipNames()).toEqual(before);
    expect(await phase(room.name)).toBe('waiting_for_citizen');
  });

  describe('GET /sessions', () => {
    it('filters by phase and by outcome; summaries leave out the timeline and list only call sessions', async () => {
      stack = await startStack();
      const waiting = await stack.createRoom();
      const queued = await stack.createRoom();
      await stack.join(queued.name, queued.guest_pin);
      await stack.until('queued', async () => (await phase(queued.name)) === 'queued');
      const deleted = await stack.createRoom();
      await stack.api('DELETE', `/room/${deleted.name}`, { token: stack.idim });
      await stack.until('ended', async () => (await phase(deleted.name)) === 'ended');

      const all = await sessions();
      expect(all.status).toBe(200);
      expect(all.body).toMatchObject({ page: 1, pageSize: 50 });
      expect(all.body).not.toHaveProperty('continuationToken');
      expect(ids(all).sort()).toEqual([waiting.name, queued.name, deleted.name].sort());
      for (const s of all.body.sessions) expect(s).not.toHaveProperty('timeline');

      expect(ids(await sessions('phase=queued'))).toEqual([queued.name]);
      expect(ids(await sessions('phase=waiting_for_citizen'))).toEqual([waiting.name]);
      expect(ids(await sessions('outcome=ended_by_idim'))).toEqual([deleted.name]);
      expect(ids(await sessions('phase=ended&outcome=ended_by_idim'))).toEqual([deleted.name]);
      expect((await sessions('outcome=completed')).body).toMatchObject({ sessions: [] });
    });

    it('filters by creation time (from/to, any offset), newest first', async () => {
      stack = await startStack();
      const t0 = stack.host.now().getTime();
      const early = await stack.createRoom();
      await stack.host.advance(3600_000);
      const late = await stack.createRoom();
      const end = stack.host.now().getTime() + 60_000;

      expect(ids(await sessions(`from=${iso(t0 - 1000)}&to=${iso(t0 + 1800_000)}`))).toEqual([early.name]);
      expect(ids(await sessions(`from=${iso(t0 + 1800_000)}&to=${iso(end)}`))).toEqual([late.name]);
      expect(ids(await sessions(`from=${iso(t0 - 1000)}&to=${iso(end)}`))).toEqual([late.name, early.name]);
      // the same window as the first, written in Pacific standard time
      const pacific = (ms: number) => encodeURIComponent(`${new Date(ms - 8 * 3600_000).toISOString().slice(0, -1)}-08:00`);
      expect(ids(await sessions(`from=${pacific(t0 - 1000)}&to=${pacific(t0 + 1800_000)}`))).toEqual([early.name]);
    });

    it('refuses bad filters with a 400 problem naming the field', async () => {
      stack = await startStack();
      const t = stack.host.now().getTime();
      const cases: [string, string][] = [
        ['phase=sleeping', 'phase'],
        ['outcome=vanished', 'outcome'],
        ['from=yesterday', 'from'],
        ['to=2024-13-40T00:00:00Z', 'to'],
        ['page=0', 'page'],
        ['page=two', 'page'],
        ['pageSize=0', 'pageSize'],
        ['pageSize=201', 'pageSize'],
        ['continuationToken=%25', 'continuationToken'],
        // well-formed base64url, but not a position this list issued
        [`continuationToken=${Buffer.from('{"d":"x"}').toString('base64url')}`, 'continuationToken'],
        ['page=2&continuationToken=abc', 'page'],
        ['page=99&pageSize=200', 'page'],
      ];
      for (const [query, field] of cases) expectProblem(await call('GET', `/sessions?${query}`, { token: stack.support }), 400, field);
      const reversed = await call('GET', `/sessions?from=${iso(t)}&to=${iso(t - 3600_000)}`, { token: stack.support });
      expectProblem(reversed, 400, 'from');
    });

    it('pages newest first: by continuationToken, and by the v1-era page and pageSize', async () => {
      stack = await startStack();
      const made: string[] = [];
      for (let i = 0; i < 3; i += 1) {
        made.push((await stack.createRoom()).name);
        await stack.host.advance(1_000);
      }
      const window = `to=${iso(stack.host.now().getTime() + 60_000)}`;
      const first = await sessions(`${window}&pageSize=2`);
      expect(first.body).toMatchObject({ page: 1, pageSize: 2, continuationToken: expect.any(String) });
      expect(ids(first)).toEqual([made[2], made[1]]);
      const next = await sessions(`${window}&pageSize=2&continuationToken=${first.body.continuationToken}`);
      expect(ids(next)).toEqual([made[0]]);
      expect(next.body).not.toHaveProperty('continuationToken');
      const second = await sessions(`${window}&pageSize=2&page=2`);
      expect(second.body).toMatchObject({ page: 2, pageSize: 2 });
      expect(ids(second)).toEqual([made[0]]);
      const past = await sessions(`${window}&pageSize=2&page=3`);
      expect(past.body).toMatchObject({ sessions: [], page: 3 });
    });

    it('finds one session by room name, by Genesys conversation id and by video call id', async () => {
      stack = await startStack();
      const target = await stack.createRoom('vclookup01');
      await stack.createRoom('vcother002');
      await stack.join(target.name, target.guest_pin);
      await stack.until('queued', async () => (await phase(target.name)) === 'queued');
      const conversationId = (await stack.session(target.name)).conversationId as string;
      expect(conversationId).toEqual(expect.any(String));

      for (const query of [`roomName=${target.name}`, `conversationId=${conversationId}`, 'videoCallId=vclookup01']) {
        const res = await sessions(query);
        expect(res.body.sessions).toHaveLength(1);
        expect(res.body.sessions[0]).toMatchObject({ id: target.name, roomName: target.name, videoCallId: 'vclookup01', conversationId, phase: 'queued' });
      }
      for (const query of ['roomName=maxconf-nosuchroom', 'conversationId=00000000-0000-0000-0000-000000000000', 'videoCallId=vcnobody99']) {
        expect((await sessions(query)).body).toMatchObject({ sessions: [] });
      }
      const one = await stack.api('GET', `/sessions/${target.name}`, { token: stack.support });
      expect(one).toMatchObject({ status: 200, body: { id: target.name, conversationId, timeline: expect.any(Array) } });
      expectProblem(await call('GET', '/sessions/maxconf-nosuchroom', { token: stack.support }), 404);
    });
  });

  describe('POST /sessions/{id}/terminate', () => {
    it('ends the session as terminated_by_support and deletes its room', async () => {
      stack = await startStack();
      const room = await stack.createRoom();
      await stack.join(room.name, room.guest_pin);
      await stack.until('queued', async () => (await phase(room.name)) === 'queued');
      const res = await stack.api('POST', `/sessions/${room.name}/terminate`, { token: stack.support, body: { reason: 'citizen reported a frozen call' } });
      expect(res).toMatchObject({ status: 202, body: { id: room.name, status: 'terminating' } });
      await stack.until('ended', async () => (await phase(room.name)) === 'ended');
      expect((await stack.session(room.name)).outcome).toBe('terminated_by_support');
      expect(pexipRoom(room.name)).toBeUndefined();
      expect(ids(await sessions('outcome=terminated_by_support'))).toEqual([room.name]);
      const gone = await stack.api('GET', `/room/${room.name}`, { token: stack.idim });
      expect(gone).toMatchObject({ status: 404, body: { outcome: 'terminated_by_support' } });
    });

    it('a missing or blank reason → 400 problem naming reason; an unknown session → 404; the session goes on', async () => {
      stack = await startStack();
      const room = await stack.createRoom();
      for (const body of ['{}', JSON.stringify({ reason: '   ' }), JSON.stringify({ reason: 'x'.repeat(501) })]) {
        expectProblem(await call('POST', `/sessions/${room.name}/terminate`, { token: stack.support, body }), 400, 'reason');
      }
      expectProblem(await call('POST', '/sessions/maxconf-nosuchroom/terminate', { token: stack.support, body: JSON.stringify({ reason: 'test' }) }), 404);
      await stack.settle();
      expect(await phase(room.name)).toBe('waiting_for_citizen');
      expect(pexipRoom(room.name)).toBeDefined();
    });
  });

  it('support routes: 403 for an IDIM token, 401 without one; the session is untouched', async () => {
    stack = await startStack();
    const room = await stack.createRoom();
    for (const [token, status] of [[stack.idim, 403], [undefined, 401]] as const) {
      const opts = token ? { token } : {};
      expectProblem(await call('GET', '/sessions', opts), status);
      expectProblem(await call('GET', `/sessions/${room.name}`, opts), status);
      expectProblem(await call('POST', `/sessions/${room.name}/terminate`, { ...opts, body: JSON.stringify({ reason: 'not mine to end' }) }), status);
    }
    await stack.settle();
    expect(await phase(room.name)).toBe('waiting_for_citizen');
    expect(pexipRoom(room.name)).toBeDefined();
  });

  describe('POST /room/create with the pool empty and Pexip unable to make a room', () => {
    async function expectNoRoom() {
      const res = await call('POST', `/room/create?uuiData=${encodeUui('idtest', 'vcnoroom1')}`, { token: stack.idim });
      expectProblem(res, 503);
      expect(res.headers.get('retry-after')).toMatch(/^\d+$/);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
      await stack.settle();
      expect(stack.pexip.rooms()).toEqual([]);
      stack.pexip.setFaults({});
      expect((await sessions()).body).toMatchObject({ sessions: [] });
      expect((await stack.api('GET', '/room', { token: stack.idim })).body).toEqual([]);
    }

    it('Pexip answers 503 to everything → 503 problem with Retry-After; no room on Pexip, no session', async () => {
      stack = await startStack({ env: { ROOM_POOL_SIZE: '0' } });
      stack.pexip.setFaults({ errorRate: { configuration: 1 } });
      await expectNoRoom();
    });

    it('Pexip refuses the new room (400) → 503 problem with Retry-After; no room on Pexip, no session', async () => {
      stack = await startStack({ env: { ROOM_POOL_SIZE: '0' } });
      stack.pexip.setFaults({ script: { configuration: [{ status: 400, times: 10 }] } });
      await expectNoRoom();
    });
  });
});
