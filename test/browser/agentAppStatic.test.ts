import { mkdirSync, readFileSync, existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import type { Page } from 'playwright-core';
import { WebSocketServer } from 'ws';
import { launchChromium, type LaunchedBrowser } from './chromium';

/**
 * The built Agent App in Debian's Chromium, for the failures a user must understand. Only what a
 * failure needs is stubbed (config.json; Genesys's OAuth and REST answers where the failure lies
 * past sign-in; MaxConf's public room route); the real Genesys SDK runs the OAuth flow in the page.
 * Every state is checked with axe-core (no serious or critical violation) in English and French.
 * `AGENT_APP_SCREENSHOTS=1` writes the screenshots under docs/screenshots/agent-app/.
 */

const ROOT = join(__dirname, '../..');
const DIST = join(ROOT, 'apps/agent-app/dist');
const SHOTS = join(ROOT, 'docs/screenshots/agent-app');
const CONVERSATION = '3f1c2a9e-8b7d-4e61-9a0b-5c4d3e2f1a00';
const PIN = '918273';
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.map': 'application/json' };

interface Stubs {
  config: { status: number; body: string } | 'valid';
  authorize: 'deny' | 'allow';
  room: 200 | 403 | 404;
}

let server: Server;
let origin = '';
let stubs: Stubs;
let withUi: LaunchedBrowser;
let withoutUi: LaunchedBrowser;

function validConfig(): string {
  const port = new URL(origin).port;
  return JSON.stringify({
    environment: 'browser-test',
    maxconfApiBase: `${origin}/maxconf`,
    // a port nothing listens on: the conference node is unreachable
    conferenceNodeUrl: 'http://127.0.0.1:9',
    genesys: {
      gateway: { host: 'localhost', protocol: 'http', port: Number(port), pathParamsLogin: 'login' },
      oauthClientId: 'agent-app-test',
      grant: 'pkce',
      allowedParentOrigin: 'https://apps.cac1.pure.cloud',
    },
  });
}

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function handle(req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url ?? '/', origin);
  const path = url.pathname;
  const authorized = req.headers.authorization === 'Bearer agent-token';
  if (path === '/config.json') {
    if (stubs.config === 'valid') return json(res, 200, JSON.parse(validConfig()));
    res.writeHead(stubs.config.status, { 'content-type': 'application/json' });
    return res.end(stubs.config.body);
  }
  if (path === '/login/oauth/authorize') {
    const back = new URL(url.searchParams.get('redirect_uri')!);
    if (stubs.authorize === 'deny') {
      back.searchParams.set('error', 'access_denied');
      back.searchParams.set('error_description', 'The user denied the request');
    } else {
      expect(url.searchParams.get('code_challenge_method')).toBe('S256');
      back.searchParams.set('code', 'auth-code-1');
    }
    back.searchParams.set('state', url.searchParams.get('state') ?? '');
    res.writeHead(302, { location: back.toString() });
    return res.end();
  }
  if (path === '/login/oauth/token' && req.method === 'POST') return json(res, 200, { access_token: 'agent-token', token_type: 'bearer', expires_in: 3600 });
  if (path.startsWith('/api/v2/') && !authorized) return json(res, 401, { message: 'No authentication bearer token specified', code: 'bad.credentials', status: 401 });
  if (path === '/api/v2/tokens/me') return json(res, 200, { name: 'agent-app-test' });
  if (path === '/api/v2/users/me') return json(res, 200, { id: 'user-1', name: 'Agent Test' });
  if (path === `/api/v2/conversations/${CONVERSATION}`) {
    return json(res, 200, {
      id: CONVERSATION,
      participants: [
        { id: 'p1', purpose: 'customer', aniName: 'room-42', calls: [{ state: 'connected' }] },
        { id: 'p2', purpose: 'agent', userId: 'user-1', calls: [{ state: 'connected', held: false, muted: false }] },
      ],
    });
  }
  if (path === '/api/v2/notifications/channels' && req.method === 'POST') {
    return json(res, 200, { id: 'channel-1', connectUri: `${origin.replace('http', 'ws')}/channels/channel-1`, expires: new Date(Date.now() + 86_400_000).toISOString() });
  }
  if (path.startsWith('/api/v2/notifications/channels/channel-1')) return json(res, 200, { entities: [] });
  if (path === '/maxconf/public/room/room-42') {
    expect(req.headers['x-auth-token']).toBe('agent-token');
    if (stubs.room === 404) return json(res, 404, { type: 'https://maxconf.ca/problems/room-not-found', title: 'No room has this name', status: 404 });
    if (stubs.room === 403) return json(res, 403, { type: 'https://maxconf.ca/problems/forbidden', title: 'The user is not in a division allowed to join rooms', status: 403 });
    return json(res, 200, { id: 1, name: 'room-42', pin: PIN, guest_pin: '1234', aliases: [{ alias: 'room-42' }] });
  }
  const file = normalize(join(DIST, path === '/' ? 'index.html' : path));
  if (!file.startsWith(DIST) || !existsSync(file)) {
    res.writeHead(404, { 'content-type': 'text/plain' });
    return res.end('not found');
  }
  res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
  res.end(readFileSync(file));
}

