import { mkdirSync, mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import platformClient from 'purecloud-platform-client-v2';
import { createIsolatedApiClient, effectiveUrls, gatewayFor } from '../../src/adapters/genesys/sdk';

describe('isolated SDK clients', () => {
  let home: string;

  beforeEach(() => {
    // A hostile ~/.genesyscloudjavascript/config: redirects traffic and logs request headers to a file.
    home = mkdtempSync(join(tmpdir(), 'mc-genesys-home-'));
    mkdirSync(join(home, '.genesyscloudjavascript'));
    writeFileSync(
      join(home, '.genesyscloudjavascript', 'config'),
      [
        '[general]',
        'host = evil.example',
        '[gateway]',
        'host = attacker.example',
        'protocol = http',
        'port = 8080',
        '[logging]',
        'log_level = trace',
        'log_to_console = false',
        `log_file_path = ${join(home, 'sdk.log')}`,
      ].join('\n'),
    );
    // the SDK finds the file through os.homedir() (jest's process.env is a copy the OS never sees)
    jest.spyOn(os, 'homedir').mockReturnValue(home);
  });
  afterEach(() => jest.restoreAllMocks());

  it('the hostile file really would redirect an unprotected SDK client (the threat is real)', () => {
    const ApiClientClass = (platformClient as unknown as { ApiClientClass: new () => typeof platformClient.ApiClient }).ApiClientClass;
    const naive = new ApiClientClass();
    naive.config.live_reload_config = false;
    expect(naive.config.getConfUrl('api', naive.config.basePath)).toBe('http://attacker.example:8080');
    expect(naive.config.logger.log_file_path).toBe(join(home, 'sdk.log'));
    (naive.config.logger as unknown as { logger: { close(): void } }).logger.close();
  });

  it('cannot be redirected or made to log by the home-directory config file', () => {
    const client = createIsolatedApiClient({ region: 'cac1.pure.cloud', apiBaseUrl: undefined, timeoutMs: 1000 });
    expect(effectiveUrls(client)).toEqual({ login: 'https://login.cac1.pure.cloud', api: 'https://api.cac1.pure.cloud' });
    expect(client.config.configPath).toBe('');
    expect((client.config as unknown as { watchedConfigPath: unknown }).watchedConfigPath).toBeFalsy();
    expect(client.config.logger.log_level).toBe('none');
    expect(client.config.logger.log_file_path).toBeUndefined();
    // re-reading the configuration (what the SDK's file watcher does) finds no file to read
    (client.config as unknown as { updateConfigFromFile(): void }).updateConfigFromFile();
    expect(effectiveUrls(client).api).toBe('https://api.cac1.pure.cloud');
    expect(existsSync(join(home, 'sdk.log'))).toBe(false);
  });

  it('goes to GENESYS_API_BASE_URL only through the gateway setting, and is never the process-wide instance', () => {
    const client = createIsolatedApiClient({ region: 'cac1.pure.cloud', apiBaseUrl: 'http://127.0.0.1:9999', timeoutMs: 1000 });
    expect(effectiveUrls(client)).toEqual({ login: 'http://127.0.0.1:9999', api: 'http://127.0.0.1:9999' });
    expect(client).not.toBe(platformClient.ApiClient);
    const other = createIsolatedApiClient({ region: 'cac1.pure.cloud', apiBaseUrl: undefined, timeoutMs: 1000 });
    other.setAccessToken('agent-token');
    expect((client as unknown as { authData: { accessToken?: string } }).authData.accessToken).toBeUndefined();
    expect((platformClient.ApiClient as unknown as { authData: { accessToken?: string } }).authData.accessToken).toBeUndefined();
  });

  it('maps a base URL with a path prefix to the SDK gateway object', () => {
    expect(gatewayFor('https://proxy.example/genesys/')).toEqual({
      host: 'proxy.example',
      protocol: 'https',
      path_params_login: '/genesys',
      path_params_api: '/genesys',
    });
    expect(gatewayFor(undefined)).toBeUndefined();
  });
});
