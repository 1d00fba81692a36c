import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { SimClock } from '../clock';
import { HttpError } from '../http/errors';

/** What a bearer token stands for: MaxConf's service session, or a user (agent) logged in through an app. */
export interface TokenRecord {
  kind: 'client' | 'user';
  expiresAt: number;
  userId?: string;
  divisionId?: string;
  /** the OAuth client the token was issued to (the "app" of Genesys's per-user-and-app limits) */
  clientId?: string;
}

/** Access tokens issued by the simulator, by value. */
export class TokenStore {
  private readonly tokens = new Map<string, TokenRecord>();

  constructor(private readonly clock: SimClock) {}

  issue(record: Omit<TokenRecord, 'expiresAt'>, lifetimeSeconds: number): { token: string; record: TokenRecord } {
    const token = randomBytes(32).toString('base64url');
    const full: TokenRecord = { ...record, expiresAt: this.clock.now() + lifetimeSeconds * 1000 };
    this.tokens.set(token, full);
    return { token, record: full };
  }

  /** The bearer token's record, or Genesys's 401. */
  authenticate(req: IncomingMessage): { token: string; record: TokenRecord } {
    const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
    if (!m) throw new HttpError(401, 'authentication.required', 'No authentication bearer token specified in authorization header.');
    const record = this.tokens.get(m[1]!);
    if (!record) throw new HttpError(401, 'bad.credentials', 'Invalid login credentials.');
    if (record.expiresAt <= this.clock.now()) throw new HttpError(401, 'bad.credentials', 'Access token has expired.');
    return { token: m[1]!, record };
  }
}

/** Genesys's answer to a client-credentials token on a route that needs a user. */
export function requireUser(record: TokenRecord): asserts record is TokenRecord & { kind: 'user'; userId: string } {
  if (record.kind !== 'user' || !record.userId) {
    throw new HttpError(400, 'bad.request', 'This request requires a user context. Client credentials cannot be used for requests to this resource.');
  }
}
