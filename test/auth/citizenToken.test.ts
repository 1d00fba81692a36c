import { SignJWT } from 'jose';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { citizenTokens, CITIZEN_TOKEN_AUDIENCE, CITIZEN_TOKEN_ISSUER, CITIZEN_TOKEN_SCOPE } from '../../src/adapters/auth/citizenToken';
import { loadConfig, parseConfig } from '../../src/config';

const KEY = 'k'.repeat(32);
const start = new Date('2026-03-02T18:00:00Z');
const bearer = (t: string) => `Bearer ${t}`;

describe('citizen token', () => {
  it('names the session it was minted for, until its exp', async () => {
    let now = start;
    const tokens = citizenTokens({ key: KEY, now: () => now });
    const token = await tokens.mint('mclocal-abc123', new Date(start.getTime() + 600_000));
    expect(await tokens.verify(bearer(token))).toEqual({ ok: true, sessionId: 'mclocal-abc123', issuedAt: start });
    now = new Date(start.getTime() + 610_000);
    expect(await tokens.verify(bearer(token))).toEqual({ ok: false, status: 401, reason: 'expired' });
  });

  it('refuses a missing, malformed or forged token as invalid (401)', async () => {
    const tokens = citizenTokens({ key: KEY, now: () => start });
    const forged = await citizenTokens({ key: 'f'.repeat(32), now: () => start }).mint('mclocal-abc123', new Date(start.getTime() + 600_000));
    for (const authorization of [undefined, '', 'Bearer', 'Bearer not.a.jwt', bearer(forged), `Basic ${forged}`]) {
      expect(await tokens.verify(authorization)).toEqual({ ok: false, status: 401, reason: 'invalid' });
    }
  });

  it('refuses a genuine token for another audience or scope as 403', async () => {
    const tokens = citizenTokens({ key: KEY, now: () => start });
    const sign = (aud: string, scope: string) =>
      new SignJWT({ scope })
        .setProtectedHeader({ alg: 'HS256' })
        .setIssuer(CITIZEN_TOKEN_ISSUER)
        .setAudience(aud)
        .setSubject('mclocal-abc123')
        .setIssuedAt(Math.floor(start.getTime() / 1000))
        .setExpirationTime(Math.floor(start.getTime() / 1000) + 600)
        .sign(new TextEncoder().encode(KEY));
    expect(await tokens.verify(bearer(await sign('api://maxconf-local', CITIZEN_TOKEN_SCOPE)))).toEqual({ ok: false, status: 403, reason: 'wrong_scope' });
    expect(await tokens.verify(bearer(await sign(CITIZEN_TOKEN_AUDIENCE, 'support')))).toEqual({ ok: false, status: 403, reason: 'wrong_scope' });
  });

  it('needs a key of at least 32 bytes', () => {
    expect(() => citizenTokens({ key: 'short' })).toThrow('32 bytes');
  });
});

describe('citizen token settings', () => {
  it('the local profile generates the key into the data dir once; a dev-secrets file from before keeps its other secrets', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mc-citizen-'));
    writeFileSync(join(dir, 'dev-secrets.json'), JSON.stringify({ eventSinkPassword: 'old-pw', genesysEventsApiKey: 'old-key' }));
    const first = loadConfig({ MAXCONF_DATA_DIR: dir });
    expect(first.pexip.eventSink.password).toBe('old-pw');
    expect(first.citizen.tokenKey!.length).toBeGreaterThanOrEqual(32);
    expect(loadConfig({ MAXCONF_DATA_DIR: dir }).citizen.tokenKey).toBe(first.citizen.tokenKey);
    expect(JSON.parse(readFileSync(join(dir, 'dev-secrets.json'), 'utf8')).citizenTokenKey).toBe(first.citizen.tokenKey);
  });

  it('the lifetime bounds the token: the TTL defaults to it and cannot exceed it', () => {
    const secrets = () => ({ eventSinkPassword: 'a', genesysEventsApiKey: 'b', citizenTokenKey: KEY });
    const config = parseConfig({}, secrets);
    expect(config.citizen.tokenTtlSeconds).toBe(config.deadlines.sessionLifetimeSeconds);
    expect(parseConfig({ CITIZEN_TOKEN_TTL_SECONDS: '600' }, secrets).citizen.tokenTtlSeconds).toBe(600);
    expect(parseConfig({ CITIZEN_TOKEN_TTL_SECONDS: '99999999' }, secrets).citizen.tokenTtlSeconds).toBe(config.deadlines.sessionLifetimeSeconds);
    expect(() => parseConfig({ CITIZEN_TOKEN_KEY: 'too-short' }, secrets)).toThrow('CITIZEN_TOKEN_KEY');
    expect(parseConfig({ CUSTOMER_APP_URL: 'https://join.example.ca/' }, secrets).citizen.customerAppUrl).toBe('https://join.example.ca');
  });

  it('outside the local profile nothing is generated: a Customer App without a key is a configuration error', () => {
    const secrets = () => ({ eventSinkPassword: 'a', genesysEventsApiKey: 'b' });
    const edge = { MAXCONF_ENV: 'edge', CUSTOMER_APP_URL: 'https://join.example.ca' };
    expect(() => parseConfig(edge, secrets)).toThrow(/CITIZEN_TOKEN_KEY is required with CUSTOMER_APP_URL|is required when MAXCONF_ENV/);
    expect(parseConfig({}, secrets).citizen.tokenKey).toBeUndefined();
  });
});
