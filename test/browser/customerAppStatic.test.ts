import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import type { Page } from 'playwright-core';
import { launchChromium, type LaunchedBrowser } from './chromium';

/**
 * The built Customer App in Debian's Chromium. The only stub is MaxConf's citizen API, as
 * docs/customer-app.md defines it (and config.json); the conference node is a port nothing listens
 * on. Each screen the page reaches without a conference node (service hours, device check, every
 * failure, ended) is checked for its words in English or French and with axe-core (no serious or
 * critical violation). `CUSTOMER_APP_SCREENSHOTS=1` writes docs/screenshots/customer-app/.
 */

const ROOT = join(__dirname, '../..');
const DIST = join(ROOT, 'apps/customer-app/dist');
const SHOTS = join(ROOT, 'docs/screenshots/customer-app');
const TOKEN = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJyb29tLTQyIn0.c2lnbmF0dXJlLW9mLXRoZS10ZXN0';
const GUEST_PIN = '4821';
const TYPES: Record<string, string> = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.map': 'application/json' };
const ALWAYS_OPEN = { timeZone: 'America/Regina', regular: [{ startDay: 'MONDAY', endDay: 'SUNDAY', startTime: '00:00', endTime: '23:59' }] };

interface Stubs {
  hours: unknown;
  session: { status: number; body: unknown };
  requests: Array<{ path: string; authorization?: string }>;
}

let server: Server;
let origin = '';
let stubs: Stubs;
let withUi: LaunchedBrowser;
let withoutUi: LaunchedBrowser;

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

const problem = (status: number, type: string, title: string) => ({ status, body: { type: `https://maxconf.ca/problems/${type}`, title, status } });

function handle(req: IncomingMessage, res: ServerResponse) {
  const url = new URL(req.url ?? '/', origin);
  const path = url.pathname;
  if (path === '/config.json') {
    return json(res, 200, { environment: 'browser-test', maxconfApiBase: `${origin}/maxconf`, conferenceNodeUrl: 'http://127.0.0.1:9', serviceHours: stubs.hours, reconnectGraceSeconds: 30 });
  }
  if (path.startsWith('/maxconf/public/citizen/')) {
    stubs.requests.push({ path, ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}) });
    if (req.headers.authorization !== `Bearer ${TOKEN}`) return json(res, 401, problem(401, 'token-invalid', 'The citizen token is not valid').body);
    if (path === '/maxconf/public/citizen/session') return json(res, stubs.session.status, stubs.session.body);
    // a port nothing listens on: the conference node cannot be reached
    if (path === '/maxconf/public/citizen/room') return json(res, 200, { alias: 'mc_room-42', guestPin: GUEST_PIN, conferenceNode: '127.0.0.1:9' });
    if (path === '/maxconf/public/citizen/leave' && req.method === 'POST') return json(res, 200, { phase: 'ended', outcome: 'citizen_left', pollAfterSeconds: 5 });
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
  if (!existsSync(join(DIST, 'index.html'))) throw new Error('apps/customer-app/dist is missing: run "npm run build:apps" first');
  server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://localhost:${(server.address() as AddressInfo).port}`;
  [withUi, withoutUi] = await Promise.all([launchChromium(), launchChromium({ fakeMediaUi: false })]);
}, 120_000);

afterAll(async () => {
  await Promise.all([withUi?.close(), withoutUi?.close()]);
  await new Promise((resolve) => server?.close(resolve));
});

beforeEach(() => {
  stubs = { hours: ALWAYS_OPEN, session: { status: 200, body: { phase: 'waiting_for_citizen', pollAfterSeconds: 3 } }, requests: [] };
});

const joinLink = (lang?: 'fr') => `${origin}/#alias=mc_room-42&token=${TOKEN}${lang ? `&lang=${lang}` : ''}`;

async function open(browser: LaunchedBrowser, url: string, selector: string, initScript?: string): Promise<{ page: Page; console: string[] }> {
  const page = await browser.context.newPage();
  const console: string[] = [];
  page.on('console', (m) => console.push(m.text()));
  if (initScript) await page.addInitScript(initScript);
  await page.goto(url);
  await page.locator(selector).waitFor({ timeout: 20_000 });
  return { page, console };
}

