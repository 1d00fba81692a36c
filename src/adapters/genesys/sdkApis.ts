import platformClient from 'purecloud-platform-client-v2';
// loaded for its side effect: the SDK's file-watching singleton is silenced as soon as the SDK loads
import './sdk';

/**
 * The SDK's API classes, each bound to the isolated client passed to its constructor (never to
 * the SDK's process-wide `ApiClient.instance`).
 */
export const RoutingApi = platformClient.RoutingApi;
export const ConversationsApi = platformClient.ConversationsApi;
export const AnalyticsApi = platformClient.AnalyticsApi;
export const UsersApi = platformClient.UsersApi;
