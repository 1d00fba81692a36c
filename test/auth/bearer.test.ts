import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPair, SignJWT } from 'jose';
import { parseConfig } from '../../src/config';
import { bearerVerifier, devJwks, localKeys, mintDevToken, ROLES, VERIFIED_TOKEN_TTL_MS, verifierFromConfig } from '../../src/adapters/auth';

const dataDir = mkdtempSync(join(tmpdir(), 'mc-auth-'));
const config = parseConfig({ MAXCONF_DATA_DIR: dataDir }, () => ({ eventSinkPassword: 'x', genesysEventsApiKey: 'y' }));
const verifier = verifierFromConfig(config);
const mint = (roles: string[], extra: Partial<Parameters<typeof mintDevToken>[0]> = {}) =>
  mintDevToken({ dataDir, issuer: config.auth.issuer, audience: config.auth.audience, roles, ...extra });

describe('bearer tokens', () => {
  it('accepts a dev IDIM token and reports its subject and roles', async () => {
    const result = await verifier.verify(`Bearer ${await mint([ROLES.idim])}`);
    expect(result).toEqual({ ok: true, principal: { subject: 'dev-idim', roles: ['IDIM'] } });
  });

  it('refuses a missing or malformed header with 401', async () => {
    expect(await verifier.verify(undefined)).toMatchObject({ ok: false, status: 401 });
    expect(await verifier.verify('Basic abc')).toMatchObject({ ok: false, status: 401 });
  });

  it('refuses a token without the required role with 403', async () => {
    const result = await verifier.verify(`Bearer ${await mint([ROLES.idim])}`, ROLES.support);
    expect(result).toMatchObject({ ok: false, status: 403, reason: expect.stringContaining('Support') });
  });

  it('refuses expired, wrong-audience and foreign-signed tokens with 401', async () => {
    expect(await verifier.verify(`Bearer ${await mint([ROLES.idim], { expiresInSeconds: -120 })}`)).toMatchObject({
      status: 401,
      reason: 'the token has expired',
    });
    expect(await verifier.verify(`Bearer ${await mint([ROLES.idim], { audience: 'api://other' })}`)).toMatchObject({
      status: 401,
      reason: expect.stringContaining('aud'),
    });
    const { privateKey } = await generateKeyPair('ES256');
    const forged = await new SignJWT({ roles: ['Support'] })
      .setProtectedHeader({ alg: 'ES256', kid: 'forged' })
      .setIssuer(config.auth.issuer)
      .setAudience(config.auth.audience)
      .setExpirationTime('1h')
      .sign(privateKey);
    expect(await verifier.verify(`Bearer ${forged}`)).toMatchObject({ ok: false, status: 401 });
  });

  it('remembers a verified token until its expiry (with the 60 s tolerance) or the cache lifetime, and still checks the role each time', async () => {
    let clock = Date.now();
    const remembering = bearerVerifier({ keys: localKeys(await devJwks(dataDir)), issuer: config.auth.issuer, audience: config.auth.audience }, () => clock);
    const shortLived = `Bearer ${await mint([ROLES.idim], { expiresInSeconds: 30 })}`;
    expect(await remembering.verify(shortLived, ROLES.idim)).toMatchObject({ ok: true });
    expect(await remembering.verify(shortLived, ROLES.support)).toMatchObject({ ok: false, status: 403 });
    clock += 85_000; // 30 s token + 60 s tolerance: still good at 85 s
    expect(await remembering.verify(shortLived, ROLES.idim)).toMatchObject({ ok: true });
    clock += 10_000; // past exp + 60 s: jose would refuse it, so must the cache
    expect(await remembering.verify(shortLived, ROLES.idim)).toMatchObject({ ok: false, status: 401 });

    const longLived = `Bearer ${await mint([ROLES.idim], { expiresInSeconds: 3600 })}`;
    clock = Date.now();
    expect(await remembering.verify(longLived)).toMatchObject({ ok: true });
    // a changed token (one character) is a different key and is verified (and refused) on its own
    expect(await remembering.verify(`${longLived.slice(0, -2)}${longLived.endsWith('A') ? 'B' : 'A'}${longLived.slice(-1)}`)).toMatchObject({ ok: false, status: 401 });
    clock += VERIFIED_TOKEN_TTL_MS + 1; // past the cache lifetime: verified again, and still good
    expect(await remembering.verify(longLived)).toMatchObject({ ok: true });
  });
});
