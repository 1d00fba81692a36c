import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import type { SimClock } from './clock';
import { HttpError } from './http';

function equalSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** The management API's credentials: Basic, or a Bearer token from `/oauth/token/` (JWT client assertion). */
export class AdminAuth {
  private readonly bearerTokens = new Map<string, number>();

  constructor(
    private readonly clock: SimClock,
    private readonly basic: { username: string; password: string },
    private readonly oauthClients: Record<string, JSONWebKeySet>,
    private readonly oauthLifetimeSeconds: number,
  ) {}

  authenticate(req: IncomingMessage): void {
    const header = req.headers.authorization ?? '';
    if (header.startsWith('Basic ')) {
      const [user, ...rest] = Buffer.from(header.slice(6), 'base64').toString('utf8').split(':');
      if (equalSecret(user ?? '', this.basic.username) && equalSecret(rest.join(':'), this.basic.password)) return;
    } else if (header.startsWith('Bearer ')) {
      const expiry = this.bearerTokens.get(header.slice(7));
      if (expiry !== undefined && expiry > this.clock.now()) return;
    }
    throw new HttpError(401, { error: 'Authentication credentials were not provided or are invalid.' }, { 'www-authenticate': 'Basic realm="Pexip"' });
  }

  /** `POST /oauth/token/`: client credentials with an ES256 client assertion addressed to `tokenUrl`. */
  async issueToken(body: string, tokenUrl: string): Promise<unknown> {
    const form = new URLSearchParams(body);
    if (form.get('grant_type') !== 'client_credentials') throw new HttpError(400, { error: 'unsupported_grant_type' });
    if (form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer') throw new HttpError(400, { error: 'invalid_request' });
    const assertion = form.get('client_assertion') ?? '';
    const unverified = (() => {
      try {
        return JSON.parse(Buffer.from(assertion.split('.')[1] ?? '', 'base64url').toString('utf8')) as { iss?: string };
      } catch {
        return {};
      }
    })();
    const jwks = unverified.iss ? this.oauthClients[unverified.iss] : undefined;
    if (!jwks || !unverified.iss) throw new HttpError(401, { error: 'invalid_client' });
    try {
      await jwtVerify(assertion, createLocalJWKSet(jwks), {
        algorithms: ['ES256'],
        issuer: unverified.iss,
        subject: unverified.iss,
        audience: tokenUrl,
        currentDate: new Date(this.clock.now()),
      });
    } catch {
      throw new HttpError(401, { error: 'invalid_client' });
    }
    const token = randomBytes(24).toString('base64url');
    this.bearerTokens.set(token, this.clock.now() + this.oauthLifetimeSeconds * 1000);
    return { access_token: token, token_type: 'Bearer', expires_in: this.oauthLifetimeSeconds, scope: '' };
  }
}
