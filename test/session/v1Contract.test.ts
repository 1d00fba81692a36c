import { Alias, ConstrainedConference } from '../../src/contracts/api';
import { startStack, type Stack } from './stack';

/**
 * Today's MaxConf, replayed: the documented requests of the v1 API (docs/session.md) against the new API,
 * checking paths, status codes and JSON shapes the callers rely on.
 */
const V1_UUI = '6964264d54497a4e4455324c4463324e54517a4d67;encoding=hex';

describe('v1 contract', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => stack?.stop());

  it('POST /room/create?uuiData=<v1 example> → 200 ConstrainedConference without the host pin, tagged from the UUI', async () => {
    const res = await stack.api('POST', `/room/create?uuiData=${V1_UUI}`, { token: stack.idim });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body).sort()).toEqual(['aliases', 'allow_guests', 'guest_pin', 'id', 'name', 'service_type', 'tag']);
    expect(res.body).toMatchObject({ service_type: 'conference', allow_guests: true, tag: 'https://id.gov.bc.ca/idcheck/protected/video/MTIzNDU2LDc2NTQzMg' });
    expect(res.body.guest_pin).toMatch(/^\d{4}$/);
    expect(ConstrainedConference.safeParse(res.body).success).toBe(true);
    const alias = res.body.aliases[0];
    expect(Alias.safeParse(alias).success).toBe(true);
    expect(alias).toMatchObject({ alias: res.body.name, conference: `/api/admin/configuration/v1/conference/${res.body.id}/` });
  });

  it('GET /room/{room_name} → ConstrainedConference with the host pin; constrained_attributes=false → the full Pexip object', async () => {
    const room = await stack.createRoom();
    const constrained = await stack.api('GET', `/room/${room.name}`, { token: stack.idim });
    expect(constrained.status).toBe(200);
    expect(constrained.body.pin).toMatch(/^\d{6}$/);
    expect(constrained.body).not.toHaveProperty('description');
    const full = await stack.api('GET', `/room/${room.name}?constrained_attributes=false`, { token: stack.idim });
    expect(full.status).toBe(200);
    expect(full.body).toMatchObject({ id: room.id, name: room.name, description: expect.stringContaining('maxconf') });
  });

  it('DELETE /room/{room_name} → 204, and 204 again once torn down', async () => {
    const room = await stack.createRoom();
    expect((await stack.api('DELETE', `/room/${room.name}`, { token: stack.idim })).status).toBe(204);
    await stack.settle();
    expect((await stack.api('DELETE', `/room/${room.name}`, { token: stack.idim })).status).toBe(204);
  });

  it('GET /health → {"status":"alive","timestamp":…}', async () => {
    const res = await stack.api('GET', '/health');
    expect(res.body.status).toBe('alive');
    expect(Number.isNaN(Date.parse(res.body.timestamp))).toBe(false);
  });

  it('POST /public/event_sink with v1’s documented conference_ended example is acknowledged', async () => {
    const res = await stack.api('POST', '/public/event_sink', {
      headers: { authorization: `Basic ${Buffer.from('pexip:stack-sink-password').toString('base64')}` },
      body: { event: 'conference_ended', data: { name: 'MTIzNDU2LDc2NTQzMg', conference: 'MTIzNDU2LDc2NTQzMg' } },
    });
    expect(res.status).toBeLessThan(300);
  });

  it('GET /public/room/{vmr_name} with a Genesys agent token → the room with the host pin', async () => {
    const room = await stack.createRoom();
    const { access_token } = stack.genesys.control.mintUserToken();
    const res = await stack.api('GET', `/public/room/${room.name}`, { headers: { 'x-auth-token': access_token } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: room.name, guest_pin: room.guest_pin, pin: expect.stringMatching(/^\d{6}$/) });
  });

  it('private routes refuse a request without a bearer token, as APIM did', async () => {
    expect((await stack.api('POST', `/room/create?uuiData=${V1_UUI}`)).status).toBe(401);
    expect((await stack.api('GET', '/room/anything')).status).toBe(401);
    expect((await stack.api('DELETE', '/room/anything')).status).toBe(401);
  });

  it('a bad uuiData is a 400 naming uuiData, and no room is claimed', async () => {
    const before = stack.pexip.rooms().length;
    const res = await stack.api('POST', '/room/create?uuiData=not-hex', { token: stack.idim });
    expect(res.status).toBe(400);
    expect(res.body['invalid-params'][0].name).toBe('uuiData');
    await stack.settle();
    expect(stack.pexip.rooms().length).toBe(before);
  });
});
