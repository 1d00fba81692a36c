import { errors, jwtVerify, SignJWT } from 'jose';
import type { CitizenTokenCheck, CitizenTokens } from '../../contracts/ports';

/**
 * The citizen token: HS256 over a key only MaxConf holds (CITIZEN_TOKEN_KEY), `sub` the session
 * id, `aud` and `scope` that only the citizen routes accept, `exp` at most the session's
 * lifetime. A symmetric key is enough: MaxConf is both the only issuer and the only verifier.
 */
export const CITIZEN_TOKEN_ISSUER = 'maxconf';
export const CITIZEN_TOKEN_AUDIENCE = 'maxconf-citizen';
export const CITIZEN_TOKEN_SCOPE = 'citizen.session';
const MIN_KEY_BYTES = 32;
/** the citizen's clock does not matter (the token is checked here); only this host's drift between instances */
const CLOCK_TOLERANCE_SECONDS = 5;

export function citizenTokens(options: { key: string; now?: () => Date }): CitizenTokens {
  const key = new TextEncoder().encode(options.key);
  if (key.byteLength < MIN_KEY_BYTES) throw new Error(`the citizen token key must be at least ${MIN_KEY_BYTES} bytes`);
  const now = options.now ?? (() => new Date());
  const seconds = (d: Date) => Math.floor(d.getTime() / 1000);
  return {
    async mint(sessionId, expiresAt, issuedAt = now()) {
      return new SignJWT({ scope: CITIZEN_TOKEN_SCOPE })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setIssuer(CITIZEN_TOKEN_ISSUER)
        .setAudience(CITIZEN_TOKEN_AUDIENCE)
        .setSubject(sessionId)
        .setIssuedAt(seconds(issuedAt))
        .setExpirationTime(seconds(expiresAt))
        .sign(key);
    },
    async verify(authorization): Promise<CitizenTokenCheck> {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
      if (!match) return { ok: false, status: 401, reason: 'invalid' };
      try {
        const { payload } = await jwtVerify(match[1]!, key, {
          algorithms: ['HS256'],
          issuer: CITIZEN_TOKEN_ISSUER,
          requiredClaims: ['sub', 'exp', 'iat'],
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
          currentDate: now(),
        });
        // signed by this key but meant for another audience or use: genuine, not for these routes
        const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
        if (!audiences.includes(CITIZEN_TOKEN_AUDIENCE) || payload.scope !== CITIZEN_TOKEN_SCOPE) return { ok: false, status: 403, reason: 'wrong_scope' };
        return { ok: true, sessionId: payload.sub!, issuedAt: new Date(payload.iat! * 1000) };
      } catch (error) {
        return { ok: false, status: 401, reason: error instanceof errors.JWTExpired ? 'expired' : 'invalid' };
      }
    },
  };
}
