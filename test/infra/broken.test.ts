/**
 * The checks must FAIL on a broken environment: each case breaks one thing in a scratch copy of
 * the repository and expects the finding that names it (and nothing passes silently).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { copyRepo, describeFindings, ROOT, type Copy } from './helpers';

const TEST_PARAMS = 'infra/env/test.bicepparam';
const PROD_PARAMS = 'infra/env/prod.bicepparam';
const FUNCTION_APP = 'infra/modules/functionapp.bicep';
const API_WORKFLOW = '.github/workflows/api.yml';

interface Case {
  what: string;
  break(copy: Copy): void;
  check: string;
  message: RegExp;
}

const cases: Case[] = [
  {
    what: 'a required parameter missing from the Test parameter file',
    break: (c) => c.edit(TEST_PARAMS, (t) => t.replace("param apimSku = 'Developer'\n", '')),
    check: 'parameters',
    message: /required parameter "apimSku" of infra\/main\.bicep is not set/,
  },
  {
    what: 'a parameter file setting a parameter main.bicep does not declare',
    break: (c) => c.edit(PROD_PARAMS, (t) => t + "\nparam apimSkew = 'Standard'\n"),
    check: 'parameters',
    message: /"apimSkew" is not declared/,
  },
  {
    what: 'a member of the shared settings missing in Production',
    break: (c) => c.edit(PROD_PARAMS, (t) => t.replace("  genesysQueueName: 'SBC_VBV_PROD'\n", '')),
    check: 'parameters',
    message: /shared: "genesysQueueName" is not set/,
  },
  {
    what: 'a parameter removed from main.bicep that the files still set',
    break: (c) => c.edit('infra/main.bicep', (t) => t.replace(/@description\('API Management SKU[^\n]*\n@allowed\(\[\n( {2}'\w+'\n)+\]\)\nparam apimSku string\n/, '')),
    check: 'parameters',
    message: /parameter "apimSku" is not declared in infra\/main\.bicep/,
  },
  {
    what: 'a secret literal instead of a Key Vault reference',
    break: (c) => c.edit(FUNCTION_APP, (t) => t.replace('PEXIP_EVENT_SINK_PASSWORD: kv.pexipEventSinkPassword', "PEXIP_EVENT_SINK_PASSWORD: 'Winter2026-sink-pw'")),
    check: 'app-settings',
    message: /PEXIP_EVENT_SINK_PASSWORD holds a secret and must be a Key Vault reference/,
  },
  {
    what: 'a secret literal anywhere in a template',
    break: (c) => c.edit('infra/modules/storage.bicep', (t) => t + "\nvar conn = 'DefaultEndpointsProtocol=https;AccountName=x;AccountKey=c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0'\n"),
    check: 'secrets',
    message: /looks like a secret literal/,
  },
  {
    what: 'the hub name missing from the sticky settings',
    break: (c) => c.edit(FUNCTION_APP, (t) => t.replace("var stickySettingNames = [\n  'MAXCONF_ENV'\n  'TaskHubName'\n", "var stickySettingNames = [\n  'MAXCONF_ENV'\n")),
    check: 'app-settings',
    message: /slotConfigNames does not list TaskHubName/,
  },
  {
    what: 'the reaper switch missing from the per-slot settings',
    break: (c) => c.edit(FUNCTION_APP, (t) => t.replace(/\n {4}'AzureWebJobs\.reaper\.Disabled': [^\n]+/, '')),
    check: 'app-settings',
    message: /AzureWebJobs\.reaper\.Disabled is sticky but not set per slot/,
  },
  {
    what: 'a config variable no slot sets',
    break: (c) => c.edit(FUNCTION_APP, (t) => t.replace(/\n {2}GENESYS_SIP_URI: [^\n]+/, '')),
    check: 'app-settings',
    message: /config variable GENESYS_SIP_URI .* is not set/,
  },
  {
    what: 'a new config variable in src/config that the templates do not set yet',
    break: (c) => c.edit('src/config/config.ts', (t) => t.replace('  SESSION_LIFETIME_SECONDS: positiveInt,\n', '  SESSION_LIFETIME_SECONDS: positiveInt,\n  PEXIP_NEW_SETTING: text,\n')),
    check: 'app-settings',
    message: /config variable PEXIP_NEW_SETTING/,
  },
  {
    what: 'two slots sharing one task hub',
    break: (c) => c.edit(TEST_PARAMS, (t) => t.replace("taskHubName: 'MaxConfTestEdge'", "taskHubName: 'MaxConfTest'")),
    check: 'slots',
    message: /task hub MaxConfTest is used by another slot/,
  },
  {
    what: 'an invalid task hub name',
    break: (c) => c.edit(PROD_PARAMS, (t) => t.replace("taskHubName: 'MaxConfProdStaging'", "taskHubName: 'MaxConf-Prod-Staging'")),
    check: 'slots',
    message: /task hub name "MaxConf-Prod-Staging" is not 3-45 letters and digits/,
  },
  {
    what: 'the staging slot running the reaper',
    break: (c) => c.edit(PROD_PARAMS, (t) => t.replace('    reaperEnabled: false\n', '    reaperEnabled: true\n')),
    check: 'slots',
    message: /slot "staging": the reaper must be disabled outside production/,
  },
  {
    what: 'room prefixes that overlap on a shared Pexip',
    break: (c) => c.edit(TEST_PARAMS, (t) => t.replace("roomPrefix: 'mcedge-'", "roomPrefix: 'mctest-edge-'")),
    check: 'slots',
    message: /room prefix mctest- \(slot production\) is a prefix of mctest-edge-/,
  },
  {
    what: 'an apiVersion nobody checked',
    break: (c) => c.edit('infra/modules/keyvault.bicep', (t) => t.replace("'Microsoft.KeyVault/vaults@2023-07-01' =", "'Microsoft.KeyVault/vaults@2016-10-01' =")),
    check: 'api-versions',
    message: /Microsoft\.KeyVault\/vaults@2016-10-01 is not an allowed apiVersion/,
  },
  {
    what: 'a template that does not parse',
    break: (c) => c.edit('infra/modules/monitoring.bicep', (t) => t.replace("      name: 'PerGB2018'\n    }\n", "      name: 'PerGB2018'\n")),
    check: 'syntax',
    message: /./,
  },
  {
    what: 'a module call missing a parameter the module requires',
    break: (c) => c.edit('infra/main.bicep', (t) => t.replace('    apimName: apimName\n', '')),
    check: 'modules',
    message: /module apim does not pass required parameter "apimName"/,
  },
  {
    what: 'a policy file the template loads removed',
    break: (c) => c.edit('infra/modules/apim.bicep', (t) => t.replace("loadTextContent('../apim/public.xml')", "loadTextContent('../apim/open.xml')")),
    check: 'modules',
    message: /\.\.\/apim\/open\.xml .* does not exist/,
  },
  {
    what: 'a workflow that is not valid YAML',
    break: (c) => c.edit(API_WORKFLOW, (t) => t.replace('jobs:\n', 'jobs:\n  build: [unclosed\n')),
    check: 'workflows',
    message: /invalid YAML/,
  },
  {
    what: 'a swap without the approval environment',
    break: (c) => c.edit(API_WORKFLOW, (t) => t.replace('    environment: production\n', '    environment: prod-staging\n')),
    check: 'workflows',
    message: /must run in the "production" environment/,
  },
  {
    what: 'a deploy job that builds again',
    break: (c) => c.edit(API_WORKFLOW, (t) => t.replace('      - uses: Azure/functions-action@v1\n        with:\n          app-name: ${{ vars.FUNCTION_APP_NAME }}\n          slot-name: edge\n', '      - run: npm ci && npm run build\n      - uses: Azure/functions-action@v1\n        with:\n          app-name: ${{ vars.FUNCTION_APP_NAME }}\n          slot-name: edge\n')),
    check: 'workflows',
    message: /job deploy-edge builds again/,
  },
  {
    what: 'a stored Azure credential in a workflow',
    break: (c) => c.edit('.github/workflows/api-rollback.yml', (t) => t.replace('          client-id: ${{ vars.AZURE_CLIENT_ID }}\n', '          creds: ${{ secrets.AZURE_CREDENTIALS }}\n          client-id: ${{ vars.AZURE_CLIENT_ID }}\n')),
    check: 'secrets',
    message: /stored Azure credentials in a workflow/,
  },
  {
    what: 'a runbook naming a command that does not exist',
    break: (c) => c.edit('docs/deploy.md', (t) => t + '\nThen run `npm run infra:apply` and `scripts/deploy/teleport.sh`.\n'),
    check: 'runbook',
    message: /npm run infra:apply/,
  },
];

describe('the checks on a deliberately broken copy', () => {
  it('find nothing on an untouched copy (so each failure below comes from its one change)', () => {
    const copy = copyRepo();
    try {
      expect(describeFindings(copy.findings())).toBe('');
    } finally {
      copy.dispose();
    }
  });

  it.each(cases.map((c) => [c.what, c] as const))('fail on %s', (_what, c) => {
    const copy = copyRepo();
    try {
      c.break(copy);
      const findings = copy.findings();
      const hits = findings.filter((f) => f.check === c.check && c.message.test(f.message));
      if (hits.length === 0) throw new Error(`expected a ${c.check} finding matching ${c.message}, got:\n${describeFindings(findings) || '(none)'}`);
    } finally {
      copy.dispose();
    }
  });

  it('make `npm run infra:check` exit non-zero with a readable report', () => {
    const copy = copyRepo();
    try {
      copy.edit(TEST_PARAMS, (t) => t.replace("taskHubName: 'MaxConfTestEdge'", "taskHubName: 'MaxConfTest'"));
      const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'infra/check/tsconfig.json')], { encoding: 'utf8' });
      expect(tsc.stdout + tsc.stderr).toBe('');
      const cli = join(ROOT, 'dist/infra-check/infra/check/cli.js');
      const broken = spawnSync(process.execPath, [cli, '--root', copy.root], { encoding: 'utf8' });
      expect(broken.status).toBe(1);
      expect(broken.stdout).toMatch(/FAIL {2}slots/);
      expect(broken.stdout).toMatch(/task hub MaxConfTest is used by another slot/);
      expect(broken.stdout).toMatch(/\d+ passed, [1-9]\d* failed/);
      const good = spawnSync(process.execPath, [cli, '--root', ROOT], { encoding: 'utf8' });
      expect(good.stdout).toMatch(/9 passed, 0 failed/);
      expect(good.status).toBe(0);
    } finally {
      copy.dispose();
    }
  }, 120000);
});
