import axios from 'axios';
import { manualClock, startGenesysSimulator, type GenesysSimulator } from '../../local/genesys-simulator';
import { parseArgs, toRequest } from '../../local/genesys-simulator/cli';

const http = axios.create({ validateStatus: () => true });

describe('Genesys simulator rate limit', () => {
  let sim: GenesysSimulator | undefined;
  afterEach(async () => {
    await sim?.stop();
    sim = undefined;
  });

  const me = (token: string) => http.get(`${sim!.url}/api/v2/users/me`, { headers: { authorization: `Bearer ${token}` } });

  it('answers 429 with Retry-After and the limit once a token is over its requests per minute, per token, until the minute ends', async () => {
    const clock = manualClock();
    sim = await startGenesysSimulator({ clock, rateLimit: { requestsPerMinute: 3 } });
    const a = sim.control.mintUserToken().access_token;
    const b = sim.control.mintUserToken().access_token;
    for (let i = 0; i < 3; i++) expect((await me(a)).status).toBe(200);
    const over = await me(a);
    expect(over.status).toBe(429);
    expect(over.headers['retry-after']).toBe('60');
    expect(over.data).toMatchObject({ status: 429, code: 'too.many.requests', limit: { key: 'token.rate.per.minute', value: 3 } });
    // another token has its own budget
    expect((await me(b)).status).toBe(200);
    clock.advance(30_000);
    expect((await me(a)).headers['retry-after']).toBe('30');
    clock.advance(30_000);
    expect((await me(a)).status).toBe(200);
    expect(sim.control.state()).toMatchObject({ rateLimit: { refused: 2 } });
  });

  it('is off by default and enforces Genesys\'s 300 per minute when production-like', async () => {
    sim = await startGenesysSimulator({});
    const token = sim.control.mintUserToken().access_token;
    const statuses = async () => {
      const out: number[] = [];
      for (let i = 0; i < 301; i++) out.push((await me(token)).status);
      return out;
    };
    expect((await statuses()).every((s) => s === 200)).toBe(true);
    await sim.stop();

    sim = await startGenesysSimulator({ productionLike: true });
    const limited = sim.control.mintUserToken().access_token;
    const out: number[] = [];
    for (let i = 0; i < 301; i++) out.push((await me(limited)).status);
    expect(out.slice(0, 300).every((s) => s === 200)).toBe(true);
    expect(out[300]).toBe(429);
  });

  it('limits client-credentials grants per client, and is switched at run time through the CLI', async () => {
    sim = await startGenesysSimulator({ rateLimit: { requestsPerMinute: 100, tokenGrantsPerMinute: 1 } });
    const { clientId, clientSecret } = sim.clients[0]!;
    const grant = () =>
      http.post(`${sim!.url}/oauth/token`, 'grant_type=client_credentials', {
        headers: { authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' },
      });
    expect((await grant()).status).toBe(200);
    const refused = await grant();
    expect(refused.status).toBe(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);

    const run = async (line: string) => {
      const req = toRequest(parseArgs(line.split(' ')));
      return http.request({ method: req.method, url: `${sim!.url}${req.path}`, data: req.body });
    };
    expect((await run('rate-limit off')).status).toBe(200);
    expect((await grant()).status).toBe(200);
    expect((await run('rate-limit 1')).status).toBe(200);
    const token = sim.control.mintUserToken().access_token;
    expect((await me(token)).status).toBe(200);
    expect((await me(token)).status).toBe(429);
    expect(() => toRequest(parseArgs(['rate-limit', 'lots']))).toThrow(/unknown command/);
  });
});