beforeAll(async () => {
  if (!existsSync(join(DIST, 'index.html'))) throw new Error('apps/agent-app/dist is missing: run "npm run build:apps" first');
  server = createServer(handle);
  new WebSocketServer({ server });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://localhost:${(server.address() as AddressInfo).port}`;
  [withUi, withoutUi] = await Promise.all([launchChromium(), launchChromium({ fakeMediaUi: false })]);
}, 120_000);

afterAll(async () => {
  await Promise.all([withUi?.close(), withoutUi?.close()]);
  await new Promise((resolve) => server?.close(resolve));
});

beforeEach(() => {
  stubs = { config: 'valid', authorize: 'allow', room: 200 };
});

const launchUrl = (lang: string, host = 'https://apps.cac1.pure.cloud') =>
  `${origin}/?pcConversationId=${CONVERSATION}&gcHostOrigin=${encodeURIComponent(host)}&gcTargetEnv=prod-cac1&pcLangTag=${lang}`;

// records what the page asks getUserMedia for, before the app runs
const RECORD_MEDIA_REQUESTS = `(() => {
  const asked = (window.__mediaRequests = []);
  const original = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
  navigator.mediaDevices.getUserMedia = (constraints) => { asked.push(JSON.parse(JSON.stringify(constraints))); return original(constraints); };
})()`;

async function open(browser: LaunchedBrowser, lang: string, failure: string, host?: string): Promise<{ page: Page; console: string[] }> {
  const page = await browser.context.newPage();
  const console: string[] = [];
  page.on('console', (m) => console.push(m.text()));
  await page.addInitScript(RECORD_MEDIA_REQUESTS);
  await page.goto(launchUrl(lang, host));
  await page.locator(`[data-failure="${failure}"]`).waitFor({ timeout: 20_000 });
  return { page, console };
}

async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  return page.evaluate(`axe
    .run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } })
    .then((r) => r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id + ' (' + v.nodes.length + ')'))`);
}

async function failureText(page: Page): Promise<{ title: string; all: string }> {
  const panel = page.getByRole('alert');
  return { title: (await panel.getByRole('heading').textContent()) ?? '', all: (await panel.textContent()) ?? '' };
}

/** The failure's words, keyboard focus on it, no serious axe violation, and the screenshot when asked. */
async function check(page: Page, name: string, title: RegExp, next: RegExp, options: { focused?: boolean } = {}) {
  const text = await failureText(page);
  expect(text.title).toMatch(title);
  expect(text.all).toMatch(next);
  // a keyboard user lands on the failure (Retry is the next Tab stop)
  if (options.focused !== false) expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe('failure-title');
  expect(await seriousViolations(page)).toEqual([]);
  if (process.env.AGENT_APP_SCREENSHOTS === '1') {
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, `${name}.png`) });
  }
}

