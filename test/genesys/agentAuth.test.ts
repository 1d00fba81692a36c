import { Writable } from 'node:stream';
import { createAgentTokenValidator } from '../../src/http/agentAuth';
import { publicRoomHandler } from '../../src/http/publicRoom';
import type { PexipConference } from '../../src/adapters/pexip';
import type { ApiRequest } from '../../src/http/types';
import { createLogger } from '../../src/logging/logger';
import { startGenesysSimulator, manualClock, type GenesysSimulator, type ManualClock } from '../../local/genesys-simulator';

describe('Agent App token validation (users/me + allowed division)', () => {
  let sim: GenesysSimulator;
  let clock: ManualClock;
  let lines: string[];

  beforeEach(async () => {
    clock = manualClock(Date.now());
    sim = await startGenesysSimulator({ clock });
    lines = [];
  });
  afterEach(() => sim.stop());

  function validator(ttlMs = 60_000) {
    const destination = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
    return createAgentTokenValidator({
      genesys: { region: 'cac1.pure.cloud', apiBaseUrl: sim.url, allowedDivisions: [sim.divisions[0]!.id] },
      logger: createLogger({ level: 'debug', destination }),
      now: () => new Date(clock.now()),
      cacheTtlMs: ttlMs,
    });
  }

  it('accepts an agent of an allowed division', async () => {
    const agent = sim.control.addAgent({});
    const token = sim.control.mintUserToken({ userId: agent.id });
    await expect(validator()(token.access_token)).resolves.toEqual({ ok: true, userId: agent.id, divisionId: sim.divisions[0]!.id });
  });

  it('refuses a user outside the allowed divisions, an expired token, a forged token and no token', async () => {
    const validate = validator();
    const outsider = sim.control.mintUserToken({ divisionId: sim.divisions[1]!.id });
    await expect(validate(outsider.access_token)).resolves.toEqual({ ok: false, reason: 'forbidden_division' });
    const expired = sim.control.mintUserToken({ expiresInSeconds: 60 });
    clock.advance(61_000);
    await expect(validate(expired.access_token)).resolves.toEqual({ ok: false, reason: 'expired' });
    await expect(validate('forged-token-0123456789abcdef')).resolves.toEqual({ ok: false, reason: 'invalid' });
    await expect(validate('has spaces in it')).resolves.toEqual({ ok: false, reason: 'invalid' });
    await expect(validate(undefined)).resolves.toEqual({ ok: false, reason: 'missing' });
    await expect(validate('  ')).resolves.toEqual({ ok: false, reason: 'missing' });
  });

  it("refuses MaxConf's own client-credentials token (no user context)", async () => {
    const res = await fetch(`${sim.url}/oauth/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${sim.clients[0]!.clientId}:${sim.clients[0]!.clientSecret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    const { access_token } = (await res.json()) as { access_token: string };
    await expect(validator()(access_token)).resolves.toEqual({ ok: false, reason: 'invalid' });
  });

  it('caches answers briefly by token hash, never caches an outage, and never logs the token', async () => {
    const validate = validator(30_000);
    const good = sim.control.mintUserToken({});
    const outsider = sim.control.mintUserToken({ divisionId: sim.divisions[1]!.id });
    await validate(good.access_token);
    await validate(outsider.access_token);
    sim.control.setFaults({ errorRate: { users: 1 } });
    await expect(validate(good.access_token)).resolves.toMatchObject({ ok: true });
    await expect(validate(outsider.access_token)).resolves.toMatchObject({ ok: false, reason: 'forbidden_division' });
    const fresh = sim.control.mintUserToken({});
    await expect(validate(fresh.access_token)).resolves.toEqual({ ok: false, reason: 'unavailable' });
    sim.control.setFaults({});
    await expect(validate(fresh.access_token)).resolves.toMatchObject({ ok: true });
    clock.advance(31_000);
    sim.control.setFaults({ errorRate: { users: 1 } });
    await expect(validate(good.access_token)).resolves.toEqual({ ok: false, reason: 'unavailable' });
    const all = lines.join('');
    for (const t of [good, outsider, fresh]) expect(all).not.toContain(t.access_token);
  });

  it("is what the Agent App's route uses: outsiders 403, expired and forged 401, agents get the room", async () => {
    const room = { id: 7, name: 'mclocal-room', pin: '123456', guest_pin: '1234', aliases: [] } as unknown as PexipConference;
    const route = publicRoomHandler({
      validateAgentToken: validator(),
      rooms: { getRoomByName: async (name: string) => (name === room.name ? room : undefined) },
      logger: createLogger({ level: 'silent' }),
    });
    const get = (token: string | undefined) => {
      const request: ApiRequest = {
        method: 'GET',
        url: `http://maxconf/public/room/${room.name}`,
        params: { vmr_name: room.name },
        query: new URLSearchParams(),
        header: (name) => (name.toLowerCase() === 'x-auth-token' ? token : undefined),
        body: undefined,
      };
      return route(request, { invocationId: 'i', durable: undefined });
    };
    const agent = sim.control.addAgent({});
    await expect(get(sim.control.mintUserToken({ userId: agent.id }).access_token)).resolves.toMatchObject({ status: 200, body: { name: room.name, pin: '123456' } });
    await expect(get(sim.control.mintUserToken({ divisionId: sim.divisions[1]!.id }).access_token)).resolves.toMatchObject({ status: 403 });
    const expired = sim.control.mintUserToken({ expiresInSeconds: 1 });
    clock.advance(2000);
    await expect(get(expired.access_token)).resolves.toMatchObject({ status: 401 });
    await expect(get('forged-token-abcdefghijklmnop')).resolves.toMatchObject({ status: 401 });
    await expect(get(undefined)).resolves.toMatchObject({ status: 401 });
  });
});
