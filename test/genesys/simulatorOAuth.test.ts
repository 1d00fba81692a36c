import { createHash, randomBytes } from 'node:crypto';
import axios from 'axios';
import { startGenesysSimulator, type GenesysSimulator } from '../../local/genesys-simulator';
import { createAgentTokenValidator } from '../../src/http/agentAuth';
import { createIsolatedApiClient } from '../../src/adapters/genesys/sdk';
import { silentLogger } from './support';

const http = axios.create({ validateStatus: () => true, maxRedirects: 0 });

/** The hidden fields of the login page's form, plus the chosen agent and decision, form-encoded. */
function submission(page: string, userId: string | undefined, decision: 'allow' | 'deny'): string {
  const fields = new URLSearchParams();
  for (const m of page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) fields.set(m[1]!, m[2]!.replace(/&quot;/g, '"').replace(/&amp;/g, '&'));
  if (userId) fields.set('userId', userId);
  fields.set('decision', decision);
  return fields.toString();
}

const form = { headers: { 'content-type': 'application/x-www-form-urlencoded' } };

describe('Genesys simulator OAuth for browser apps', () => {
  let sim: GenesysSimulator;
  let agentId: string;
  let clientId: string;
  const redirectUri = 'http://localhost:5173/agent/';
  beforeEach(async () => {
    sim = await startGenesysSimulator({ agents: 2 });
    agentId = (sim.control.state().agents as { id: string }[])[1]!.id;
    clientId = sim.browserClients[0]!.clientId;
  });
  afterEach(() => sim.stop());

  const authorize = (params: Record<string, string>, headers: Record<string, string> = {}) =>
    http.get(`${sim.url}/login/oauth/authorize?${new URLSearchParams(params)}`, { headers });

  it('implicit grant: login page with the agents, Log in redirects with the token in the fragment, and the token passes MaxConf\'s agent check', async () => {
    const page = await authorize({ client_id: clientId, redirect_uri: redirectUri, response_type: 'token', state: '{"conv":"c 1"}' });
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    const html = String(page.data);
    expect(html).toContain('<label for="userId">Agent</label>');
    expect(html).toMatch(/<button type="submit" name="decision" value="allow">Log in<\/button>/);
    expect(html).toMatch(/<button type="submit" name="decision" value="deny"[^>]*>Deny<\/button>/);
    expect(html).toContain(`value="${agentId}"`);

    const done = await http.post(`${sim.url}/login/oauth/authorize`, submission(html, agentId, 'allow'), form);
    expect(done.status).toBe(302);
    const location = new URL(done.headers.location as string);
    expect(`${location.origin}${location.pathname}`).toBe(redirectUri);
    const fragment = new URLSearchParams(location.hash.slice(1));
    expect(fragment.get('token_type')).toBe('bearer');
    expect(Number(fragment.get('expires_in'))).toBeGreaterThan(0);
    expect(fragment.get('state')).toBe('{"conv":"c 1"}');
    const token = fragment.get('access_token')!;

    const me = await http.get(`${sim.url}/api/v2/users/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.data).toMatchObject({ id: agentId, division: { id: sim.divisions[0]!.id } });
    const info = await http.get(`${sim.url}/api/v2/tokens/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(info.data).toMatchObject({ organization: { id: sim.orgId }, OAuthClient: { id: clientId } });

    const validate = createAgentTokenValidator({
      genesys: { region: 'cac1.pure.cloud', apiBaseUrl: sim.url, allowedDivisions: [sim.divisions[0]!.id] },
      logger: silentLogger(),
      now: () => new Date(),
    });
    await expect(validate(token)).resolves.toMatchObject({ ok: true, userId: agentId });
  });

  it('PKCE: the code comes back in the query and is exchanged once with the right verifier; a wrong one is invalid_grant', async () => {
    const verifier = randomBytes(48).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const params = { client_id: clientId, redirect_uri: redirectUri, response_type: 'code', code_challenge: challenge, code_challenge_method: 'S256', state: 'xyz' };
    const codeFor = async () => {
      const page = await authorize(params);
      const done = await http.post(`${sim.url}/login/oauth/authorize`, submission(String(page.data), agentId, 'allow'), form);
      expect(done.status).toBe(302);
      const location = new URL(done.headers.location as string);
      expect(location.searchParams.get('state')).toBe('xyz');
      expect(location.hash).toBe('');
      return location.searchParams.get('code')!;
    };
    const exchange = (code: string, codeVerifier: string) =>
      http.post(`${sim.url}/login/oauth/token`, new URLSearchParams({ grant_type: 'authorization_code', code, code_verifier: codeVerifier, client_id: clientId, redirect_uri: redirectUri }).toString(), form);

    const wrong = await exchange(await codeFor(), randomBytes(48).toString('base64url'));
    expect(wrong.status).toBe(400);
    expect(wrong.data).toMatchObject({ error: 'invalid_grant' });

    const code = await codeFor();
    const ok = await exchange(code, verifier);
    expect(ok.status).toBe(200);
    expect(ok.data).toMatchObject({ token_type: 'bearer', expires_in: expect.any(Number) });
    const me = await http.get(`${sim.url}/api/v2/users/me`, { headers: { authorization: `Bearer ${ok.data.access_token}` } });
    expect(me.data.id).toBe(agentId);
    // single use
    expect((await exchange(code, verifier)).data).toMatchObject({ error: 'invalid_grant' });
    // no challenge: refused through the redirect
    const bare = await authorize({ ...params, code_challenge: '' });
    expect(new URL(bare.headers.location as string).searchParams.get('error')).toBe('invalid_request');
  });

  it('Deny sends access_denied back with the state; an unregistered redirect URI or client gets an error page and no redirect', async () => {
    const page = await authorize({ client_id: clientId, redirect_uri: redirectUri, response_type: 'token', state: 's1' });
    const denied = await http.post(`${sim.url}/oauth/authorize`, submission(String(page.data), undefined, 'deny'), form);
    expect(denied.status).toBe(302);
    const fragment = new URLSearchParams(new URL(denied.headers.location as string).hash.slice(1));
    expect(fragment.get('error')).toBe('access_denied');
    expect(fragment.get('state')).toBe('s1');
    expect(fragment.get('access_token')).toBeNull();

    const elsewhere = await authorize({ client_id: clientId, redirect_uri: 'https://evil.example/cb', response_type: 'token' });
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.headers.location).toBeUndefined();
    expect(String(elsewhere.data)).toMatch(/redirect URI is not registered/);
    expect((await authorize({ client_id: 'nobody', redirect_uri: redirectUri, response_type: 'token' })).status).toBe(400);

    const registered = await startGenesysSimulator({ browserClients: [{ clientId: 'app', redirectUris: ['https://agent.example/app/'] }] });
    try {
      const get = (uri: string) => http.get(`${registered.url}/oauth/authorize?${new URLSearchParams({ client_id: 'app', redirect_uri: uri, response_type: 'token' })}`);
      expect((await get('https://agent.example/app/')).status).toBe(200);
      expect((await get('http://localhost:5173/')).status).toBe(400);
    } finally {
      await registered.stop();
    }
  });

  it('a remembered login answers at once unless prompt=login asks for the page', async () => {
    const page = await authorize({ client_id: clientId, redirect_uri: redirectUri, response_type: 'token' });
    const done = await http.post(`${sim.url}/login/oauth/authorize`, submission(String(page.data), agentId, 'allow'), form);
    const session = String(done.headers['set-cookie']![0]).split(';')[0]!;
    const again = await authorize({ client_id: clientId, redirect_uri: redirectUri, response_type: 'token' }, { cookie: session });
    expect(again.status).toBe(302);
    const token = new URLSearchParams(new URL(again.headers.location as string).hash.slice(1)).get('access_token');
    expect((await http.get(`${sim.url}/api/v2/users/me`, { headers: { authorization: `Bearer ${token}` } })).data.id).toBe(agentId);
    expect((await authorize({ client_id: clientId, redirect_uri: redirectUri, response_type: 'token', prompt: 'login' }, { cookie: session })).status).toBe(200);
  });

  describe('driven by the Platform SDK as a browser app uses it', () => {
    const globals = globalThis as Record<string, unknown>;
    let replaced: string[];
    beforeEach(() => {
      replaced = [];
      globals.window = { crypto: globalThis.crypto, location: { hash: '', search: '', pathname: '/agent/', replace: (u: string) => void replaced.push(u) } };
      globals.history = { replaceState: () => undefined };
      globals.document = { title: 'agent' };
    });
    afterEach(() => {
      delete globals.window;
      delete globals.history;
      delete globals.document;
    });
    const sdk = () => {
      const client = createIsolatedApiClient({ region: 'cac1.pure.cloud', apiBaseUrl: undefined, timeoutMs: 5000 });
      const port = Number(new URL(sim.url).port);
      client.setGateway({ host: '127.0.0.1', protocol: 'http', port, path_params_login: 'login' } as Parameters<typeof client.setGateway>[0]);
      return client;
    };
    const location = () => (globals.window as { location: { hash: string; search: string } }).location;

    it('loginPKCEGrant: the authorize URL the SDK builds is served, and the SDK completes the exchange and its token test', async () => {
      const client = sdk();
      const verifier = randomBytes(48).toString('base64url');
      await Promise.race([client.loginPKCEGrant(clientId, redirectUri, { state: 'st' }, verifier), new Promise((r) => setTimeout(r, 500))]);
      expect(replaced).toHaveLength(1);
      const authorizeUrl = new URL(replaced[0]!);
      expect(authorizeUrl.pathname).toBe('/login/oauth/authorize');
      const page = await http.get(authorizeUrl.toString());
      const done = await http.post(`${sim.url}${authorizeUrl.pathname}`, submission(String(page.data), agentId, 'allow'), form);
      location().search = new URL(done.headers.location as string).search;
      const auth = await client.loginPKCEGrant(clientId, redirectUri, { state: 'st' }, verifier);
      expect(auth).toMatchObject({ accessToken: expect.any(String), state: 'st' });
      const me = await http.get(`${sim.url}/api/v2/users/me`, { headers: { authorization: `Bearer ${auth.accessToken}` } });
      expect(me.data.id).toBe(agentId);
    });

    it('loginImplicitGrant: the SDK reads the fragment the simulator sends back', async () => {
      const client = sdk();
      await Promise.race([client.loginImplicitGrant(clientId, redirectUri, { state: 'st' }), new Promise((r) => setTimeout(r, 500))]);
      const authorizeUrl = new URL(replaced[0]!);
      expect(authorizeUrl.searchParams.get('response_type')).toBe('token');
      const page = await http.get(authorizeUrl.toString());
      const done = await http.post(`${sim.url}${authorizeUrl.pathname}`, submission(String(page.data), agentId, 'allow'), form);
      location().hash = new URL(done.headers.location as string).hash;
      const auth = await client.loginImplicitGrant(clientId, redirectUri, { state: 'st' });
      expect(auth).toMatchObject({ accessToken: expect.any(String), state: 'st' });
    });
  });
});
