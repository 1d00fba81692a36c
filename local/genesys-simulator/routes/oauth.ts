import type { Route } from '../http/router';
import type { SimulatorState } from '../state';

const oauthError = (status: number, error: string, description: string) => ({
  status,
  body: { error, description, error_description: description },
});

/** `POST /oauth/token`: the client-credentials grant (Basic client id and secret, form body). */
export function oauthRoutes(s: SimulatorState): Route[] {
  return [
    {
      method: 'POST',
      pattern: /^\/oauth\/token$/,
      endpoint: 'token',
      public: true,
      handle: ({ req, body }) => {
        const basic = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
        const [id, secret] = basic ? Buffer.from(basic[1]!, 'base64').toString('utf8').split(':') : [];
        const form = new URLSearchParams(body);
        const client = s.clients.find((c) => c.clientId === id && c.clientSecret === secret);
        if (!client) return oauthError(401, 'invalid_client', 'client not found');
        s.rateLimit.grant(client.clientId);
        if (form.get('grant_type') !== 'client_credentials') return oauthError(400, 'unsupported_grant_type', 'grant type not supported');
        const { token } = s.tokens.issue({ kind: 'client', clientId: client.clientId }, s.tokenLifetimeSeconds);
        return { status: 200, body: { access_token: token, token_type: 'bearer', expires_in: s.tokenLifetimeSeconds } };
      },
    },
  ];
}
