import axios from 'axios';
import { startGenesysSimulator, type GenesysSimulator } from '../../local/genesys-simulator';

const http = axios.create({ validateStatus: () => true, maxRedirects: 0 });
const APP = 'http://localhost:5173';

describe('Genesys simulator CORS for browser apps', () => {
  let sim: GenesysSimulator;
  afterEach(() => sim.stop());

  const preflight = (path: string, origin: string, headers = 'authorization, content-type, genesys-app', method = 'PATCH') =>
    http.request({ method: 'OPTIONS', url: `${sim.url}${path}`, headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': headers } });

  it('answers the SDK\'s preflights for an allowed origin, echoing it, and refuses other origins', async () => {
    sim = await startGenesysSimulator({});
    const ok = await preflight('/api/v2/conversations/calls/c-1/participants/p-1', APP);
    expect(ok.status).toBe(200);
    expect(ok.headers['access-control-allow-origin']).toBe(APP);
    expect(ok.headers.vary).toBe('Origin');
    expect(String(ok.headers['access-control-allow-methods'])).toMatch(/PATCH/);
    const allowed = String(ok.headers['access-control-allow-headers']).split(', ');
    expect(allowed).toEqual(expect.arrayContaining(['authorization', 'content-type', 'genesys-app', 'accept']));
    expect((await preflight('/login/oauth/token', 'http://127.0.0.1:8080', 'content-type', 'POST')).headers['access-control-allow-origin']).toBe('http://127.0.0.1:8080');

    const evil = await preflight('/api/v2/users/me', 'https://evil.example');
    expect(evil.status).toBe(403);
    expect(evil.headers['access-control-allow-origin']).toBeUndefined();
    // only the API and the token endpoint are called from scripts
    expect((await preflight('/sim/state', APP)).headers['access-control-allow-origin']).toBeUndefined();
  });

  it('puts the origin on every answer a browser reads, errors and 429s included, and exposes Retry-After', async () => {
    sim = await startGenesysSimulator({ rateLimit: { requestsPerMinute: 1 } });
    const token = sim.control.mintUserToken().access_token;
    const get = (headers: Record<string, string>) => http.get(`${sim.url}/api/v2/users/me`, { headers: { origin: APP, ...headers } });
    const unauthorised = await get({});
    expect(unauthorised.status).toBe(401);
    expect(unauthorised.headers['access-control-allow-origin']).toBe(APP);
    const fine = await get({ authorization: `Bearer ${token}` });
    expect(fine.status).toBe(200);
    expect(fine.headers['access-control-allow-origin']).toBe(APP);
    const limited = await get({ authorization: `Bearer ${token}` });
    expect(limited.status).toBe(429);
    expect(limited.headers['access-control-allow-origin']).toBe(APP);
    expect(String(limited.headers['access-control-expose-headers'])).toMatch(/retry-after/);
    const elsewhere = await http.get(`${sim.url}/api/v2/users/me`, { headers: { origin: 'https://evil.example', authorization: `Bearer ${token}` } });
    expect(elsewhere.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('takes an explicit list of origins (a deployed Agent App) instead of loopback', async () => {
    sim = await startGenesysSimulator({ corsOrigins: ['https://agent.example'] });
    expect((await preflight('/api/v2/users/me', 'https://agent.example')).headers['access-control-allow-origin']).toBe('https://agent.example');
    expect((await preflight('/api/v2/users/me', APP)).status).toBe(403);
  });
});
