import { citizenApi } from '../../apps/customer-app/src/citizenApi';
import { parseConfig } from '../../apps/customer-app/src/config';
import { deviceFailureOf } from '../../apps/customer-app/src/media/deviceFailure';
import { parseJoinLink, withoutFragment } from '../../apps/customer-app/src/link';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const TOKEN = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJyb29tLTQyIn0.c2lnbmF0dXJl';

describe('the join link (fragment only)', () => {
  it('reads alias, token and language from the fragment', () => {
    expect(parseJoinLink(`#alias=mc_room-42&token=${TOKEN}&lang=fr`)).toEqual({ alias: 'mc_room-42', token: TOKEN, lang: 'fr' });
  });

  it('refuses a link without a token, with a token that is not a JWS, or with an odd alias', () => {
    expect(parseJoinLink('#alias=room-42')).toBeUndefined();
    expect(parseJoinLink('#alias=room-42&token=1234')).toBeUndefined();
    expect(parseJoinLink(`#alias=room%2F..%2Fx&token=${TOKEN}`)).toBeUndefined();
    expect(parseJoinLink('')).toBeUndefined();
  });

  it('the address bar keeps the page without its fragment', () => {
    expect(withoutFragment(`https://customer.example/?x=1#alias=a&token=${TOKEN}`)).toBe('https://customer.example/?x=1');
  });
});

describe('config.json', () => {
  it.each(['test', 'production'])('the %s environment file is a valid config', (env) => {
    const text = readFileSync(join(__dirname, `../../apps/customer-app/environments/${env}.json`), 'utf8');
    expect(parseConfig(200, text).ok).toBe(true);
  });

  it('names the wrong field', () => {
    const bad = { environment: 'x', maxconfApiBase: 'https://a.example', conferenceNodeUrl: 'https://b.example', serviceHours: { timeZone: 'Mars/Olympus', regular: [] } };
    expect(parseConfig(200, JSON.stringify(bad))).toEqual({ ok: false, kind: 'config-invalid', detail: expect.stringContaining('serviceHours.timeZone') });
    expect(parseConfig(404, '')).toEqual({ ok: false, kind: 'config-missing', detail: 'config.json: HTTP 404' });
  });
});

describe('getUserMedia errors → what the citizen must do', () => {
  it.each([
    ['NotAllowedError', 'permission-denied'],
    ['SecurityError', 'permission-denied'],
    ['NotFoundError', 'no-camera'],
    ['NotReadableError', 'camera-in-use'],
    ['AbortError', 'camera-in-use'],
    ['NotSupportedError', 'unsupported-browser'],
  ])('%s → %s', (name, kind) => expect(deviceFailureOf(name)).toBe(kind));
});

describe('the citizen routes', () => {
  const answers: Array<{ url: string; init: RequestInit }> = [];
  const fetcher = (status: number, body: unknown, headers: Record<string, string> = {}) =>
    (async (url: string, init: RequestInit) => {
      answers.push({ url, init });
      return new Response(status === 204 ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
    }) as unknown as typeof fetch;

  it('sends the token as a bearer header, never in the URL, and does not cache', async () => {
    const api = citizenApi('https://api.example', TOKEN, fetcher(200, { phase: 'queued', position: 3, estimatedWaitSeconds: 240, pollAfterSeconds: 5 }));
    expect(await api.session()).toEqual({ ok: true, value: { phase: 'queued', position: 3, estimatedWaitSeconds: 240, pollAfterSeconds: 5 } });
    const sent = answers.at(-1)!;
    expect(sent.url).toBe('https://api.example/public/citizen/session');
    expect(sent.url).not.toContain(TOKEN);
    expect((sent.init.headers as Record<string, string>).authorization).toBe(`Bearer ${TOKEN}`);
    expect((sent.init as { cache?: string }).cache).toBe('no-store');
  });

  it.each([
    [401, 'https://maxconf.ca/problems/token-expired', 'link-expired'],
    [401, 'https://maxconf.ca/problems/token-invalid', 'link-invalid'],
    [403, 'https://maxconf.ca/problems/forbidden', 'link-invalid'],
    [404, 'https://maxconf.ca/problems/session-not-found', 'link-invalid'],
    [410, 'https://maxconf.ca/problems/session-ended', 'room-ended'],
    [503, 'about:blank', 'api-unavailable'],
  ])('HTTP %s (%s) → %s', async (status, type, kind) => {
    const api = citizenApi('https://api.example', TOKEN, fetcher(status, { type, title: 't', status }));
    expect(await api.session()).toMatchObject({ ok: false, kind });
  });

  it('a 429 carries its Retry-After', async () => {
    const api = citizenApi('https://api.example', TOKEN, fetcher(429, { type: 'about:blank', status: 429 }, { 'retry-after': '7' }));
    expect(await api.session()).toMatchObject({ ok: false, kind: 'rate-limited', retryAfterSeconds: 7 });
  });

  it('an answer outside the contract is not trusted', async () => {
    const api = citizenApi('https://api.example', TOKEN, fetcher(200, { alias: 'room-42', guestPin: 'abc', conferenceNode: 'n' }));
    expect(await api.room()).toMatchObject({ ok: false, kind: 'api-unavailable', detail: 'room: unexpected answer' });
  });

  it('leave is a POST and may answer 204', async () => {
    const api = citizenApi('https://api.example', TOKEN, fetcher(204, undefined));
    expect(await api.leave()).toEqual({ ok: true, value: undefined });
    expect(answers.at(-1)!.init.method).toBe('POST');
    expect(answers.at(-1)!.url).toBe('https://api.example/public/citizen/leave');
  });
});
