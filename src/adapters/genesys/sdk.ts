import platformClient from 'purecloud-platform-client-v2';

/** One SDK ApiClient; the SDK's typings only expose the shape of its process-wide instance. */
export type SdkApiClient = typeof platformClient.ApiClient;

interface SdkModule {
  ApiClientClass: new () => SdkApiClient;
}

export interface SdkClientOptions {
  /** Genesys region host, e.g. `cac1.pure.cloud` */
  region: string;
  /** GENESYS_API_BASE_URL: when set, login and API traffic go there through the SDK's gateway setting */
  apiBaseUrl: string | undefined;
  timeoutMs: number;
}

/**
 * A fresh SDK client that nobody else shares and that no file on disk can steer.
 *
 * Why not `platformClient.ApiClient` (the SDK's `ApiClient.instance`): it is a process-wide
 * singleton, and an agent's token set on it would replace MaxConf's own for every other caller.
 *
 * Why the configuration reset: every SDK `Configuration` reads `~/.genesyscloudjavascript/config`
 * when it is constructed and then watches it (`liveLoadConfig`); a `[gateway]` or `[general] host`
 * section there would redirect login and API calls (with our client secret) and a `[logging]`
 * section could write request headers (tokens) to a file. The constructor cannot be told to skip
 * it, so right after construction we stop the watcher, forget the path and the parsed file, and
 * reapply everything the file may have changed from our own configuration.
 */
export function createIsolatedApiClient(options: SdkClientOptions): SdkApiClient {
  neutraliseSdkSingleton();
  const client = new (platformClient as unknown as SdkModule).ApiClientClass();
  neutraliseConfigFile(client);
  client.config.setGateway(gatewayFor(options.apiBaseUrl) as Parameters<SdkApiClient['setGateway']>[0]);
  client.setEnvironment(options.region);
  client.setPersistSettings(false);
  client.setReturnExtendedResponses(true);
  (client as unknown as { timeout: number }).timeout = options.timeoutMs;
  return client;
}

/**
 * The SDK builds its process-wide instance when it is loaded and that instance watches the same
 * file. MaxConf never sends through it, but it is silenced too. Idempotent.
 */
export function neutraliseSdkSingleton(): void {
  neutraliseConfigFile(platformClient.ApiClient);
}

function neutraliseConfigFile(client: SdkApiClient): void {
  const config = client.config;
  config.live_reload_config = false;
  config.setConfigPath('');
  config.configPath = '';
  config.config = undefined;
  (config as unknown as { host: string | undefined }).host = undefined;
  config.refresh_access_token = false;
  const logger = config.logger;
  logger.log_level = 'none';
  logger.log_to_console = false;
  (logger as unknown as { log_file_path: string | undefined }).log_file_path = undefined;
  logger.log_request_body = false;
  logger.log_response_body = false;
  logger.setLogger();
}

/** `http://localhost:8080/prefix` → the SDK's gateway object (host, protocol, port, path prefixes). */
export function gatewayFor(apiBaseUrl: string | undefined):
  | { host: string; protocol: string; port?: number; path_params_login?: string; path_params_api?: string }
  | undefined {
  if (!apiBaseUrl) return undefined;
  const url = new URL(apiBaseUrl);
  const path = url.pathname.replace(/\/+$/, '');
  return {
    host: url.hostname,
    protocol: url.protocol.replace(/:$/, ''),
    ...(url.port ? { port: Number(url.port) } : {}),
    ...(path ? { path_params_login: path, path_params_api: path } : {}),
  };
}

/** Where the SDK will send login and API requests (for tests and start-up logs; no secrets). */
export function effectiveUrls(client: SdkApiClient): { login: string; api: string } {
  const c = client.config;
  return {
    login: c.getConfUrl('login', `https://login.${c.environment}`),
    api: c.getConfUrl('api', c.basePath),
  };
}

// Loading the SDK creates its singleton, which starts watching the home-directory file at once.
neutraliseSdkSingleton();
