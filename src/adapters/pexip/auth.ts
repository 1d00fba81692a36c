import { randomUUID } from 'node:crypto';
import type { AxiosInstance } from 'axios';
import { SignJWT, importPKCS8 } from 'jose';
import { z } from 'zod';
import type { PexipAuth } from '../../config';
import { PexipError } from './errors';

/** Supplies the Authorization header of management calls. */
export interface PexipAuthProvider {
  header(): Promise<string>;
  /** The server refused the current credentials: forget any cached token. Returns whether a retry can help. */
  invalidate(): boolean;
}

export function basicAuth(username: string, password: string): PexipAuthProvider {
  const value = `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`;
  return { header: async () => value, invalidate: () => false };
}

const TokenReply = z.object({
  access_token: z.string().min(1),
  expires_in: z.coerce.number().positive(),
  token_type: z.string().optional(),
});

export interface OAuthOptions {
  clientId: string;
  privateKeyPem: string;
  /** the management node's base URL; the token endpoint is `<base>/oauth/token/` */
  baseUrl: string;
  http: AxiosInstance;
  timeoutMs: number;
  now: () => number;
  /** renew this long before expiry (pexshell renews 5 min early); shortened for short-lived tokens */
  renewBeforeMs?: number;
}

/**
 * OAuth2 client credentials with an ES256 private-key JWT assertion, as Pexip (and pexshell)
 * do it. One token is shared by concurrent callers: a renewal in flight is awaited, not repeated.
 */
export function oauth2Auth(options: OAuthOptions): PexipAuthProvider {
  const tokenUrl = `${options.baseUrl}/oauth/token/`;
  const renewBeforeMs = options.renewBeforeMs ?? 5 * 60_000;
  let cached: { token: string; renewAt: number } | undefined;
  let inFlight: Promise<string> | undefined;
  let key: Awaited<ReturnType<typeof importPKCS8>> | undefined;

  async function fetchToken(): Promise<string> {
    key ??= await importPKCS8(options.privateKeyPem, 'ES256').catch(() => {
      throw new PexipError('not_configured', 'Pexip OAuth2 private key is not a valid PKCS#8 EC key', false);
    });
    const nowSeconds = Math.floor(options.now() / 1000);
    const assertion = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', typ: 'JWT' })
      .setIssuer(options.clientId)
      .setSubject(options.clientId)
      .setAudience(tokenUrl)
      .setIssuedAt(nowSeconds)
      .setExpirationTime(nowSeconds + 3600)
      .setJti(randomUUID())
      .sign(key);
    const form = new URLSearchParams({
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
    });
    let reply;
    try {
      reply = await options.http.post(tokenUrl, form.toString(), {
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        timeout: options.timeoutMs,
        validateStatus: () => true,
      });
    } catch (error) {
      throw new PexipError('network', `Pexip token endpoint unreachable: ${(error as Error).message}`, true);
    }
    if (reply.status === 429 || reply.status >= 500) {
      throw new PexipError(reply.status === 429 ? 'rate_limited' : 'server_error', `Pexip token endpoint answered ${reply.status}`, true, reply.status);
    }
    if (reply.status !== 200) {
      throw new PexipError('unauthorized', `Pexip token endpoint refused the client assertion (${reply.status})`, false, reply.status);
    }
    const parsed = TokenReply.safeParse(reply.data);
    if (!parsed.success) throw new PexipError('invalid_response', 'Pexip token endpoint answered without access_token/expires_in', true);
    const lifetimeMs = parsed.data.expires_in * 1000;
    const margin = Math.min(renewBeforeMs, lifetimeMs / 2);
    cached = { token: parsed.data.access_token, renewAt: options.now() + lifetimeMs - margin };
    return parsed.data.access_token;
  }

  return {
    async header() {
      if (cached && options.now() < cached.renewAt) return `Bearer ${cached.token}`;
      inFlight ??= fetchToken().finally(() => {
        inFlight = undefined;
      });
      return `Bearer ${await inFlight}`;
    },
    invalidate() {
      cached = undefined;
      return true;
    },
  };
}

export function authProvider(auth: PexipAuth, baseUrl: string, http: AxiosInstance, timeoutMs: number, now: () => number): PexipAuthProvider {
  return auth.kind === 'basic'
    ? basicAuth(auth.username, auth.password)
    : oauth2Auth({ clientId: auth.clientId, privateKeyPem: auth.privateKeyPem, baseUrl, http, timeoutMs, now });
}
