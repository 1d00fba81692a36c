import platformClient from 'purecloud-platform-client-v2';

/**
 * The SDK's API classes, each bound to the isolated client passed to its constructor (never to
 * the SDK's process-wide `ApiClient.instance`).
 */
export const RoutingApi = platformClient.RoutingApi;
export const ConversationsApi = platformClient.ConversationsApi;
export const AnalyticsApi = platformClient.AnalyticsApi;
export const UsersApi = platformClient.UsersApi;
