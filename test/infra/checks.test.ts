import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseBicep, toLiteral } from '../../infra/check/bicep';
import {
  ALLOWED_API_VERSIONS,
  CONFIG_CONTRACT,
  configVariables,
  loadBicep,
  NOT_SET_ON_AZURE,
  REQUIRED_STICKY,
  runAllChecks,
  slotsOf,
  TASK_HUB_NAME,
} from '../../infra/check/rules';
import { PROFILES } from '../../src/config/profiles';
import { describeFindings, ROOT } from './helpers';

describe('the infrastructure as committed', () => {
  const results = runAllChecks(ROOT);

  it.each(results.map((r) => [r.name, r] as const))('passes the %s check', (_name, result) => {
    expect(describeFindings(result.findings)).toBe('');
  });

  it('parses every template and both parameter files', () => {
    const loaded = loadBicep(ROOT);
    expect(loaded.findings).toEqual([]);
    expect([...loaded.files.keys()]).toEqual(
      expect.arrayContaining(['infra/main.bicep', 'infra/env/test.bicepparam', 'infra/env/prod.bicepparam', 'infra/modules/functionapp.bicep', 'infra/modules/apim.bicep']),
    );
    const types = [...loaded.files.values()].flatMap((f) => f.resources.map((r) => r.type));
    for (const required of [
      'Microsoft.Web/serverfarms',
      'Microsoft.Web/sites',
      'Microsoft.Web/sites/slots',
      'Microsoft.Storage/storageAccounts',
      'Microsoft.ServiceBus/namespaces/queues',
      'Microsoft.KeyVault/vaults',
      'Microsoft.Insights/components',
      'Microsoft.OperationalInsights/workspaces',
      'Microsoft.ManagedIdentity/userAssignedIdentities',
      'Microsoft.Authorization/roleAssignments',
      'Microsoft.Web/staticSites',
      'Microsoft.ApiManagement/service',
    ]) {
      expect(types).toContain(required);
    }
    for (const t of types) expect(Object.keys(ALLOWED_API_VERSIONS)).toContain(t);
  });

  it('gives each slot the hub and prefix the profiles expect', () => {
    const loaded = loadBicep(ROOT);
    const test = slotsOf(loaded.files.get('infra/env/test.bicepparam'))!;
    const prod = slotsOf(loaded.files.get('infra/env/prod.bicepparam'))!;
    expect(test.map((s) => [s.name, s.maxconfEnv, s.taskHubName])).toEqual([
      ['production', 'test', PROFILES.test.taskHubName],
      ['edge', 'edge', PROFILES.edge.taskHubName],
    ]);
    expect(prod.map((s) => [s.name, s.maxconfEnv, s.taskHubName])).toEqual([
      ['production', 'prod', PROFILES.prod.taskHubName],
      ['staging', 'prod', 'MaxConfProdStaging'],
    ]);
    expect(test.map((s) => s.roomPrefix)).toEqual([PROFILES.test.roomPrefix, PROFILES.edge.roomPrefix]);
    expect(prod[0]!.roomPrefix).toBe(PROFILES.prod.roomPrefix);
    const staging = prod[1]!;
    expect(staging).toMatchObject({ reaperEnabled: false, genesysEventsTriggerEnabled: false, roomPoolSize: 0 });
    for (const s of [...test, ...prod]) expect(s.taskHubName).toMatch(TASK_HUB_NAME);
  });

  it('sets the queue name and conference host of each environment as the profiles have them', () => {
    for (const [env, profile] of [
      ['test', PROFILES.test],
      ['prod', PROFILES.prod],
    ] as const) {
      const file = parseBicep(readFileSync(join(ROOT, `infra/env/${env}.bicepparam`), 'utf8'));
      const shared = toLiteral(file.assignments.get('shared')!.value) as Record<string, unknown>;
      expect(shared.genesysQueueName).toBe(profile.genesysQueueName);
      expect(shared.pexipConferenceHost).toBe(profile.pexipConferenceHost);
      expect(shared.genesysRegion).toBe(profile.genesysRegion);
    }
  });

  it('reads the config variables from src/config and covers the configuration contract', () => {
    const vars = configVariables(ROOT);
    expect(vars).toEqual(expect.arrayContaining(['MAXCONF_ENV', 'TaskHubName', 'MAXCONF_ROOM_PREFIX', 'GENESYS_EVENTS_QUEUE', 'AUTH_AUDIENCE']));
    // the only contract names left unset on Azure are local-only or alternatives, each with a reason
    expect(CONFIG_CONTRACT.filter((n) => n in NOT_SET_ON_AZURE).sort()).toEqual(['GENESYS_API_BASE_URL', 'MAXCONF_DATA_DIR', 'PEXIP_PASSWORD', 'PEXIP_USERNAME', 'PORT']);
    expect(REQUIRED_STICKY).toEqual(expect.arrayContaining(['TaskHubName', 'MAXCONF_ROOM_PREFIX', 'AzureWebJobs.reaper.Disabled', 'AzureWebJobs.genesysEventsQueue.Disabled']));
  });

  it('names the functions the sticky Disabled settings switch as the app registers them', () => {
    const reaper = readFileSync(join(ROOT, 'src/functions/session.ts'), 'utf8');
    const genesys = readFileSync(join(ROOT, 'src/functions/genesys.ts'), 'utf8');
    expect(reaper).toMatch(/name: 'reaper'/);
    expect(genesys).toMatch(/eventsQueue: 'genesysEventsQueue'/);
  });
});
