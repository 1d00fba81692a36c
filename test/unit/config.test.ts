import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig, parseConfig, PROFILES } from '../../src/config';

const devSecrets = () => ({ eventSinkPassword: 'sink-pw', genesysEventsApiKey: 'events-key' });

/** A complete production environment; each test breaks one thing. */
const PROD = {
  MAXCONF_ENV: 'prod',
  TaskHubName: 'MaxConfProd',
  PEXIP_MANAGEMENT_URL: 'https://management.vc.maxconf.ca/',
  PEXIP_OAUTH_CLIENT_ID: 'client-1',
  PEXIP_OAUTH_PRIVATE_KEY: Buffer.from('-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n').toString('base64'),
  PEXIP_SYSTEM_LOCATION: 'CA-Central',
  PEXIP_EVENT_SINK_USERNAME: 'pexip',
  PEXIP_EVENT_SINK_PASSWORD: 'from-key-vault',
  MAXCONF_ROOM_PREFIX: 'mc-',
  GENESYS_CLIENT_ID: 'g-id',
  GENESYS_CLIENT_SECRET: 'g-secret',
  GENESYS_SIP_URI: 'sip:sbc_vbv_prod@byoc.example',
  GENESYS_ALLOWED_DIVISIONS: 'div-a, div-b',
  GENESYS_EVENTS_API_KEY: 'k',
  AUTH_JWKS_URL: 'https://login.microsoftonline.com/t/discovery/v2.0/keys',
  AUTH_ISSUER: 'https://login.microsoftonline.com/t/v2.0',
  AUTH_AUDIENCE: 'api://maxconf',
  AzureWebJobsStorage__accountName: 'stmaxconfprod',
  AzureWebJobsStorage__clientId: 'identity-client-1',
  MAXCONF_STORAGE_PREFIX: 'maxconfprod',
};

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration', () => {
  it('starts locally with no settings at all, using the local profile', () => {
    const config = parseConfig({}, devSecrets);
    expect(config.env).toBe('local');
    expect(config.port).toBe(7071);
    expect(config.dataDir).toBe('.maxconf/');
    expect(config.pexip.managementUrl).toBeUndefined();
    expect(config.genesys.credentials).toBeUndefined();
    expect(config.genesys.queueName).toBe('SBC_VBV_TEST');
    expect(config.pexip.eventSink.password).toBe('sink-pw');
    expect(config.deadlines).toEqual(PROFILES.local.deadlines);
  });

  it('has the documented default deadlines', () => {
    const d = parseConfig({}, devSecrets).deadlines;
    expect(d).toMatchObject({
      citizenJoinSeconds: 900,
      dialMaxAttempts: 3,
      dialWindowSeconds: 30,
      queueWaitSeconds: 2700,
      reconnectGraceSeconds: 120,
      maxCallSeconds: 7200,
      sessionLifetimeSeconds: 14400,
    });
    expect(parseConfig({}, devSecrets).reaperSchedule).toBe('0 */5 * * * *');
  });

  it('takes every production setting and picks the production queue and host', () => {
    const config = parseConfig(PROD);
    expect(config.genesys.queueName).toBe('SBC_VBV_PROD');
    expect(config.pexip.conferenceHost).toBe('conference.vc.maxconf.ca');
    expect(config.pexip.managementUrl).toBe('https://management.vc.maxconf.ca');
    expect(config.pexip.auth).toMatchObject({ kind: 'oauth2', clientId: 'client-1' });
    expect(config.pexip.auth?.kind === 'oauth2' && config.pexip.auth.privateKeyPem).toContain('BEGIN PRIVATE KEY');
    expect(config.genesys.allowedDivisions).toEqual(['div-a', 'div-b']);
  });

  it('takes the storage account in either form, a connection string or the identity-based account name', () => {
    expect(parseConfig(PROD).storage).toEqual({ account: { accountName: 'stmaxconfprod', clientId: 'identity-client-1' }, prefix: 'maxconfprod' });
    const local = parseConfig({ AzureWebJobsStorage: 'UseDevelopmentStorage=true' }, devSecrets).storage;
    expect(local).toEqual({ account: { connectionString: 'UseDevelopmentStorage=true' }, prefix: 'maxconf' });
    expect(parseConfig({}, devSecrets).storage.account).toBeUndefined();
    expect(errorOf(() => parseConfig({ ...PROD, AzureWebJobsStorage__accountName: undefined }))).toContain('AzureWebJobsStorage');
    expect(errorOf(() => parseConfig({ ...PROD, AzureWebJobsStorage: 'secret-string' }))).toContain('not both');
    expect(errorOf(() => parseConfig({ ...PROD, AzureWebJobsStorage: 'secret-string' }))).not.toContain('secret-string');
    expect(errorOf(() => parseConfig({ MAXCONF_STORAGE_PREFIX: 'max-conf' }, devSecrets))).toContain('MAXCONF_STORAGE_PREFIX');
  });

  it.each(['TaskHubName', 'PEXIP_MANAGEMENT_URL', 'GENESYS_CLIENT_SECRET', 'AUTH_JWKS_URL', 'MAXCONF_ROOM_PREFIX', 'MAXCONF_STORAGE_PREFIX'])(
    'refuses to start in prod without %s, naming it in one line',
    (name) => {
      const env: Record<string, string | undefined> = { ...PROD, [name]: undefined };
      const message = errorOf(() => parseConfig(env));
      expect(message).toContain(name);
      expect(message).not.toContain('\n');
    },
  );

  it.each([
    ['PORT', 'eighty', 'PORT'],
    ['MAXCONF_ENV', 'staging', 'MAXCONF_ENV'],
    ['ROOM_POOL_SIZE', '-1', 'ROOM_POOL_SIZE'],
    ['PEXIP_MANAGEMENT_URL', 'not a url', 'PEXIP_MANAGEMENT_URL'],
    ['TaskHubName', 'hub-with-dash', 'TaskHubName'],
    ['MAXCONF_ROOM_PREFIX', 'test_', 'MAXCONF_ROOM_PREFIX'],
    ['GENESYS_SIP_URI', 'queue@host', 'GENESYS_SIP_URI'],
    ['REAPER_SCHEDULE', '*/5 * * * *', 'REAPER_SCHEDULE'],
    ['QUEUE_OBSERVER_SCHEDULE', 'every 10 s', 'QUEUE_OBSERVER_SCHEDULE'],
    ['RECONCILER_SCHEDULE', '*/15 * * * *', 'RECONCILER_SCHEDULE'],
    ['PEXIP_DIAL_UUI_HEADER', 'yes', 'PEXIP_DIAL_UUI_HEADER'],
  ])('rejects a bad %s', (name, value, named) => {
    expect(errorOf(() => parseConfig({ [name]: value }, devSecrets))).toContain(named);
  });

  it('rejects half a credential pair and both Pexip auth modes at once', () => {
    expect(errorOf(() => parseConfig({ PEXIP_USERNAME: 'admin' }, devSecrets))).toContain('PEXIP_PASSWORD');
    expect(errorOf(() => parseConfig({ ...PROD, PEXIP_USERNAME: 'a', PEXIP_PASSWORD: 'b' }))).toContain('not both');
    expect(errorOf(() => parseConfig({ GENESYS_CLIENT_ID: 'x' }, devSecrets))).toContain('GENESYS_CLIENT_SECRET');
  });

  it('lets the environment override a profile deadline and pool size', () => {
    const config = parseConfig({ CITIZEN_JOIN_TIMEOUT_SECONDS: '60', ROOM_POOL_SIZE: '7' }, devSecrets);
    expect(config.deadlines.citizenJoinSeconds).toBe(60);
    expect(config.roomPoolSize).toBe(7);
  });

  it('generates local secrets once per data directory and keeps them across restarts', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mc-config-'));
    const first = loadConfig({ MAXCONF_DATA_DIR: dir });
    const second = loadConfig({ MAXCONF_DATA_DIR: dir });
    expect(first.pexip.eventSink.password).toHaveLength(24);
    expect(second.pexip.eventSink.password).toBe(first.pexip.eventSink.password);
    expect(second.genesys.eventsApiKey).toBe(first.genesys.eventsApiKey);
    expect(JSON.parse(readFileSync(join(dir, 'dev-secrets.json'), 'utf8')).eventSinkPassword).toBe(first.pexip.eventSink.password);
  });
});
