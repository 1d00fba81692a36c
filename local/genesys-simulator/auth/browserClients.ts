import { randomUUID } from 'node:crypto';

/** A public OAuth client for browser apps (implicit and PKCE grants): no secret, a list of redirect URIs. */
export interface BrowserClient {
  clientId: string;
  name?: string;
  /** exact redirect URIs; absent: any `http://localhost`, `127.0.0.1` or `[::1]` URI (local development) */
  redirectUris?: string[];
}

export function defaultBrowserClients(): BrowserClient[] {
  return [{ clientId: randomUUID(), name: 'MaxConf Agent App (simulated)' }];
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Whether Genesys would send this client's login answer to `redirectUri`. */
export function redirectAllowed(client: BrowserClient, redirectUri: string): boolean {
  if (client.redirectUris) return client.redirectUris.includes(redirectUri);
  try {
    const url = new URL(redirectUri);
    return (url.protocol === 'http:' || url.protocol === 'https:') && LOOPBACK.has(url.hostname) && !url.username && !url.password;
  } catch {
    return false;
  }
}
