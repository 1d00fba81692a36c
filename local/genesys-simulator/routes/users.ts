import { requireUser } from '../auth/tokens';
import { authOf, type Route } from '../http/router';
import type { SimulatorState } from '../state';

/**
 * `GET /api/v2/users/me`: the user behind a user token, with the division MaxConf's agent check
 * reads; `GET /api/v2/tokens/me`: the token's org and OAuth client (the SDK's token test).
 */
export function userRoutes(s: SimulatorState): Route[] {
  return [
    {
      method: 'GET',
      pattern: /^\/api\/v2\/users\/me$/,
      endpoint: 'users',
      handle: (ctx) => {
        const { record } = authOf(ctx);
        requireUser(record);
        const agent = s.model.agents.get(record.userId);
        return {
          status: 200,
          body: {
            id: record.userId,
            name: agent?.name ?? 'Simulated User',
            division: {
              id: record.divisionId,
              name: s.divisions.find((d) => d.id === record.divisionId)?.name ?? 'Other',
              selfUri: `/api/v2/authorization/divisions/${record.divisionId}`,
            },
            state: 'active',
            username: `${record.userId}@example.invalid`,
            version: 1,
            selfUri: `/api/v2/users/${record.userId}`,
          },
        };
      },
    },
    {
      method: 'GET',
      pattern: /^\/api\/v2\/tokens\/me$/,
      endpoint: 'users',
      handle: (ctx) => {
        const { record } = authOf(ctx);
        const client = s.browserClients.find((c) => c.clientId === record.clientId);
        const organization = { id: s.orgId, name: 'MaxConf simulated org' };
        return {
          status: 200,
          body: {
            organization,
            homeOrganization: organization,
            authorizedScope: [],
            ...(record.clientId ? { OAuthClient: { id: record.clientId, name: client?.name ?? record.clientId, organization: { id: s.orgId } } } : {}),
          },
        };
      },
    },
  ];
}
