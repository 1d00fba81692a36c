import ApiClient from 'purecloud-platform-client-v2/ApiClient.js';
import ConversationsApi from 'purecloud-platform-client-v2/api/ConversationsApi.js';
import NotificationsApi from 'purecloud-platform-client-v2/api/NotificationsApi.js';
import UsersApi from 'purecloud-platform-client-v2/api/UsersApi.js';
import type { AgentAppConfig } from '../config';
import type { FailureKind } from '../i18n';
import type { ChannelApi } from './sharedChannel';

/** The signed-in agent: the token lives here, in memory only. */
export interface GenesysSession {
  userId: string;
  userName: string;
  accessToken: string;
  getConversation(id: string): Promise<unknown>;
  channels: ChannelApi;
}

export class GenesysFailure extends Error {
  constructor(
    readonly kind: FailureKind,
    readonly detail: string,
  ) {
    super(detail);
  }
}

/** OAuth errors the agent (or the org's policy) caused, as opposed to a broken setup. */
const REFUSALS = new Set(['access_denied', 'unauthorized_client', 'login_required', 'consent_required', 'interaction_required']);

function statusOf(error: unknown): number | undefined {
  const e = error as { status?: unknown; response?: { status?: unknown } } | undefined;
  const status = typeof e?.status === 'number' ? e.status : typeof e?.response?.status === 'number' ? e.response.status : undefined;
  return status;
}

/** An SDK failure of an API call, as a failure the widget can explain. */
export function apiFailure(what: string, error: unknown): GenesysFailure {
  const status = statusOf(error);
  if (status === 401) return new GenesysFailure('login-failed', `${what}: 401`);
  if (status === undefined || status >= 500 || status === 429) return new GenesysFailure('genesys-unavailable', `${what}: ${status ?? 'no answer'}`);
  return new GenesysFailure('login-failed', `${what}: HTTP ${status}`);
}

/**
 * Signs the agent in with OAuth for browser apps. Resolves once a token is in hand; when the agent
 * must first visit Genesys's authorize page, the SDK navigates there and this never resolves.
 * Persistence stays off (the SDK keeps the token in localStorage only with setPersistSettings(true)).
 */
export async function signIn(config: AgentAppConfig, redirectUri: string, state: string): Promise<GenesysSession> {
  const client = new ApiClient();
  client.setPersistSettings(false);
  const g = config.genesys;
  if (g.gateway) {
    client.setGateway({
      host: g.gateway.host,
      protocol: g.gateway.protocol,
      ...(g.gateway.port ? { port: g.gateway.port } : {}),
      ...(g.gateway.pathParamsLogin ? { path_params_login: g.gateway.pathParamsLogin } : {}),
    });
  } else if (g.region) {
    client.setEnvironment(g.region);
  }
  let accessToken: string;
  try {
    const auth = g.grant === 'implicit'
      ? await client.loginImplicitGrant(g.oauthClientId, redirectUri, { state })
      : await client.loginPKCEGrant(g.oauthClientId, redirectUri, { state });
    accessToken = auth.accessToken;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const code = /^\[([a-z_]+)\]/.exec(message)?.[1];
    throw new GenesysFailure(code && REFUSALS.has(code) ? 'login-denied' : 'login-failed', message.slice(0, 300));
  }
  const users = new UsersApi(client);
  let me: { id?: string; name?: string };
  try {
    me = await users.getUsersMe();
  } catch (error) {
    throw apiFailure('users/me', error);
  }
  if (!me.id) throw new GenesysFailure('login-failed', 'users/me has no id');
  const conversations = new ConversationsApi(client);
  const notifications = new NotificationsApi(client);
  return {
    userId: me.id,
    userName: me.name ?? 'Agent',
    accessToken,
    getConversation: (id) => conversations.getConversation(id),
    channels: {
      createChannel: async () => {
        const channel = await notifications.postNotificationsChannels();
        if (!channel.id || !channel.connectUri) throw new Error('channel without id or connectUri');
        return { id: channel.id, connectUri: channel.connectUri, ...(channel.expires ? { expires: channel.expires } : {}) };
      },
      channelExists: async (id) => {
        try {
          await notifications.headNotificationsChannel(id);
          return true;
        } catch (error) {
          if (statusOf(error) === 404) return false;
          throw error;
        }
      },
      subscribe: async (channelId, topics) => {
        await notifications.putNotificationsChannelSubscriptions(channelId, topics.map((id) => ({ id })));
      },
    },
  };
}
