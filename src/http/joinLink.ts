import type { CitizenTokens } from '../contracts/ports';

/**
 * The citizen's join link: the Customer App's address with the room's alias and a citizen token
 * in the fragment (`#…`), which browsers never send, so neither reaches a server log
 * (docs/customer-app.md). Minted for the create answer and the support lookup.
 */
export interface JoinLinks {
  /** undefined once the token's time is over (it never outlives the session) */
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
      // issued "at" the session's start, valid a TTL from it: every mint for a session is the same
      // link (HS256 is deterministic), so a support lookup hands out the one IDIM got
      const expires = createdAt.getTime() + Math.min(settings.tokenTtlSeconds, settings.sessionLifetimeSeconds) * 1000;
      if (expires <= settings.now().getTime()) return undefined;
      const token = await settings.tokens.mint(sessionId, new Date(expires), createdAt);
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
