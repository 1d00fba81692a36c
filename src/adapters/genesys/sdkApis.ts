import platformClient from 'purecloud-platform-client-v2';
import { neutraliseSdkSingleton } from './sdk';

// Whoever loads the SDK's API classes has loaded the SDK, and with it its file-watching singleton.
neutraliseSdkSingleton();

/**
 * The SDK's API classes, each bound to the isolated client passed to its constructor (never to
 * the SDK's process-wide `ApiClient.instance`).
 */
export const RoutingApi = platformClient.RoutingApi;
export const ConversationsApi = platformClient.ConversationsApi;
export const AnalyticsApi = platformClient.AnalyticsApi;
export const UsersApi = platformClient.UsersApi;
