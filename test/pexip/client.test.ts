import { startPexipSimulator, type PexipSimulator } from '../../local/pexip-simulator';
import { createPexipClient, PexipError, type PexipClient } from '../../src/adapters/pexip';
import { oauthClientKeys, silentLogger, testConfig } from './helpers';

/** The production client over real HTTP against the simulator: no mocked axios. */
describe('Pexip production client against the simulator', () => {
  let sim: PexipSimulator;
  let client: PexipClient;
  const sleeps: number[] = [];

  beforeAll(async () => {
    sim = await startPexipSimulator({ basic: { username: 'admin', password: 'pw-basic' } });
  });
  afterAll(() => sim.stop());
  beforeEach(() => {
    sleeps.length = 0;
    sim.setFaults({});
    client = createPexipClient(
      testConfig({ PEXIP_MANAGEMENT_URL: sim.url, PEXIP_USERNAME: 'admin', PEXIP_PASSWORD: 'pw-basic' }),
      silentLogger,
      {
        timeoutMs: 300,
        sleep: async (ms) => void sleeps.push(ms),
        random: () => 0.5,
      },
    );
  });

  it('creates a room in v1 shape with prefix, marker, 4/6-digit PINs, and reads it back', async () => {
    const room = await client.rooms.createRoom({ name: 'mctest-a1', guestPin: '1234', hostPin: '987654', tag: '' });
    expect(room).toMatchObject({ name: 'mctest-a1', service_type: 'conference', allow_guests: true, guest_pin: '1234', pin: '987654' });
    expect(room.description).toMatch(/^maxconf:v2 prefix=mctest- /);
    expect(room.aliases[0]).toMatchObject({ alias: 'mctest-a1', conference: `/api/admin/configuration/v1/conference/${room.id}/` });
    // idempotent by name: a retried create returns the same room
    const again = await client.rooms.createRoom({ name: 'mctest-a1', guestPin: '1111', hostPin: '222222' });
    expect(again.id).toBe(room.id);
    expect(again.guest_pin).toBe('1234');
  });

  it('tags, finds by name, lists with paging, deletes; already gone is success', async () => {
    for (let i = 0; i < 5; i++) await client.rooms.createRoom({ name: `mctest-p${i}`, guestPin: '1234', hostPin: '987654' });
    await client.rooms.updateTag('mctest-p2', 'https://id.gov.bc.ca/idcheck/protected/video/abc');
    expect((await client.rooms.getRoomByName('mctest-p2'))?.tag).toBe('https://id.gov.bc.ca/idcheck/protected/video/abc');
    const first = await client.rooms.listRooms({ nameStartsWith: 'mctest-p', limit: 2 });
    expect(first.rooms).toHaveLength(2);
    expect(first.totalCount).toBe(5);
    expect(first.nextOffset).toBe(2);
    expect((await client.rooms.listOwnedRooms()).map((r) => r.name)).toEqual(expect.arrayContaining(['mctest-p0', 'mctest-p4']));
    expect(await client.rooms.deleteRoom('mctest-p3')).toBe('deleted');
    expect(await client.rooms.deleteRoom('mctest-p3')).toBe('already_gone');
  });

  it('deletes a room by the id it was claimed with; gone already is success; refuses names it does not own', async () => {
    const room = await client.rooms.createRoom({ name: 'mctest-byid', guestPin: '1234', hostPin: '987654' });
    expect(await client.rooms.deleteRoomById(room.id, room.name)).toBe('deleted');
    expect(await client.rooms.getRoomByName('mctest-byid')).toBeUndefined();
    expect(await client.rooms.deleteRoomById(room.id, room.name)).toBe('already_gone');
    await expect(client.rooms.deleteRoomById(room.id, 'test_manual')).rejects.toMatchObject({ code: 'persistent_room' });
    await expect(client.rooms.deleteRoomById(room.id, 'MTIzNDU2LDc2NTQzMg')).rejects.toMatchObject({ code: 'not_owned' });
  });

  it('never deletes persistent rooms or rooms it does not own', async () => {
    await expect(client.rooms.deleteRoom('test_manual')).rejects.toMatchObject({ code: 'persistent_room', retryable: false });
    await expect(client.rooms.deleteRoom('vkiosk_lobby')).rejects.toMatchObject({ code: 'persistent_room' });
    await expect(client.rooms.deleteRoom('MTIzNDU2LDc2NTQzMg')).rejects.toMatchObject({ code: 'not_owned' });
    // same prefix, no marker (made by hand): not ours
    const other = createPexipClient(testConfig({ PEXIP_MANAGEMENT_URL: sim.url, PEXIP_USERNAME: 'admin', PEXIP_PASSWORD: 'pw-basic', MAXCONF_ROOM_PREFIX: 'mcother-' }), silentLogger);
    await other.rooms.createRoom({ name: 'mcother-x', guestPin: '1234', hostPin: '987654' });
    await expect(client.rooms.deleteRoom('mcother-x')).rejects.toMatchObject({ code: 'not_owned' });
    expect(sim.rooms().some((r) => r.name === 'mcother-x')).toBe(true);
  });

  it('dials Genesys as chair with audio, the room as caller name and one User-to-User header', async () => {
    const invites: import('../../src/contracts/sip').SipInvite[] = [];
    sim.setSipDestination({
      async invite(invite) {
        invites.push(invite);
        return { answered: true, dialogue: { hangUp: () => undefined } };
      },
    });
    await client.rooms.createRoom({ name: 'mctest-dial', guestPin: '1234', hostPin: '987654' });
    const { participantId } = await client.calls.dialOut({ roomName: 'mctest-dial', uui: '6964264d54497a4e;encoding=hex' });
    await new Promise((r) => setImmediate(r));
    expect(invites).toEqual([
      expect.objectContaining({ fromDisplayName: 'mctest-dial', fromUri: expect.stringMatching(/^sip:mctest-dial@/), toUri: 'sip:sbc_vbv_test@byoc.example', userToUser: '6964264d54497a4e;encoding=hex' }),
    ]);
    const live = await client.calls.listParticipants('mctest-dial');
    expect(live).toEqual([expect.objectContaining({ id: participantId, role: 'chair', call_direction: 'out', protocol: 'SIP' })]);
    expect(await client.calls.disconnectParticipant(participantId)).toBe('disconnected');
    expect(await client.calls.disconnectParticipant(participantId)).toBe('already_gone');
    expect(await client.calls.disconnectConference('mctest-dial')).toBe('not_running');
    sim.setSipDestination(undefined);
  });

  it('leaves the User-to-User header out where the node takes no custom SIP headers (PEXIP_DIAL_UUI_HEADER=false)', async () => {
    const invites: import('../../src/contracts/sip').SipInvite[] = [];
    sim.setSipDestination({
      async invite(invite) {
        invites.push(invite);
        return { answered: true, dialogue: { hangUp: () => undefined } };
      },
    });
    const plain = createPexipClient(
      testConfig({ PEXIP_MANAGEMENT_URL: sim.url, PEXIP_USERNAME: 'admin', PEXIP_PASSWORD: 'pw-basic', PEXIP_DIAL_UUI_HEADER: 'false' }),
      silentLogger,
    );
    await plain.rooms.createRoom({ name: 'mctest-nouui', guestPin: '1234', hostPin: '987654' });
    await plain.calls.dialOut({ roomName: 'mctest-nouui', uui: '6964264d54497a4e;encoding=hex' });
    await new Promise((r) => setImmediate(r));
    expect(invites).toHaveLength(1);
    expect(invites[0]).toMatchObject({ fromDisplayName: 'mctest-nouui' });
    expect(invites[0]!.userToUser).toBeUndefined();
    await plain.calls.disconnectConference('mctest-nouui');
    sim.setSipDestination(undefined);
  });

  it('refuses a UUI that could inject SIP headers', async () => {
    await expect(client.calls.dialOut({ roomName: 'mctest-dial', uui: 'ab\r\nX-Evil: 1' })).rejects.toMatchObject({ code: 'bad_request' });
  });

  it('retries 5xx with backoff and jitter, then succeeds', async () => {
    sim.setFaults({ script: { configuration: [{ status: 503, times: 2 }] } });
    expect(await client.rooms.getRoomByName('mctest-a1')).toMatchObject({ name: 'mctest-a1' });
    expect(sleeps).toEqual([125, 250]);
  });

  it('gives up after its attempts with a retryable error', async () => {
    sim.setFaults({ script: { configuration: [{ status: 502, times: 10 }] } });
    const error = await client.rooms.getRoomByName('mctest-a1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PexipError);
    expect(error).toMatchObject({ code: 'server_error', retryable: true, status: 502 });
  });

  it('honours 429 Retry-After', async () => {
    sim.setFaults({ script: { configuration: [{ status: 429, times: 1, retryAfter: '2' }] } });
    expect(await client.rooms.getRoomByName('mctest-a1')).toBeDefined();
    expect(sleeps).toEqual([2000]);
  });

  it('times out a hanging call and retries it when idempotent', async () => {
    sim.setFaults({ script: { configuration: [{ status: 200, times: 1, hangMs: 1000 }] } });
    expect(await client.rooms.getRoomByName('mctest-a1')).toBeDefined();
    expect(sleeps).toHaveLength(1);
  });

  it('does not repeat a dial that timed out (it may have been placed)', async () => {
    sim.setFaults({ script: { command: [{ status: 202, times: 1, hangMs: 1000 }] } });
    const before = sim.requestCounts().command;
    await expect(client.calls.dialOut({ roomName: 'mctest-dial' })).rejects.toMatchObject({ code: 'timeout', retryable: true });
    expect(sim.requestCounts().command - before).toBe(1);
  });

  it('fails permanently on refused credentials', async () => {
    const bad = createPexipClient(testConfig({ PEXIP_MANAGEMENT_URL: sim.url, PEXIP_USERNAME: 'admin', PEXIP_PASSWORD: 'wrong' }), silentLogger);
    await expect(bad.rooms.getRoomByName('x')).rejects.toMatchObject({ code: 'unauthorized', retryable: false });
  });
});

describe('Pexip production client with OAuth2 (ES256 client assertion)', () => {
  it('gets a token, caches it, renews it before expiry and once on a 401', async () => {
    const keys = await oauthClientKeys();
    let now = Date.now();
    const sim = await startPexipSimulator({ oauthClients: { 'maxconf-client': keys.jwks }, oauthTokenLifetimeSeconds: 600 });
    try {
      const client = createPexipClient(
        testConfig({ PEXIP_MANAGEMENT_URL: sim.url, PEXIP_OAUTH_CLIENT_ID: 'maxconf-client', PEXIP_OAUTH_PRIVATE_KEY: Buffer.from(keys.privateKeyPem).toString('base64') }),
        silentLogger,
        { now: () => now },
      );
      await client.rooms.createRoom({ name: 'mctest-o1', guestPin: '1234', hostPin: '987654' });
      await client.rooms.getRoomByName('mctest-o1');
      expect(sim.requestCounts().token).toBe(1);
      // 600 s token, renewed 300 s early (half its life at most)
      now += 301_000;
      await client.rooms.getRoomByName('mctest-o1');
      expect(sim.requestCounts().token).toBe(2);
      // the server forgets the token: one renewal, then the call succeeds
      sim.setFaults({ script: { configuration: [{ status: 401, times: 1 }] } });
      expect(await client.rooms.getRoomByName('mctest-o1')).toMatchObject({ name: 'mctest-o1' });
      expect(sim.requestCounts().token).toBe(3);
    } finally {
      await sim.stop();
    }
  });

  it('is refused with a key the node does not know', async () => {
    const known = await oauthClientKeys();
    const stranger = await oauthClientKeys();
    const sim = await startPexipSimulator({ oauthClients: { 'maxconf-client': known.jwks } });
    try {
      const client = createPexipClient(testConfig({ PEXIP_MANAGEMENT_URL: sim.url, PEXIP_OAUTH_CLIENT_ID: 'maxconf-client', PEXIP_OAUTH_PRIVATE_KEY: stranger.privateKeyPem }), silentLogger);
      await expect(client.rooms.getRoomByName('x')).rejects.toMatchObject({ code: 'unauthorized', retryable: false });
    } finally {
      await sim.stop();
    }
  });
});
