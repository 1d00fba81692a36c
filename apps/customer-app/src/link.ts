/**
 * The join link MaxConf hands out: `https://<customer app>/#alias=<room alias>&token=<citizen
 * token>` (optionally `&lang=fr`). The fragment never reaches a server, so neither does the token.
 * The page reads it once, then removes it from the address bar and the history entry; the token
 * lives in memory only.
 */

export interface JoinLink {
  alias: string;
  token: string;
  lang?: 'en' | 'fr';
}

const ALIAS = /^[A-Za-z0-9._@+-]{1,100}$/;
// a compact JWS: three base64url parts
const TOKEN = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

export function parseJoinLink(hash: string): JoinLink | undefined {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const alias = params.get('alias')?.trim() ?? '';
  const token = params.get('token')?.trim() ?? '';
  if (!ALIAS.test(alias) || token.length > 4096 || !TOKEN.test(token)) return undefined;
  const lang = params.get('lang');
  return lang === 'fr' || lang === 'en' ? { alias, token, lang } : { alias, token };
}

/** The page's address without its fragment: what the address bar keeps. */
export function withoutFragment(href: string): string {
  const url = new URL(href);
  url.hash = '';
  return url.toString().replace(/#$/, '');
}
