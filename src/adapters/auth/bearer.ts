import { createHash } from 'node:crypto';
import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';

/** App roles carried in the token's `roles` claim (Entra ID app roles). */
export const ROLES = { idim: 'IDIM', support: 'Support' } as const;

export interface Principal {
  /** the token's subject (a service principal or staff object id), never citizen data */
  subject: string;
  roles: string[];
}

export type Verification =
  | { ok: true; principal: Principal }
  | { ok: false; status: 401 | 403; reason: string };

export interface BearerVerifier {
  /** Checks `Authorization: Bearer <jwt>`; with `role`, the token must carry that role. */
  verify(authorization: string | undefined, role?: string): Promise<Verification>;
}

export interface BearerOptions {
  keys: JWTVerifyGetKey;
  issuer: string;
  audience: string;
}

/** Seconds of clock skew accepted on `exp` and `nbf`. */
const CLOCK_TOLERANCE_S = 60;
/** How long a verified token is trusted without checking its signature again (a key taken out of the JWKS stops working within this). */
export const VERIFIED_TOKEN_TTL_MS = 5 * 60_000;
const VERIFIED_TOKEN_MAX = 1000;

/**
 * Verifies with jose, and remembers tokens it verified: IDIM sends the same client-credentials
 * token with every call for its hour, and each RS256 signature check costs more than the rest of
 * a warm create. A remembered token is keyed by its SHA-256 (the cache holds no token) and is
 * trusted until its own expiry (with the clock tolerance jose applies) or VERIFIED_TOKEN_TTL_MS,
 * whichever comes first; refusals are never remembered.
 */
export function bearerVerifier(options: BearerOptions, now: () => number = Date.now): BearerVerifier {
  const verified = new Map<string, { principal: Principal; until: number }>();
  const check = async (token: string): Promise<Verification> => {
    const key = createHash('sha256').update(token).digest('base64');
    const known = verified.get(key);
    if (known && known.until > now()) return { ok: true, principal: known.principal };
    if (known) verified.delete(key);
    try {
      const { payload } = await jwtVerify(token, options.keys, {
        issuer: options.issuer,
        audience: options.audience,
        clockTolerance: CLOCK_TOLERANCE_S,
        currentDate: new Date(now()),
      });
      const roles = Array.isArray(payload.roles) ? payload.roles.filter((r): r is string => typeof r === 'string') : [];
      const principal = { subject: String(payload.sub ?? payload.oid ?? 'unknown'), roles };
      const expires = typeof payload.exp === 'number' ? (payload.exp + CLOCK_TOLERANCE_S) * 1000 : Infinity;
      // oldest first out: a Map iterates in insertion order
      if (verified.size >= VERIFIED_TOKEN_MAX) verified.delete(verified.keys().next().value!);
      verified.set(key, { principal, until: Math.min(expires, now() + VERIFIED_TOKEN_TTL_MS) });
      return { ok: true, principal };
    } catch (error) {
      return { ok: false, status: 401, reason: describe(error) };
    }
  };
  return {
    async verify(authorization, role) {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
      if (!match) return { ok: false, status: 401, reason: 'a bearer token is required' };
      const result = await check(match[1]!);
      if (result.ok && role && !result.principal.roles.includes(role)) return { ok: false, status: 403, reason: `the token lacks the ${role} role` };
      return result;
    },
  };
}

function describe(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'the token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `the token's ${error.claim} claim is not accepted`;
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'the token signature is invalid';
  if (error instanceof errors.JWKSNoMatchingKey) return 'the token was not signed by a trusted key';
  if (error instanceof errors.JOSEError) return 'the token is invalid';
  return 'the token could not be verified';
}

/** Production: keys from the identity provider's JWKS (cached and refreshed by jose). */
export function remoteKeys(jwksUrl: string): JWTVerifyGetKey {
  return createRemoteJWKSet(new URL(jwksUrl), { timeoutDuration: 5000, cooldownDuration: 30_000 });
}

export function localKeys(publicJwks: { keys: object[] }): JWTVerifyGetKey {
  return createLocalJWKSet(publicJwks as Parameters<typeof createLocalJWKSet>[0]);
}
