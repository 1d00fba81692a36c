/**
 * What the widget was opened with. Genesys interpolates the interaction widget's URL
 * (`?pcConversationId={{pcConversationId}}&gcHostOrigin={{gcHostOrigin}}&gcTargetEnv={{gcTargetEnv}}
 * &pcLangTag={{pcLangTag}}`, `pcEnvironment` on older setups). The OAuth redirect returns to the
 * widget's bare URL, so the context travels in OAuth `state` (no secret in it: the PIN never
 * leaves MaxConf's answer and memory).
 */

export interface LaunchContext {
  conversationId: string;
  hostOrigin?: string;
  targetEnv?: string;
  langTag?: string;
  /** legacy `pcEnvironment`, e.g. `cac1.pure.cloud` */
  environment?: string;
}

export type OAuthReturn =
  | { kind: 'none' }
  | { kind: 'code'; code: string }
  | { kind: 'token'; accessToken: string; expiresInS?: number }
  | { kind: 'error'; error: string; description?: string };

export interface LaunchParse {
  context?: LaunchContext;
  oauth: OAuthReturn;
}

/** Genesys conversation ids are UUIDs; anything else is refused before it reaches a URL. */
const CONVERSATION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function contextFrom(params: URLSearchParams): LaunchContext | undefined {
  const conversationId = params.get('pcConversationId')?.trim();
  if (!conversationId || !CONVERSATION_ID.test(conversationId)) return undefined;
  const pick = (name: string) => {
    const v = params.get(name)?.trim();
    return v ? v.slice(0, 200) : undefined;
  };
  const context: LaunchContext = { conversationId };
  const hostOrigin = pick('gcHostOrigin');
  const targetEnv = pick('gcTargetEnv');
  const langTag = pick('pcLangTag');
  const environment = pick('pcEnvironment');
  if (hostOrigin) context.hostOrigin = hostOrigin;
  if (targetEnv) context.targetEnv = targetEnv;
  if (langTag) context.langTag = langTag;
  if (environment) context.environment = environment;
  return context;
}

/** The OAuth `state` this widget sends: its launch context as query parameters. */
export function stateOf(context: LaunchContext): string {
  const params = new URLSearchParams({ pcConversationId: context.conversationId });
  if (context.hostOrigin) params.set('gcHostOrigin', context.hostOrigin);
  if (context.targetEnv) params.set('gcTargetEnv', context.targetEnv);
  if (context.langTag) params.set('pcLangTag', context.langTag);
  if (context.environment) params.set('pcEnvironment', context.environment);
  return params.toString();
}

/** Reads a widget URL: the launch parameters, or the OAuth answer with the context from `state`. */
export function parseLaunch(href: string): LaunchParse {
  const url = new URL(href);
  const query = url.searchParams;
  // the implicit grant answers in the fragment, the code grant (and errors of both) in the query
  const fragment = new URLSearchParams(url.hash.replace(/^#/, ''));
  const answer = fragment.has('access_token') || fragment.has('error') ? fragment : query;
  const state = answer.get('state');
  const context = contextFrom(query) ?? (state ? contextFrom(new URLSearchParams(state)) : undefined);
  let oauth: OAuthReturn = { kind: 'none' };
  const error = answer.get('error');
  if (error) {
    const description = answer.get('error_description') ?? undefined;
    oauth = description ? { kind: 'error', error: error.slice(0, 100), description: description.slice(0, 300) } : { kind: 'error', error: error.slice(0, 100) };
  } else if (answer.get('access_token')) {
    const expires = Number(answer.get('expires_in'));
    oauth = { kind: 'token', accessToken: answer.get('access_token')!, ...(Number.isFinite(expires) && expires > 0 ? { expiresInS: expires } : {}) };
  } else if (query.get('code')) {
    oauth = { kind: 'code', code: query.get('code')! };
  }
  return context ? { context, oauth } : { oauth };
}

/** The URL the OAuth server redirects back to: the widget's own page, no query, no fragment. */
export function redirectUriOf(href: string): string {
  const url = new URL(href);
  return `${url.origin}${url.pathname}`;
}

/** `gcHostOrigin` must be the environment's agent desktop when Genesys sends it. */
export function parentAllowed(context: LaunchContext, allowedOrigin: string): boolean {
  if (!context.hostOrigin) return true;
  try {
    return new URL(context.hostOrigin).origin === allowedOrigin;
  } catch {
    return false;
  }
}