describe('the Agent App in Chromium: each failure says what happened and what to do next', () => {
  it('config.json missing (English)', async () => {
    stubs.config = { status: 404, body: '{}' };
    const { page } = await open(withUi, 'en-us', 'config-missing');
    await check(page, 'config-missing-en', /config\.json is missing/, /deployed without its config\.json/);
    await page.close();
  });

  it('config.json invalid, naming the field (French)', async () => {
    stubs.config = { status: 200, body: JSON.stringify({ environment: 'x', maxconfApiBase: 'not a url' }) };
    const { page } = await open(withUi, 'fr-ca', 'config-invalid');
    await check(page, 'config-invalid-fr', /ne sont pas valides/, /maxconfApiBase/);
    await page.close();
  });

  it('Genesys sign-in refused (the authorize page answers error=access_denied), English then French by keyboard', async () => {
    stubs.authorize = 'deny';
    const { page } = await open(withUi, 'en-us', 'login-denied');
    await check(page, 'login-denied-en', /Genesys sign-in was refused/, /Select Retry and accept the sign-in/);
    // no OAuth answer stays in the address bar
    expect(page.url()).not.toMatch(/error=|code=/);
    // Tab from the failure to Retry, then back to the language buttons, switch with Enter
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement.textContent')).toBe('Retry');
    await page.getByRole('button', { name: 'Français' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: /La connexion à Genesys a été refusée/ }).waitFor({ timeout: 5_000 });
    await check(page, 'login-denied-fr', /La connexion à Genesys a été refusée/, /Sélectionnez Réessayer/, { focused: false });
    expect(await page.evaluate('document.documentElement.lang')).toBe('fr-CA');
    await page.close();
  });

  it('room not found (MaxConf 404), after a PKCE sign-in', async () => {
    stubs.room = 404;
    const { page } = await open(withUi, 'en-us', 'room-not-found');
    await check(page, 'room-not-found-en', /video room for this call was not found/, /Continue by voice/);
    // the PKCE verifier is gone from sessionStorage once used, and nothing is in localStorage
    const stored = await page.evaluate(() => ({ session: Object.keys(sessionStorage).filter((k) => /pkce/.test(k)), local: Object.keys(localStorage) }));
    expect(stored).toEqual({ session: [], local: [] });
    await page.close();
  });

  it('agent not allowed (MaxConf 403), French', async () => {
    stubs.room = 403;
    const { page } = await open(withUi, 'fr-ca', 'agent-not-allowed');
    await check(page, 'agent-not-allowed-fr', /n’est pas autorisé à joindre/, /division autorisée/);
    await page.close();
  });

  it('camera permission denied', async () => {
    const { page } = await open(withoutUi, 'en-us', 'camera-denied');
    await check(page, 'camera-denied-en', /not allowed to use your camera/, /Allow the camera for Genesys Cloud/);
    await page.close();
  });

  it('conference node unreachable, and the host PIN never reaches the console', async () => {
    const { page, console } = await open(withUi, 'en-us', 'node-unreachable');
    await check(page, 'node-unreachable-en', /video conference server cannot be reached/, /Check your network or VPN/);
    expect(console.join('\n')).not.toContain(PIN);
    expect(console.join('\n')).not.toContain('agent-token');
    // the camera was opened for the join, the microphone never asked for
    const asked = (await page.evaluate('window.__mediaRequests')) as Array<{ audio?: unknown; video?: unknown }>;
    expect(asked.length).toBeGreaterThan(0);
    for (const request of asked) {
      expect(request.video).toBeTruthy();
      expect(request.audio).toBeFalsy();
    }
    await page.close();
  });

  it('opened from a page that is not the Genesys desktop (gcHostOrigin), French', async () => {
    const { page } = await open(withUi, 'fr-ca', 'parent-not-allowed', 'https://evil.example');
    await check(page, 'parent-not-allowed-fr', /une page à laquelle il ne fait pas confiance/, /bureau de l’agent Genesys Cloud/);
    await page.close();
  });
});
