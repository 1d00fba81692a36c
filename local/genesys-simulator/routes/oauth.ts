import { z } from 'zod';
import { redirectAllowed, type BrowserClient } from '../auth/browserClients';
import { loginErrorPage, loginPage } from '../auth/loginPage';
import { cookie, HTML, SESSION_COOKIE, sessionCookie } from '../http/html';
import type { Answer, Route } from '../http/router';
import type { SimAgent } from '../model';
import type { SimulatorState } from '../state';

const oauthError = (status: number, error: string, description: string): Answer => ({
  status,
  body: { error, description, error_description: description },
});

/** The authorize request as the SDK builds it (`loginImplicitGrant`, `loginPKCEGrant`). */
const AuthorizeRequest = z.object({
  client_id: z.string().min(1).max(200),
  redirect_uri: z.string().min(1).max(2000),
  response_type: z.string().max(50).default(''),
  state: z.string().max(4000).optional(),
  code_challenge: z.string().max(200).optional(),
  code_challenge_method: z.string().max(20).optional(),
  login_hint: z.string().max(500).optional(),
  prompt: z.string().max(50).optional(),
});
type AuthorizeRequest = z.infer<typeof AuthorizeRequest>;

const Decision = z.object({ decision: z.enum(['allow', 'deny']), userId: z.string().max(200).optional() });

const CodeExchange = z.object({
  grant_type: z.literal('authorization_code'),
  code: z.string().min(1).max(500),
  code_verifier: z.string().min(43).max(128),
  client_id: z.string().min(1).max(200),
  redirect_uri: z.string().min(1).max(2000),
});

const fromForm = (body: string) => Object.fromEntries(new URLSearchParams(body));

/**
 * Genesys's login service: `POST /oauth/token` (client credentials with Basic; authorization code
 * with PKCE for public clients) and `GET|POST /oauth/authorize` (the login page; implicit and code
 * grants). Served at `/oauth/…` and at `/login/oauth/…`, where the SDK looks when its gateway has
 * `path_params_login: 'login'`.
 */
