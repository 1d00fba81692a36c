import { createHash } from 'node:crypto';
import type { Models } from 'purecloud-platform-client-v2';
import type { Logger } from '../logging/logger';
import { bodyOf, toGenesysError } from '../adapters/genesys/client';
import { createIsolatedApiClient } from '../adapters/genesys/sdk';
import { UsersApi } from '../adapters/genesys/sdkApis';

export type AgentTokenRefusal = 'missing' | 'invalid' | 'expired' | 'forbidden_division' | 'unavailable';

export type AgentTokenResult =
  | { ok: true; userId: string; divisionId: string }
  | { ok: false; reason: AgentTokenRefusal };

/** Checks the Genesys user token an Agent App presents on `GET /public/room/{vmr_name}`. */
export type AgentTokenValidator = (token: string | undefined) => Promise<AgentTokenResult>;

export interface AgentTokenValidatorOptions {
  genesys: { region: string; apiBaseUrl: string | undefined; allowedDivisions: string[] };
  logger: Logger;
  now: () => Date;
  /** how long an answer (accepted or refused) is reused; `unavailable` is never reused */
  cacheTtlMs?: number;
  maxCacheEntries?: number;
  timeoutMs?: number;
}

/** Opaque Genesys tokens are printable ASCII without spaces; anything else is refused unseen. */
const TOKEN_SHAPE = /^[\x21-\x7e]{8,4096}$/;

/**
 * Builds the validator. Each check that misses the cache asks Genesys `/api/v2/users/me` with the
 * agent's own token on a NEW isolated SDK client, so the token never touches MaxConf's service
 * session (or the SDK's process-wide instance) and two agents' checks never share a client.
 * The cache is keyed by a SHA-256 of the token: the token itself is neither stored nor logged.
 */
export function createAgentTokenValidator(options: AgentTokenValidatorOptions): AgentTokenValidator {
  const ttl = options.cacheTtlMs ?? 60_000;
  const maxEntries = options.maxCacheEntries ?? 1000;
  const allowed = new Set(options.genesys.allowedDivisions);
  const log = options.logger.child({ component: 'agent-token' });
  const cache = new Map<string, { result: AgentTokenResult; until: number }>();

  async function ask(token: string): Promise<AgentTokenResult> {
    const client = createIsolatedApiClient({
      region: options.genesys.region,
      apiBaseUrl: options.genesys.apiBaseUrl,
      timeoutMs: options.timeoutMs ?? 5000,
    });
    client.setAccessToken(token);
    try {
      const me = bodyOf<Models.UserMe>(await new UsersApi(client).getUsersMe());
      const userId = me.id;
      const divisionId = me.division?.id;
      if (!userId || !divisionId) return { ok: false, reason: 'invalid' };
      if (!allowed.has(divisionId)) {
        log.info({ userId, divisionId }, 'agent token refused: division not allowed');
        return { ok: false, reason: 'forbidden_division' };
      }
      return { ok: true, userId, divisionId };
    } catch (error) {
      const failure = toGenesysError('getUsersMe', error);
      if (failure.status === 401) {
        return { ok: false, reason: /expired/i.test(`${failure.code ?? ''} ${failure.message}`) ? 'expired' : 'invalid' };
      }
      // 400 (a token without a user, e.g. client credentials) and 403/404 are not agents.
      if (failure.status >= 400 && failure.status < 500 && failure.status !== 408 && failure.status !== 429) {
        return { ok: false, reason: 'invalid' };
      }
      log.warn({ status: failure.status, code: failure.code }, 'agent token check could not reach Genesys');
      return { ok: false, reason: 'unavailable' };
    } finally {
      client.clearAccessToken();
    }
  }

  return async (token) => {
    const trimmed = token?.trim();
    if (!trimmed) return { ok: false, reason: 'missing' };
    const bare = trimmed.replace(/^bearer\s+/i, '');
    if (!TOKEN_SHAPE.test(bare)) return { ok: false, reason: 'invalid' };
    const key = createHash('sha256').update(bare).digest('base64url');
    const now = options.now().getTime();
    const hit = cache.get(key);
    if (hit && hit.until > now) return hit.result;
    cache.delete(key);
    const result = await ask(bare);
    if (!(result.ok === false && result.reason === 'unavailable')) {
      if (cache.size >= maxEntries) {
        const oldest = cache.keys().next().value;
        if (oldest !== undefined) cache.delete(oldest);
      }
      cache.set(key, { result, until: now + ttl });
    }
    return result;
  };
}
