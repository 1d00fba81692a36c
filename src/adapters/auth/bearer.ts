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

export function bearerVerifier(options: BearerOptions): BearerVerifier {
  return {
    async verify(authorization, role) {
      const match = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
      if (!match) return { ok: false, status: 401, reason: 'a bearer token is required' };
      try {
        const { payload } = await jwtVerify(match[1]!, options.keys, {
          issuer: options.issuer,
          audience: options.audience,
          clockTolerance: 60,
        });
        const roles = Array.isArray(payload.roles) ? payload.roles.filter((r): r is string => typeof r === 'string') : [];
        const principal = { subject: String(payload.sub ?? payload.oid ?? 'unknown'), roles };
        if (role && !roles.includes(role)) return { ok: false, status: 403, reason: `the token lacks the ${role} role` };
        return { ok: true, principal };
      } catch (error) {
        return { ok: false, status: 401, reason: describe(error) };
      }
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