export function oauthRoutes(s: SimulatorState): Route[] {
  const { model } = s;

  /** The request's client and redirect URI, or the error page (never a redirect to an unchecked URI). */
  function check(request: AuthorizeRequest): { client: BrowserClient } | { page: Answer } {
    const client = s.browserClients.find((c) => c.clientId === request.client_id);
    if (!client) return { page: { status: 400, contentType: HTML, body: loginErrorPage('This OAuth client is not registered in the organization.') } };
    if (!redirectAllowed(client, request.redirect_uri)) {
      return { page: { status: 400, contentType: HTML, body: loginErrorPage('The redirect URI is not registered for this OAuth client.') } };
    }
    return { client };
  }

  /** Sends the answer back to the app: in the fragment for `token`, in the query for `code`. */
  function redirectBack(request: AuthorizeRequest, params: Record<string, string>, extraHeaders: Record<string, string> = {}): Answer {
    const answer = new URLSearchParams(params);
    if (request.state !== undefined) answer.set('state', request.state);
    const target = new URL(request.redirect_uri);
    if (request.response_type === 'code') {
      for (const [k, v] of answer) target.searchParams.set(k, v);
    } else {
      target.hash = answer.toString();
    }
    return { status: 302, headers: { location: target.toString(), 'cache-control': 'no-store', ...extraHeaders } };
  }

  /** What the app asked for is malformed: Genesys answers through the redirect with an OAuth error. */
  function requestError(request: AuthorizeRequest): Answer | undefined {
    if (request.response_type !== 'token' && request.response_type !== 'code') {
      return redirectBack(request, { error: 'unsupported_response_type', error_description: 'response_type must be token or code' });
    }
    if (request.response_type === 'code' && (request.code_challenge_method !== 'S256' || !/^[A-Za-z0-9_-]{43}$/.test(request.code_challenge ?? ''))) {
      return redirectBack(request, { error: 'invalid_request', error_description: 'code_challenge with code_challenge_method S256 is required' });
    }
    return undefined;
  }

  function logIn(request: AuthorizeRequest, client: BrowserClient, agent: SimAgent): Answer {
    const remember = { 'set-cookie': sessionCookie(agent.id) };
    if (request.response_type === 'code') {
      const code = s.codes.issue({ clientId: client.clientId, redirectUri: request.redirect_uri, userId: agent.id, codeChallenge: request.code_challenge! });
      return redirectBack(request, { code }, remember);
    }
    const { token } = s.tokens.issue({ kind: 'user', userId: agent.id, divisionId: agent.divisionId, clientId: client.clientId }, s.tokenLifetimeSeconds);
    return redirectBack(request, { access_token: token, expires_in: String(s.tokenLifetimeSeconds), token_type: 'bearer' }, remember);
  }

  const pickAgent = (hint: string | undefined) => (hint ? [...model.agents.values()].find((a) => a.id === hint || a.name === hint || `${a.id}@example.invalid` === hint) : undefined);

  return [
    {
      method: 'POST',
      pattern: /^(?:\/login)?\/oauth\/token$/,
      endpoint: 'token',
      public: true,
      handle: ({ req, body }) => {
        const form = fromForm(body);
        if (form.grant_type === 'authorization_code') {
          const exchange = CodeExchange.safeParse(form);
          if (!exchange.success) return oauthError(400, 'invalid_request', `missing or malformed ${exchange.error.issues[0]?.path.join('.') || 'parameter'}`);
          const client = s.browserClients.find((c) => c.clientId === exchange.data.client_id);
          if (!client) return oauthError(401, 'invalid_client', 'client not found');
          s.rateLimit.grant(client.clientId);
          const redeemed = s.codes.redeem(exchange.data.code, client.clientId, exchange.data.redirect_uri, exchange.data.code_verifier);
          if (!redeemed.ok) return oauthError(400, 'invalid_grant', redeemed.description);
          const agent = model.agents.get(redeemed.userId);
          const { token } = s.tokens.issue({ kind: 'user', userId: redeemed.userId, divisionId: agent?.divisionId ?? s.divisions[0]!.id, clientId: client.clientId }, s.tokenLifetimeSeconds);
          return { status: 200, body: { access_token: token, token_type: 'bearer', expires_in: s.tokenLifetimeSeconds } };
        }
        const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
        const [id, secret] = basic ? Buffer.from(basic[1]!, 'base64').toString('utf8').split(':') : [];
        const client = s.clients.find((c) => c.clientId === id && c.clientSecret === secret);
        if (!client) return oauthError(401, 'invalid_client', 'client not found');
        s.rateLimit.grant(client.clientId);
        if (form.grant_type !== 'client_credentials') return oauthError(400, 'unsupported_grant_type', 'grant type not supported');
        const { token } = s.tokens.issue({ kind: 'client', clientId: client.clientId }, s.tokenLifetimeSeconds);
        return { status: 200, body: { access_token: token, token_type: 'bearer', expires_in: s.tokenLifetimeSeconds } };
      },
    },
    {
      method: 'GET',
      pattern: /^(?:\/login)?\/oauth\/authorize$/,
      public: true,
      handle: ({ req, url }) => {
        const parsed = AuthorizeRequest.safeParse(Object.fromEntries(url.searchParams));
        if (!parsed.success) return { status: 400, contentType: HTML, body: loginErrorPage(`The login request is missing or has a malformed ${parsed.error.issues[0]?.path.join('.') || 'parameter'}.`) };
        const request = parsed.data;
        const checked = check(request);
        if ('page' in checked) return checked.page;
        const wrong = requestError(request);
        if (wrong) return wrong;
        // A remembered login (the simulated desktop's, or an earlier one) answers without a page, as Genesys's session does.
        const remembered = pickAgent(cookie(req, SESSION_COOKIE));
        if (remembered && request.prompt !== 'login') return logIn(request, checked.client, remembered);
        const params = Object.fromEntries(Object.entries(request).filter((e): e is [string, string] => typeof e[1] === 'string' && e[0] !== 'prompt'));
        return {
          status: 200,
          contentType: HTML,
          headers: { 'cache-control': 'no-store' },
          body: loginPage({
            action: url.pathname,
            clientName: checked.client.name ?? checked.client.clientId,
            params,
            agents: [...model.agents.values()],
            selectedAgentId: pickAgent(request.login_hint)?.id,
          }),
        };
      },
    },
    {
      method: 'POST',
      pattern: /^(?:\/login)?\/oauth\/authorize$/,
      public: true,
      handle: ({ body }) => {
        const form = fromForm(body);
        const parsed = AuthorizeRequest.safeParse(form);
        const decision = Decision.safeParse(form);
        if (!parsed.success || !decision.success) return { status: 400, contentType: HTML, body: loginErrorPage('The login form was incomplete.') };
        const request = parsed.data;
        const checked = check(request);
        if ('page' in checked) return checked.page;
        const wrong = requestError(request);
        if (wrong) return wrong;
        if (decision.data.decision === 'deny') return redirectBack(request, { error: 'access_denied', error_description: 'The user denied the request' });
        const agent = decision.data.userId ? model.agents.get(decision.data.userId) : undefined;
        if (!agent) return { status: 400, contentType: HTML, body: loginErrorPage('Choose an agent to log in as.') };
        return logIn(request, checked.client, agent);
      },
    },
  ];
}
