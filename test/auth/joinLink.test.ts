import { citizenTokens } from '../../src/adapters/auth/citizenToken';
import { joinLinks, joinLinksFromConfig } from '../../src/http/joinLink';
import { decodeJwt } from 'jose';

const now = new Date('2026-03-02T18:00:00Z');
const tokens = citizenTokens({ key: 'k'.repeat(32), now: () => now });

describe('join link', () => {
  it('carries the alias and a token for the session in the fragment only', async () => {
    const links = joinLinks({ tokens, customerAppUrl: 'https://join.example.ca', tokenTtlSeconds: 3600, sessionLifetimeSeconds: 7200, now: () => now });
    const link = new URL((await links.linkFor({ sessionId: 'mclocal-abc', alias: 'mclocal-abc', createdAt: now }))!);
    expect(link.origin + link.pathname).toBe('https://join.example.ca/');
    expect(link.search).toBe('');
    const fragment = new URLSearchParams(link.hash.slice(1));
    expect(fragment.get('alias')).toBe('mclocal-abc');
    const token = fragment.get('token')!;
    expect(decodeJwt(token)).toMatchObject({ sub: 'mclocal-abc', exp: now.getTime() / 1000 + 3600 });
    expect(await tokens.verify(`Bearer ${token}`)).toMatchObject({ ok: true, sessionId: 'mclocal-abc' });
  });

  it('a token lives the TTL from its session start, never past the session; every mint for a session is the same link', async () => {
    const links = joinLinks({ tokens, customerAppUrl: 'https://join.example.ca', tokenTtlSeconds: 7200, sessionLifetimeSeconds: 3600, now: () => now });
    const createdAt = new Date(now.getTime() - 600_000);
    const link = await links.linkFor({ sessionId: 'mclocal-abc', alias: 'mclocal-abc', createdAt });
    expect(decodeJwt(new URLSearchParams(new URL(link!).hash.slice(1)).get('token')!)).toMatchObject({ iat: createdAt.getTime() / 1000, exp: createdAt.getTime() / 1000 + 3600 });
    expect(await links.linkFor({ sessionId: 'mclocal-abc', alias: 'mclocal-abc', createdAt })).toBe(link);
    expect(await links.linkFor({ sessionId: 'mclocal-abc', alias: 'mclocal-abc', createdAt: new Date(now.getTime() - 3600_000) })).toBeUndefined();
  });

  it('none without a Customer App address or a token key', () => {
    const config = { citizen: { customerAppUrl: undefined, tokenTtlSeconds: 60 }, deadlines: { sessionLifetimeSeconds: 60 } };
    expect(joinLinksFromConfig(config, tokens, () => now)).toBeUndefined();
    expect(joinLinksFromConfig({ ...config, citizen: { customerAppUrl: 'https://x.example', tokenTtlSeconds: 60 } }, undefined, () => now)).toBeUndefined();
  });
});
