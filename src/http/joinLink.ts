import type { CitizenTokens } from '../contracts/ports';

/**
 * The citizen's join link: the Customer App's address with the room's alias and a citizen token
 * in the fragment (`#…`), which browsers never send, so neither reaches a server log
 * (docs/customer-app.md). Minted for the create answer and the support lookup.
 */
export interface JoinLinks {
  /** undefined once the session's lifetime is over (no token can outlive it) */
  linkFor(session: { sessionId: string; alias: string; createdAt: Date }): Promise<string | undefined>;
}

export interface JoinLinkSettings {
  tokens: CitizenTokens;
  /** the Customer App's address, without a trailing slash */
  customerAppUrl: string;
  /** a token's longest life */
  tokenTtlSeconds: number;
  /** a session's longest life: no token outlives its session */
  sessionLifetimeSeconds: number;
  now(): Date;
}

export function joinLinks(settings: JoinLinkSettings): JoinLinks {
  return {
    async linkFor({ sessionId, alias, createdAt }) {
      const now = settings.now().getTime();
      const expires = Math.min(now + settings.tokenTtlSeconds * 1000, createdAt.getTime() + settings.sessionLifetimeSeconds * 1000);
      if (expires <= now) return undefined;
      const token = await settings.tokens.mint(sessionId, new Date(expires));
      return joinLinkOf(settings.customerAppUrl, alias, token);
    },
  };
}

export function joinLinkOf(customerAppUrl: string, alias: string, token: string): string {
  return `${customerAppUrl}/#alias=${encodeURIComponent(alias)}&token=${encodeURIComponent(token)}`;
}

/** The deployment's join links; undefined without a Customer App address or a token key. */
export function joinLinksFromConfig(
  config: { citizen: { customerAppUrl: string | undefined; tokenTtlSeconds: number }; deadlines: { sessionLifetimeSeconds: number } },
  tokens: CitizenTokens | undefined,
  now: () => Date,
): JoinLinks | undefined {
  const url = config.citizen.customerAppUrl;
  if (!url || !tokens) return undefined;
  return joinLinks({ tokens, customerAppUrl: url, tokenTtlSeconds: config.citizen.tokenTtlSeconds, sessionLifetimeSeconds: config.deadlines.sessionLifetimeSeconds, now });
}
