import { createHash, randomBytes } from 'node:crypto';
import type { SimClock } from '../clock';

/** An authorization code waiting to be exchanged (`response_type=code` with PKCE). */
interface PendingCode {
  clientId: string;
  redirectUri: string;
  userId: string;
  codeChallenge: string;
  expiresAt: number;
}

const CODE_LIFETIME_MS = 5 * 60_000;

export type Redeemed = { ok: true; userId: string } | { ok: false; description: string };

/** Authorization codes: single use, short-lived, bound to client, redirect URI and the S256 code challenge. */
export class AuthorizationCodes {
  private readonly codes = new Map<string, PendingCode>();

  constructor(private readonly clock: SimClock) {}

  issue(pending: Omit<PendingCode, 'expiresAt'>): string {
    const now = this.clock.now();
    for (const [k, c] of this.codes) if (c.expiresAt <= now) this.codes.delete(k);
    const code = randomBytes(24).toString('base64url');
    this.codes.set(code, { ...pending, expiresAt: now + CODE_LIFETIME_MS });
    return code;
  }

  /** Exchanges a code once; a wrong verifier, client or redirect URI spends it too (as RFC 6749 §10.5 advises). */
  redeem(code: string, clientId: string, redirectUri: string, codeVerifier: string): Redeemed {
    const pending = this.codes.get(code);
    this.codes.delete(code);
    if (!pending || pending.expiresAt <= this.clock.now()) return { ok: false, description: 'authorization code is invalid or expired' };
    if (pending.clientId !== clientId) return { ok: false, description: 'authorization code was issued to another client' };
    if (pending.redirectUri !== redirectUri) return { ok: false, description: 'redirect_uri does not match the authorization request' };
    if (s256(codeVerifier) !== pending.codeChallenge) return { ok: false, description: 'code_verifier does not match the code_challenge' };
    return { ok: true, userId: pending.userId };
  }
}

export function s256(verifier: string): string {
  return createHash('sha256').update(verifier, 'utf8').digest('base64url');
}