async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  return page.evaluate(`axe
    .run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } })
    .then((r) => r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id + ' (' + v.nodes.length + ')'))`);
}

async function accessible(page: Page, shot?: string) {
  expect(await seriousViolations(page)).toEqual([]);
  if (shot && process.env.CUSTOMER_APP_SCREENSHOTS === '1') {
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, `${shot}.png`), fullPage: true });
  }
}

/** The failure's words, keyboard focus on its heading, and axe. */
async function expectFailure(page: Page, kind: string, title: RegExp, next: RegExp) {
  const panel = page.locator(`[data-failure="${kind}"]`);
  expect(await panel.getByRole('heading').textContent()).toMatch(title);
  expect(await panel.textContent()).toMatch(next);
  expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe('failure-title');
  await accessible(page);
}

const rejectGetUserMedia = (name: string) => `navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('refused in this test', '${name}'));`;

describe('the Customer App in Chromium', () => {
  it('device check (English): camera preview, microphone level, speaker test; the token leaves the address bar and is stored nowhere', async () => {
    const { page, console } = await open(withUi, joinLink(), '[data-screen="check"]');
    expect(page.url()).toBe(`${origin}/`);
    // the entry was replaced, not added: Back does not bring the token back
    expect(await page.evaluate('location.hash')).toBe('');
    expect(await page.evaluate(() => ({ local: Object.keys(localStorage), session: Object.keys(sessionStorage) }))).toEqual({ local: [], session: [] });
    // the fake camera plays in the preview; the fake microphone's tone moves the meter
    await page.waitForFunction("document.querySelector('.preview video')?.videoWidth > 0", undefined, { timeout: 10_000 });
    await page.waitForFunction(`Number(document.querySelector('[data-testid="mic-level"]')?.value) > 0`, undefined, { timeout: 10_000 });
    expect(await page.getByRole('button', { name: 'Play a test sound' }).isEnabled()).toBe(true);
    expect(await page.getByRole('combobox', { name: 'Camera' }).count()).toBe(1);
    expect(await page.getByRole('combobox', { name: 'Microphone' }).count()).toBe(1);
    expect(stubs.requests.every((r) => r.authorization === `Bearer ${TOKEN}`)).toBe(true);
    expect(stubs.requests.map((r) => r.path)).toEqual(['/maxconf/public/citizen/session']);
    await accessible(page, 'device-check-en');
    expect(console.join('\n')).not.toContain(TOKEN);
    await page.close();
  });

  it('device check in French (lang=fr in the link), then switched to English by keyboard', async () => {
    const { page } = await open(withUi, joinLink('fr'), '[data-screen="check"]');
    expect(await page.getByRole('heading', { level: 2 }).textContent()).toMatch(/Vérifiez votre caméra/);
    expect(await page.evaluate('document.documentElement.lang')).toBe('fr-CA');
    await accessible(page, 'device-check-fr');
    await page.getByRole('button', { name: 'English' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: /Check your camera/ }).waitFor({ timeout: 5_000 });
    await page.close();
  });

  it('outside service hours: says so and when it opens, before any device check', async () => {
    stubs.hours = { timeZone: 'America/Regina', regular: [{ startDay: 'MONDAY', endDay: 'FRIDAY', startTime: '07:30', endTime: '17:00' }], closedDates: nextDays(2) };
    const { page } = await open(withUi, joinLink(), '[data-screen="closed"]');
    expect(await page.getByRole('heading', { level: 2 }).textContent()).toMatch(/closed right now/);
    expect(await page.getByTestId('opens-at').textContent()).toMatch(/Video calls open on \w+day, \w+ \d+ at 7:30/);
    // no device was asked for
    expect(await page.locator('video').count()).toBe(0);
    await accessible(page, 'closed-en');
    await page.getByRole('button', { name: 'Français' }).click();
    expect(await page.getByTestId('opens-at').textContent()).toMatch(/Les appels vidéo ouvrent le \S+ \d+ \S+ à 0?7 h 30/);
    await accessible(page);
    await page.close();
  });

  it('a session that has ended shows its outcome in plain words (English and French)', async () => {
    stubs.session = { status: 200, body: { phase: 'ended', outcome: 'completed', pollAfterSeconds: 30 } };
    const { page } = await open(withUi, joinLink(), '[data-screen="ended"]');
    expect(await page.locator('[data-screen="ended"]').textContent()).toMatch(/Your call with Service BC is finished/);
    expect(await page.getByTestId('announce').textContent()).toMatch(/The call has ended/);
    await accessible(page, 'ended-en');
    await page.getByRole('button', { name: 'Français' }).click();
    expect(await page.locator('[data-screen="ended"]').textContent()).toMatch(/Votre appel avec Service BC est terminé/);
    await accessible(page, 'ended-fr');
    await page.close();
  });

  it('a link without its token: invalid link', async () => {
    const { page } = await open(withUi, `${origin}/#alias=mc_room-42`, '[data-failure="link-invalid"]');
    await expectFailure(page, 'link-invalid', /This call link is not valid/, /Open the link exactly as you received it/);
    expect(stubs.requests).toEqual([]);
    await page.close();
  });

  it('an expired link (401 token-expired), in French', async () => {
    stubs.session = problem(401, 'token-expired', 'The citizen token has expired');
    const { page } = await open(withUi, joinLink('fr'), '[data-failure="link-expired"]');
    await expectFailure(page, 'link-expired', /Ce lien d’appel a expiré/, /Demandez un nouvel appel vidéo/);
    await page.close();
  });

  it('another session’s token (403): invalid link', async () => {
    stubs.session = problem(403, 'forbidden', 'The token is for another session');
    const { page } = await open(withUi, joinLink(), '[data-failure="link-invalid"]');
    await expectFailure(page, 'link-invalid', /not valid/, /ask for a new video call/);
    await page.close();
  });

  it('the room has already ended (410)', async () => {
    stubs.session = problem(410, 'session-ended', 'The session has ended');
    const { page } = await open(withUi, joinLink(), '[data-failure="room-ended"]');
    await expectFailure(page, 'room-ended', /This video call has already ended/, /Ask for a new video call/);
    await page.close();
  });

  it('camera and microphone permission denied', async () => {
    const { page } = await open(withoutUi, joinLink(), '[data-failure="permission-denied"]');
    await expectFailure(page, 'permission-denied', /not allowed to use your camera and microphone/, /Allow the camera and microphone for this site/);
    await page.close();
  });

  it('camera in use by another application (NotReadableError), in French', async () => {
    const { page } = await open(withUi, joinLink('fr'), '[data-failure="camera-in-use"]', rejectGetUserMedia('NotReadableError'));
    await expectFailure(page, 'camera-in-use', /utilisé par une autre application/, /Fermez l’autre application/);
    await page.close();
  });

  it('no camera (NotFoundError)', async () => {
    const { page } = await open(withUi, joinLink(), '[data-failure="no-camera"]', rejectGetUserMedia('NotFoundError'));
    await expectFailure(page, 'no-camera', /No camera or microphone was found/, /Connect a camera/);
    await page.close();
  });

  it('a browser without WebRTC: unsupported browser', async () => {
    const { page } = await open(withUi, joinLink(), '[data-failure="unsupported-browser"]', 'delete window.RTCPeerConnection;');
    await expectFailure(page, 'unsupported-browser', /This browser cannot make video calls/, /recent version of Chrome, Edge, Firefox or Safari/);
    await page.close();
  });

  it('Join with the conference node unreachable; the guest PIN never reaches the console', async () => {
    const { page, console } = await open(withUi, joinLink(), '[data-screen="check"]');
    await page.getByRole('button', { name: 'Join the video call' }).click();
    await page.locator('[data-failure="node-unreachable"]').waitFor({ timeout: 20_000 });
    await expectFailure(page, 'node-unreachable', /The video server cannot be reached/, /VPN may block video calls/);
    expect(stubs.requests.map((r) => r.path)).toContain('/maxconf/public/citizen/room');
    expect(console.join('\n')).not.toContain(GUEST_PIN);
    expect(console.join('\n')).not.toContain(TOKEN);
    await page.close();
  });
});

/** Today and the next local dates in Regina (UTC−6 all year), as YYYY-MM-DD: closed days, so the page is closed now. */
function nextDays(n: number): string[] {
  const days: string[] = [];
  for (let i = 0; i < n; i += 1) days.push(new Date(Date.now() - 6 * 3_600_000 + i * 86_400_000).toISOString().slice(0, 10));
  return days;
}
