// The Platform SDK's source files carry no typings; the app declares what it uses of them.
declare module 'purecloud-platform-client-v2/ApiClient.js' {
  interface Gateway {
    host: string;
    protocol: string;
    port?: number;
    path_params_login?: string;
    path_params_api?: string;
  }
  interface AuthData {
    accessToken: string;
    tokenExpiryTime?: number;
    state?: string;
  }
  export default class ApiClient {
    constructor();
    static instance: ApiClient;
    setEnvironment(environment: string): void;
    setGateway(gateway: Gateway): void;
    setPersistSettings(persist: boolean, prefix?: string): void;
    setAccessToken(token: string): void;
    loginPKCEGrant(clientId: string, redirectUri: string, opts?: { state?: string }): Promise<AuthData>;
    loginImplicitGrant(clientId: string, redirectUri: string, opts?: { state?: string }): Promise<AuthData>;
    authData: AuthData;
  }
}
declare module 'purecloud-platform-client-v2/api/ConversationsApi.js' {
  import type ApiClient from 'purecloud-platform-client-v2/ApiClient.js';
  export default class ConversationsApi {
    constructor(client?: ApiClient);
    getConversation(id: string): Promise<unknown>;
  }
}
declare module 'purecloud-platform-client-v2/api/NotificationsApi.js' {
  import type ApiClient from 'purecloud-platform-client-v2/ApiClient.js';
  export default class NotificationsApi {
    constructor(client?: ApiClient);
    postNotificationsChannels(): Promise<{ id?: string; connectUri?: string; expires?: string }>;
    headNotificationsChannel(id: string): Promise<unknown>;
    putNotificationsChannelSubscriptions(id: string, body: Array<{ id: string }>): Promise<unknown>;
  }
}
declare module 'purecloud-platform-client-v2/api/UsersApi.js' {
  import type ApiClient from 'purecloud-platform-client-v2/ApiClient.js';
  export default class UsersApi {
    constructor(client?: ApiClient);
    getUsersMe(opts?: Record<string, unknown>): Promise<{ id?: string; name?: string }>;
  }
}
