/**
 * The offline checks of MaxConf's environments: the Bicep templates, their parameter files, the
 * deployment workflows, the deploy scripts and the runbook. Each check returns findings; an empty
 * list means it passed. `npm run infra:check` prints them (infra/check/cli.ts) and the jest suite
 * (test/infra/) asserts on them, including on deliberately broken copies.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { BicepSyntaxError, Deferred, parseBicep, prop, toLiteral, type BicepFile, type Literal, type Node } from './bicep';

export interface Finding {
  check: string;
  file: string;
  line?: number | undefined;
  message: string;
}

/** resource type -> apiVersions checked against Azure/bicep-types-az (generated/<rp>/<ns>/<version>/types.md) */
export const ALLOWED_API_VERSIONS: Record<string, string[]> = {
  'Microsoft.Web/serverfarms': ['2024-04-01'],
  'Microsoft.Web/sites': ['2024-04-01'],
  'Microsoft.Web/sites/config': ['2024-04-01'],
  'Microsoft.Web/sites/slots': ['2024-04-01'],
  'Microsoft.Web/sites/slots/config': ['2024-04-01'],
  'Microsoft.Web/staticSites': ['2024-04-01'],
  'Microsoft.Web/staticSites/customDomains': ['2024-04-01'],
  'Microsoft.Storage/storageAccounts': ['2023-05-01'],
  'Microsoft.Storage/storageAccounts/fileServices': ['2023-05-01'],
  'Microsoft.Storage/storageAccounts/fileServices/shares': ['2023-05-01'],
  'Microsoft.ServiceBus/namespaces': ['2024-01-01'],
  'Microsoft.ServiceBus/namespaces/queues': ['2024-01-01'],
  'Microsoft.KeyVault/vaults': ['2023-07-01'],
  'Microsoft.KeyVault/vaults/secrets': ['2023-07-01'],
  'Microsoft.OperationalInsights/workspaces': ['2023-09-01'],
  'Microsoft.Insights/components': ['2020-02-02'],
  'Microsoft.ManagedIdentity/userAssignedIdentities': ['2023-01-31'],
  'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials': ['2023-01-31'],
  'Microsoft.Authorization/roleAssignments': ['2022-04-01'],
  'Microsoft.ApiManagement/service': ['2024-05-01'],
  'Microsoft.ApiManagement/service/namedValues': ['2024-05-01'],
  'Microsoft.ApiManagement/service/apis': ['2024-05-01'],
  'Microsoft.ApiManagement/service/apis/policies': ['2024-05-01'],
  'Microsoft.ApiManagement/service/apis/operations': ['2024-05-01'],
  'Microsoft.ApiManagement/service/products': ['2024-05-01'],
  'Microsoft.ApiManagement/service/products/apis': ['2024-05-01'],
};

/** Platform settings a Linux Elastic Premium Node function app with identity-based storage needs. */
export const REQUIRED_PLATFORM_SETTINGS = [
  'FUNCTIONS_EXTENSION_VERSION',
  'FUNCTIONS_WORKER_RUNTIME',
  'WEBSITE_RUN_FROM_PACKAGE',
  'APPLICATIONINSIGHTS_CONNECTION_STRING',
  'AZURE_CLIENT_ID',
  'AzureWebJobsStorage__accountName',
  'AzureWebJobsStorage__credential',
  'AzureWebJobsStorage__clientId',
  'WEBSITE_CONTENTAZUREFILECONNECTIONSTRING',
  'WEBSITE_CONTENTSHARE',
  'ServiceBusConnection__fullyQualifiedNamespace',
  'ServiceBusConnection__credential',
  'ServiceBusConnection__clientId',
];

/** The configuration contract of docs/architecture.md (operators and tests rely on these names). */
export const CONFIG_CONTRACT = [
  'MAXCONF_ENV',
  'PORT',
  'MAXCONF_DATA_DIR',
  'PEXIP_MANAGEMENT_URL',
  'PEXIP_USERNAME',
  'PEXIP_PASSWORD',
  'PEXIP_OAUTH_CLIENT_ID',
  'PEXIP_OAUTH_PRIVATE_KEY',
  'PEXIP_CONFERENCE_HOST',
  'PEXIP_SYSTEM_LOCATION',
  'PEXIP_EVENT_SINK_USERNAME',
  'PEXIP_EVENT_SINK_PASSWORD',
  'ROOM_POOL_SIZE',
  'MAXCONF_ROOM_PREFIX',
  'TaskHubName',
  'GENESYS_REGION',
  'GENESYS_CLIENT_ID',
  'GENESYS_CLIENT_SECRET',
  'GENESYS_API_BASE_URL',
  'GENESYS_QUEUE_NAME',
  'GENESYS_SIP_URI',
  'GENESYS_ALLOWED_DIVISIONS',
  'GENESYS_EVENTS_API_KEY',
  'ServiceBusConnection__fullyQualifiedNamespace',
  'GENESYS_EVENTS_QUEUE',
  'AUTH_JWKS_URL',
  'AUTH_ISSUER',
  'AUTH_AUDIENCE',
];

/** Config variables Azure deliberately leaves unset, and why. Everything else must be set. */
export const NOT_SET_ON_AZURE: Record<string, string> = {
  PORT: 'port of the local host only; the Functions host owns the port on Azure',
  MAXCONF_DATA_DIR: 'state directory of the local host only; Azure keeps state in the task hub',
  PEXIP_USERNAME: 'Basic auth is the alternative to the OAuth2 client MaxConf uses on Azure (config rejects both at once)',
  PEXIP_PASSWORD: 'Basic auth is the alternative to the OAuth2 client MaxConf uses on Azure (config rejects both at once)',
  GENESYS_API_BASE_URL: 'override for the simulator or a proxy; Azure talks to the real region',
  AzureWebJobsStorage: 'the connection-string form (Azurite locally); Azure uses the identity-based AzureWebJobsStorage__accountName',
};

/** Settings whose values are secrets: only ever a Key Vault reference. */
export const SECRET_SETTINGS = [
  'PEXIP_PASSWORD',
  'PEXIP_OAUTH_PRIVATE_KEY',
  'PEXIP_EVENT_SINK_PASSWORD',
  'GENESYS_CLIENT_SECRET',
  'GENESYS_EVENTS_API_KEY',
  'CITIZEN_TOKEN_KEY',
  'WEBSITE_CONTENTAZUREFILECONNECTIONSTRING',
];

/** Settings that must stay with their slot through a swap. */
export const REQUIRED_STICKY = [
  'TaskHubName',
  'MAXCONF_ENV',
  'MAXCONF_ROOM_PREFIX',
  'ROOM_POOL_SIZE',
  'GENESYS_EVENTS_QUEUE',
  'WEBSITE_CONTENTSHARE',
  'MAXCONF_STORAGE_PREFIX',
  'AzureWebJobs.reaper.Disabled',
  'AzureWebJobs.genesysEventsQueue.Disabled',
];

export const TASK_HUB_NAME = /^[A-Za-z][A-Za-z0-9]{2,44}$/;
const ROOM_PREFIX = /^[a-z][a-z0-9]*-$/;

export const ENVIRONMENTS = {
  test: { file: 'infra/env/test.bicepparam', profiles: ['test', 'edge'], extraSlot: 'edge' },
  prod: { file: 'infra/env/prod.bicepparam', profiles: ['prod'], extraSlot: 'staging' },
} as const;

export interface CheckResult {
  name: string;
  description: string;
  findings: Finding[];
}

function read(root: string, rel: string): string {
  return readFileSync(join(root, rel), 'utf8');
}

function walk(root: string, rel: string, filter: (name: string) => boolean): string[] {
  const dir = join(root, rel);
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const child = join(rel, name);
    if (statSync(join(root, child)).isDirectory()) out.push(...walk(root, child, filter));
    else if (filter(name)) out.push(child);
  }
  return out;
}

interface Loaded {
  files: Map<string, BicepFile>;
  findings: Finding[];
}

/** Parses every .bicep and .bicepparam under infra/; syntax errors become findings. */
export function loadBicep(root: string): Loaded {
  const files = new Map<string, BicepFile>();
  const findings: Finding[] = [];
  for (const rel of walk(root, 'infra', (n) => n.endsWith('.bicep') || n.endsWith('.bicepparam'))) {
    try {
      files.set(rel, parseBicep(read(root, rel), rel));
    } catch (e) {
      if (e instanceof BicepSyntaxError) findings.push({ check: 'syntax', file: rel, line: e.line, message: e.message });
      else throw e;
    }
  }
  if (!files.has('infra/main.bicep') && !findings.some((f) => f.file === 'infra/main.bicep')) {
    findings.push({ check: 'syntax', file: 'infra/main.bicep', message: 'infra/main.bicep is missing' });
  }
  return { files, findings };
}

function keysOf(node: Node | undefined): string[] {
  if (!node) return [];
  if (node.kind === 'object') return node.entries.map((e) => e.key);
  if (node.kind === 'for' || node.kind === 'if') return keysOf(node.body);
  return [];
}

function stringItems(node: Node | undefined): string[] {
  if (node?.kind !== 'array') return [];
  return node.items.flatMap((i) => (i.kind === 'string' && i.value !== undefined ? [i.value] : []));
}

// ---------------------------------------------------------------------------------------------

export function checkApiVersions(loaded: Loaded): Finding[] {
  const findings: Finding[] = [];
  for (const [rel, file] of loaded.files) {
    for (const r of file.resources) {
      const allowed = ALLOWED_API_VERSIONS[r.type];
      if (!allowed) findings.push({ check: 'api-versions', file: rel, line: r.line, message: `resource type ${r.type} is not on the allow-list` });
      else if (!allowed.includes(r.apiVersion)) {
        findings.push({ check: 'api-versions', file: rel, line: r.line, message: `${r.type}@${r.apiVersion} is not an allowed apiVersion (allowed: ${allowed.join(', ')})` });
      }
    }
  }
  return findings;
}

export function checkModules(root: string, loaded: Loaded): Finding[] {
  const findings: Finding[] = [];
  for (const [rel, file] of loaded.files) {
    for (const m of file.modules) {
      const target = relative(root, resolve(root, dirname(rel), m.path));
      const mod = loaded.files.get(target);
      if (!existsSync(join(root, target))) {
        findings.push({ check: 'modules', file: rel, line: m.line, message: `module ${m.symbol}: ${m.path} does not exist` });
        continue;
      }
      if (!mod) continue; // its syntax error is reported already
      const given = keysOf(prop(m.body, 'params'));
      for (const key of given) {
        if (!mod.params.has(key)) findings.push({ check: 'modules', file: rel, line: m.line, message: `module ${m.symbol} passes "${key}", which ${m.path} does not declare` });
      }
      for (const p of mod.params.values()) {
        if (!p.hasDefault && !p.nullable && !given.includes(p.name)) {
          findings.push({ check: 'modules', file: rel, line: m.line, message: `module ${m.symbol} does not pass required parameter "${p.name}" of ${m.path}` });
        }
      }
    }
    // files the templates load (APIM policies) must exist
    const text = read(root, rel);
    for (const match of text.matchAll(/load(?:Text|Json|FileAsBase64)Content\(\s*'([^']+)'/g)) {
      if (!existsSync(resolve(root, dirname(rel), match[1]!))) findings.push({ check: 'modules', file: rel, message: `${match[1]} (loaded by the template) does not exist` });
    }
    for (const [name, p] of file.params) {
      if (p.secure && p.hasDefault) findings.push({ check: 'secrets', file: rel, line: p.line, message: `@secure() parameter "${name}" has a default value` });
    }
  }
  return findings;
}

export function checkParameterFiles(root: string, loaded: Loaded): Finding[] {
  const findings: Finding[] = [];
  const main = loaded.files.get('infra/main.bicep');
  if (!main) return findings;
  for (const env of Object.values(ENVIRONMENTS)) {
    const file = loaded.files.get(env.file);
    if (!file) {
      if (!existsSync(join(root, env.file))) findings.push({ check: 'parameters', file: env.file, message: 'parameter file is missing' });
      continue;
    }
    if (!file.using || relative(root, resolve(root, dirname(env.file), file.using)) !== 'infra/main.bicep') {
      findings.push({ check: 'parameters', file: env.file, message: "must start with using '../main.bicep'" });
    }
    for (const [name, a] of file.assignments) {
      if (!main.params.has(name)) findings.push({ check: 'parameters', file: env.file, line: a.line, message: `parameter "${name}" is not declared in infra/main.bicep` });
    }
    for (const p of main.params.values()) {
      if (!p.hasDefault && !p.nullable && !file.assignments.has(p.name)) {
        findings.push({ check: 'parameters', file: env.file, message: `required parameter "${p.name}" of infra/main.bicep is not set` });
      }
    }
    // every member of an object parameter's type must be given (a missing member fails at deploy)
    for (const [name, a] of file.assignments) {
      const decl = main.params.get(name);
      if (!decl) continue;
      const typeName = decl.type.replace(/\s*\[\s*\]\s*$/, '').trim();
      const typeNode = parseTypeMembers(main, root, typeName);
      if (!typeNode) continue;
      const values = a.value.kind === 'array' ? a.value.items : [a.value];
      for (const v of values) {
        const given = keysOf(v);
        for (const member of typeNode) {
          if (!given.includes(member)) findings.push({ check: 'parameters', file: env.file, line: v.line, message: `${name}: "${member}" is not set` });
        }
        for (const key of given) {
          if (!typeNode.includes(key)) findings.push({ check: 'parameters', file: env.file, line: v.line, message: `${name}: "${key}" is not a member of ${typeName}` });
        }
      }
    }
  }
  return findings;
}

/** Members of a user-defined object type declared in main.bicep (re-read: types are not modelled). */
function parseTypeMembers(main: BicepFile, root: string, typeName: string): string[] | undefined {
  if (!main.types.includes(typeName)) return undefined;
  const text = read(root, main.path);
  const start = text.search(new RegExp(`^type\\s+${typeName}\\s*=\\s*\\{`, 'm'));
  if (start < 0) return undefined;
  const body = text.slice(text.indexOf('{', start) + 1);
  let depth = 0;
  const members: string[] = [];
  for (const line of body.split('\n')) {
    const trimmed = line.trim();
    if (depth === 0 && trimmed === '}') break;
    const m = /^([A-Za-z_][A-Za-z0-9_]*)\??\s*:/.exec(trimmed);
    if (depth === 0 && m) members.push(m[1]!);
    depth += (trimmed.match(/[{[]/g) ?? []).length - (trimmed.match(/[}\]]/g) ?? []).length;
  }
  return members;
}

export interface SlotValues {
  name: string;
  maxconfEnv: string;
  taskHubName: string;
  roomPrefix: string;
  roomPoolSize: number;
  eventsQueue: string;
  reaperEnabled: boolean;
  genesysEventsTriggerEnabled: boolean;
}

export function slotsOf(file: BicepFile | undefined): SlotValues[] | undefined {
  const a = file?.assignments.get('slots');
  if (!a) return undefined;
  const value = toLiteral(a.value);
  return Array.isArray(value) ? (value as unknown as SlotValues[]) : undefined;
}

export function checkSlots(loaded: Loaded): Finding[] {
  const findings: Finding[] = [];
  for (const [envName, env] of Object.entries(ENVIRONMENTS)) {
    const file = loaded.files.get(env.file);
    if (!file) continue;
    const slots = slotsOf(file);
    const f = (message: string) => findings.push({ check: 'slots', file: env.file, message });
    if (!slots || slots.length === 0) {
      f('"slots" must be a non-empty array literal');
      continue;
    }
    if (slots[0]?.name !== 'production') f('the first slot must be "production" (the app itself)');
    if (!slots.some((s) => s.name === env.extraSlot)) f(`the ${envName} app must have a "${env.extraSlot}" slot`);
    const seen = { name: new Set<string>(), hub: new Set<string>(), queue: new Set<string>() };
    for (const s of slots) {
      const where = `slot "${s.name}"`;
      if (seen.name.has(s.name)) f(`${where} is listed twice`);
      seen.name.add(s.name);
      if (typeof s.taskHubName !== 'string' || !TASK_HUB_NAME.test(s.taskHubName)) {
        f(`${where}: task hub name ${JSON.stringify(s.taskHubName)} is not 3-45 letters and digits starting with a letter`);
      } else if (seen.hub.has(s.taskHubName.toLowerCase())) f(`${where}: task hub ${s.taskHubName} is used by another slot (slots must never share a hub)`);
      else seen.hub.add(s.taskHubName.toLowerCase());
      if (typeof s.roomPrefix !== 'string' || !ROOM_PREFIX.test(s.roomPrefix) || /^(test_|vkiosk_)/.test(s.roomPrefix)) {
        f(`${where}: room prefix ${JSON.stringify(s.roomPrefix)} must be lower-case letters and digits ending in "-"`);
      }
      if (!(env.profiles as readonly string[]).includes(s.maxconfEnv)) f(`${where}: MAXCONF_ENV ${JSON.stringify(s.maxconfEnv)} does not belong to ${envName}`);
      if (typeof s.roomPoolSize !== 'number' || s.roomPoolSize < 0) f(`${where}: roomPoolSize must be a number >= 0`);
      if (typeof s.reaperEnabled !== 'boolean' || typeof s.genesysEventsTriggerEnabled !== 'boolean') f(`${where}: reaperEnabled and genesysEventsTriggerEnabled must be true or false`);
      if (s.genesysEventsTriggerEnabled) {
        if (seen.queue.has(s.eventsQueue)) f(`${where}: queue ${s.eventsQueue} is read by another slot, which would steal its events`);
        seen.queue.add(s.eventsQueue);
      }
      if (s.name === 'production' && (!s.reaperEnabled || !s.genesysEventsTriggerEnabled)) f(`${where}: production must run the reaper and the Service Bus trigger`);
      if (envName === 'prod' && s.name !== 'production') {
        // a slot waiting to be swapped in must not do production's work on production's Pexip
        if (s.reaperEnabled) f(`${where}: the reaper must be disabled outside production`);
        if (s.genesysEventsTriggerEnabled) f(`${where}: the Service Bus trigger must be disabled outside production`);
        if (s.roomPoolSize !== 0) f(`${where}: must keep no warm rooms (roomPoolSize 0)`);
      }
    }
    // slots sharing one Pexip must not be able to claim each other's rooms
    for (const a of slots) {
      for (const b of slots) {
        if (a !== b && typeof a.roomPrefix === 'string' && typeof b.roomPrefix === 'string' && b.roomPrefix.startsWith(a.roomPrefix)) {
          f(`room prefix ${a.roomPrefix} (slot ${a.name}) is a prefix of ${b.roomPrefix} (slot ${b.name})`);
        }
      }
    }
  }
  return findings;
}

/** Every variable the config reads (src/config/config.ts envSchema), so a new one is noticed. */
export function configVariables(root: string): string[] {
  const text = read(root, 'src/config/config.ts');
  const start = text.indexOf('const envSchema = z.object({');
  if (start < 0) throw new Error('src/config/config.ts: envSchema not found; update infra/check/rules.ts');
  const end = text.indexOf('\n});', start);
  const names = new Set<string>();
  for (const m of text.slice(start, end).matchAll(/^ {2}([A-Za-z_][A-Za-z0-9_]*):/gm)) names.add(m[1]!);
  return [...names];
}

const FUNCTION_APP = 'infra/modules/functionapp.bicep';

export function checkAppSettings(root: string, loaded: Loaded): Finding[] {
  const findings: Finding[] = [];
  const file = loaded.files.get(FUNCTION_APP);
  const f = (message: string, line?: number) => findings.push({ check: 'app-settings', file: FUNCTION_APP, line, message });
  if (!file) {
    if (!existsSync(join(root, FUNCTION_APP))) f('the function app module is missing');
    return findings;
  }
  const common = file.vars.get('commonSettings');
  const perSlot = file.vars.get('slotSettings');
  if (common?.kind !== 'object') f('var commonSettings must be an object literal');
  if (perSlot?.kind !== 'for' || perSlot.body.kind !== 'object') f('var slotSettings must be [for slot in slots: { ... }]');
  const commonKeys = keysOf(common);
  const slotKeys = keysOf(perSlot);
  const all = new Set([...commonKeys, ...slotKeys]);
  for (const k of commonKeys) if (slotKeys.includes(k)) f(`${k} is set both for every slot and per slot`);

  for (const name of REQUIRED_PLATFORM_SETTINGS) if (!all.has(name)) f(`required app setting ${name} is not set`);
  const needed = new Set([...CONFIG_CONTRACT, ...configVariables(root)]);
  for (const name of needed) {
    if (name in NOT_SET_ON_AZURE) continue;
    if (!all.has(name)) f(`config variable ${name} (src/config / docs/architecture.md) is not set for every slot`);
  }
  for (const name of Object.keys(NOT_SET_ON_AZURE)) if (all.has(name)) f(`${name} is set on Azure although it is listed as not set there: ${NOT_SET_ON_AZURE[name]}`);

  // Secrets: the value is a Key Vault reference, directly or through `kv.<name>`.
  const kv = file.vars.get('kv');
  for (const name of SECRET_SETTINGS) {
    const node = prop(common, name) ?? prop(perSlot, name);
    if (!node) continue;
    if (!isKeyVaultReference(node, kv)) f(`${name} holds a secret and must be a Key Vault reference (@Microsoft.KeyVault(...))`, node.line);
  }
  for (const name of [...commonKeys, ...slotKeys]) {
    if (SECRET_SETTINGS.includes(name)) continue;
    const node = prop(common, name) ?? prop(perSlot, name);
    if (node?.kind === 'string' && node.value !== undefined && /secret|password|key/i.test(name) && !/^@Microsoft\.KeyVault\(/.test(node.value)) {
      f(`${name} looks like a secret set to a literal`, node.line);
    }
  }

  // The settings reach the app and every slot: both appsettings resources merge common + per-slot.
  const configs = file.resources.filter((r) => r.type.endsWith('/config') && prop(r.body, 'name')?.kind === 'string');
  const named = (type: string, name: string) => configs.find((r) => r.type === type && (prop(r.body, 'name') as { value?: string }).value === name);
  for (const type of ['Microsoft.Web/sites/config', 'Microsoft.Web/sites/slots/config']) {
    const r = named(type, 'appsettings');
    const raw = r ? JSON.stringify(prop(r.body, 'properties')) : '';
    if (!r) f(`no ${type} resource named 'appsettings'`);
    else if (!raw.includes('commonSettings') || !raw.includes('slotSettings')) f(`${type} 'appsettings' must be union(commonSettings, slotSettings[...])`, r.line);
  }

  // Sticky settings.
  const sticky = named('Microsoft.Web/sites/config', 'slotConfigNames');
  if (!sticky) f("no Microsoft.Web/sites/config resource named 'slotConfigNames'");
  else {
    let names = prop(prop(sticky.body, 'properties'), 'appSettingNames');
    if (names?.kind === 'expr') names = file.vars.get(names.raw.trim());
    const listed = stringItems(names);
    for (const name of REQUIRED_STICKY) if (!listed.includes(name)) f(`slotConfigNames does not list ${name}`, sticky.line);
    for (const name of slotKeys) if (!listed.includes(name)) f(`${name} differs per slot but is not sticky: a swap would carry it to the other slot`, sticky.line);
    for (const name of listed) if (!slotKeys.includes(name)) f(`${name} is sticky but not set per slot`, sticky.line);
  }

  // The runtime: Linux EP1 (slots + Durable), Node 22.
  const text = read(root, FUNCTION_APP);
  if (!/name:\s*'EP1'/.test(text) || !/tier:\s*'ElasticPremium'/.test(text)) f('the plan must be EP1 / ElasticPremium');
  if (!/linuxFxVersion:\s*'Node\|22'/.test(text)) f("linuxFxVersion must be 'Node|22'");
  if (!/kind:\s*'functionapp,linux'/.test(text)) f("the app must be kind 'functionapp,linux'");

  // host.json must read the hub from the sticky setting.
  const host = JSON.parse(read(root, 'host.json')) as { extensions?: { durableTask?: { hubName?: string } } };
  if (host.extensions?.durableTask?.hubName !== '%TaskHubName%') {
    findings.push({ check: 'app-settings', file: 'host.json', message: 'extensions.durableTask.hubName must be "%TaskHubName%"' });
  }
  return findings;
}

function isKeyVaultReference(node: Node, kv: Node | undefined): boolean {
  if (node.kind === 'string') return node.raw.startsWith("'@Microsoft.KeyVault(");
  if (node.kind === 'expr') {
    const m = /^kv\s*\.\s*([A-Za-z0-9_]+)$/.exec(node.raw.trim());
    const target = m ? prop(kv, m[1]!) : undefined;
    return target?.kind === 'string' && target.raw.startsWith("'@Microsoft.KeyVault(");
  }
  return false;
}

/** Every non-secret per-environment value is set (a literal, or read from the deploying shell). */
export function checkEnvironmentValues(loaded: Loaded): Finding[] {
  const findings: Finding[] = [];
  for (const env of Object.values(ENVIRONMENTS)) {
    const file = loaded.files.get(env.file);
    const shared = file?.assignments.get('shared');
    if (!file || !shared) continue;
    const values = toLiteral(shared.value) as Record<string, Literal>;
    for (const [key, value] of Object.entries(values)) {
      if (value === '' || value === null) findings.push({ check: 'parameters', file: env.file, message: `shared.${key} is empty` });
      if (value instanceof Deferred && !/readEnvironmentVariable\s*\(\s*'MAXCONF_DEPLOY_[A-Z_]+'\s*\)/.test(value.raw)) {
        findings.push({ check: 'parameters', file: env.file, message: `shared.${key} must be a literal or read from a MAXCONF_DEPLOY_* variable` });
      }
    }
  }
  return findings;
}

/** Names of the MAXCONF_DEPLOY_* variables the parameter files read (provision.sh checks them). */
export function deployVariables(root: string): string[] {
  const names = new Set<string>();
  for (const env of Object.values(ENVIRONMENTS)) {
    if (!existsSync(join(root, env.file))) continue;
    for (const m of read(root, env.file).matchAll(/readEnvironmentVariable\(\s*'([A-Z0-9_]+)'/g)) names.add(m[1]!);
  }
  return [...names].sort();
}

// ---------------------------------------------------------------------------------------------
// Secret literals

const SECRET_PATTERNS: { name: string; re: RegExp }[] = [
  { name: 'storage/service bus key in a connection string', re: /(AccountKey|SharedAccessKey)=(?!\$\{)[A-Za-z0-9+/]{20,}/ },
  { name: 'private key', re: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
  { name: 'JSON web token', re: /\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}/ },
  { name: 'GitHub token', re: /\bgh[pousr]_[A-Za-z0-9]{30,}/ },
  { name: 'AWS access key id', re: /\bAKIA[0-9A-Z]{16}\b/ },
  { name: 'Azure client secret', re: /\b[A-Za-z0-9_~.-]{3}8Q~[A-Za-z0-9_~.-]{31,34}\b/ },
  {
    name: 'secret-named value set to a literal',
    re: /\b[\w.-]*(password|passwd|secret|api[-_]?key|client[-_]?secret|private[-_]?key)[\w.-]*['"]?\s*[:=]\s*['"](?!\s*['"])(?!@Microsoft\.KeyVault\()(?![$]\{)(?!<)[^'"\s]{6,}['"]/i,
  },
  { name: 'stored Azure credentials in a workflow', re: /secrets\.AZURE_(CREDENTIALS|CLIENT_SECRET)|publish-profile:|^\s*creds:/m },
];

/** Built-in role definition ids (public, identical in every tenant): not secrets, whatever a variable is called. */
export const BUILT_IN_ROLE_IDS: Record<string, string> = {
  'Storage Blob Data Owner': 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b',
  'Storage Queue Data Contributor': '974c5e8b-45b9-4653-ba55-5f855dd0fb88',
  'Storage Table Data Contributor': '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3',
  'Azure Service Bus Data Receiver': '4f6d3b9b-027b-4f4c-9142-0e5a2a2247e0',
  'Azure Service Bus Data Sender': '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39',
  'Key Vault Secrets User': '4633458b-17de-408a-b874-0445c86b69e6',
  'Monitoring Metrics Publisher': '3913510d-42f4-4e42-8a64-420c390055eb',
  'Website Contributor': 'de139f84-1756-47ae-9be6-808fbbe84772',
  Contributor: 'b24988ac-6180-42a0-ab88-20f7382dd24c',
};

export function secretScanFiles(root: string): string[] {
  return [
    ...walk(root, 'infra', (n) => !n.endsWith('.ts')),
    ...walk(root, '.github/workflows', () => true),
    ...walk(root, 'scripts/deploy', () => true),
  ];
}

export function checkSecretLiterals(root: string): Finding[] {
  const findings: Finding[] = [];
  for (const rel of secretScanFiles(root)) {
    const lines = read(root, rel).split('\n');
    const roleIds = Object.values(BUILT_IN_ROLE_IDS);
    lines.forEach((line, i) => {
      if (roleIds.some((id) => line.includes(`'${id}'`))) return;
      for (const p of SECRET_PATTERNS) {
        if (p.re.test(line)) findings.push({ check: 'secrets', file: rel, line: i + 1, message: `looks like a secret literal (${p.name})` });
      }
    });
  }
  return findings;
}

// ---------------------------------------------------------------------------------------------
// Workflows

type Yaml = Record<string, unknown>;

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  name?: string;
}

interface Job {
  needs?: string | string[];
  if?: string;
  environment?: string | { name: string };
  permissions?: Record<string, string>;
  steps?: Step[];
  concurrency?: unknown;
}

export const WORKFLOWS = {
  api: '.github/workflows/api.yml',
  rollback: '.github/workflows/api-rollback.yml',
  infra: '.github/workflows/infra.yml',
  agentApp: '.github/workflows/agent-app.yml',
  customerApp: '.github/workflows/customer-app.yml',
} as const;

export function loadWorkflow(root: string, rel: string): Yaml {
  const doc = parseYaml(read(root, rel), { prettyErrors: true }) as unknown;
  if (!doc || typeof doc !== 'object') throw new Error(`${rel}: not a YAML mapping`);
  return doc as Yaml;
}

function jobs(wf: Yaml): Record<string, Job> {
  return (wf.jobs ?? {}) as Record<string, Job>;
}

function envName(job: Job): string | undefined {
  return typeof job.environment === 'string' ? job.environment : job.environment?.name;
}

function stepsUsing(job: Job, action: string): Step[] {
  return (job.steps ?? []).filter((s) => s.uses?.toLowerCase().startsWith(action.toLowerCase() + '@'));
}

function runText(job: Job): string {
  return (job.steps ?? []).map((s) => s.run ?? '').join('\n');
}

export function checkWorkflows(root: string): Finding[] {
  const findings: Finding[] = [];
  const loaded = new Map<string, Yaml>();
  for (const rel of walk(root, '.github/workflows', (n) => n.endsWith('.yml') || n.endsWith('.yaml'))) {
    try {
      loaded.set(rel, loadWorkflow(root, rel));
    } catch (e) {
      findings.push({ check: 'workflows', file: rel, message: `invalid YAML: ${(e as Error).message.split('\n')[0]}` });
    }
  }
  for (const rel of Object.values(WORKFLOWS)) {
    if (!existsSync(join(root, rel))) findings.push({ check: 'workflows', file: rel, message: 'workflow is missing' });
  }
  const f = (file: string, message: string) => findings.push({ check: 'workflows', file, message });

  for (const [rel, wf] of loaded) {
    if (!wf.on) f(rel, 'has no "on" trigger');
    for (const [name, job] of Object.entries(jobs(wf))) {
      const logins = stepsUsing(job, 'azure/login');
      for (const login of logins) {
        const w = login.with ?? {};
        if (!w['client-id'] || !w['tenant-id'] || !w['subscription-id']) f(rel, `job ${name}: azure/login needs client-id, tenant-id and subscription-id (OIDC)`);
        if ('creds' in w) f(rel, `job ${name}: azure/login must not use stored credentials`);
        for (const v of Object.values(w)) if (typeof v === 'string' && /secrets\./.test(v)) f(rel, `job ${name}: azure/login reads a stored secret; use vars.* ids with OIDC`);
      }
      const wfPerms = (wf.permissions ?? {}) as Record<string, string>;
      if (logins.length && (job.permissions ?? wfPerms)['id-token'] !== 'write') f(rel, `job ${name}: OIDC login needs permissions id-token: write`);
      for (const script of runText(job).matchAll(/(scripts\/deploy\/[A-Za-z0-9_.-]+)/g)) {
        if (!existsSync(join(root, script[1]!))) f(rel, `job ${name}: ${script[1]} does not exist`);
      }
      for (const script of runText(job).matchAll(/npm run ([A-Za-z0-9:_-]+)/g)) {
        if (!npmScripts(root).includes(script[1]!)) f(rel, `job ${name}: npm run ${script[1]} is not a package.json script`);
      }
    }
  }

  const api = loaded.get(WORKFLOWS.api);
  if (api) {
    const on = (api.on ?? {}) as Yaml;
    const branches = ((on.push as Yaml | undefined)?.branches ?? []) as string[];
    if (!branches.includes('edge') || !branches.includes('main')) f(WORKFLOWS.api, 'must run on pushes to edge and main');
    if (!on.release) f(WORKFLOWS.api, 'must run on a release');
    const all = jobs(api);
    const deploys = Object.entries(all).filter(([, j]) => stepsUsing(j, 'Azure/functions-action').length > 0);
    const deployTo = (slot: string) => deploys.filter(([, j]) => stepsUsing(j, 'Azure/functions-action').some((s) => s.with?.['slot-name'] === slot));
    const build = Object.entries(all).filter(([, j]) => stepsUsing(j, 'actions/upload-artifact').length > 0);
    if (build.length !== 1) f(WORKFLOWS.api, 'exactly one job builds and uploads the package');
    for (const [name, job] of deploys) {
      if (/npm (ci|install|run build)/.test(runText(job))) f(WORKFLOWS.api, `job ${name} builds again; deploy jobs deploy the built artifact`);
      if (stepsUsing(job, 'actions/download-artifact').length === 0) f(WORKFLOWS.api, `job ${name} must deploy the downloaded artifact`);
      if (!job.concurrency) f(WORKFLOWS.api, `job ${name} needs a concurrency group (one deploy per app and slot)`);
    }
    const edge = deployTo('edge');
    if (edge.length !== 1 || !/refs\/heads\/edge/.test(edge[0]?.[1].if ?? '')) f(WORKFLOWS.api, 'one job deploys the edge branch to the edge slot');
    const test = deployTo('production').filter(([, j]) => /refs\/heads\/main/.test(j.if ?? ''));
    if (test.length !== 1) f(WORKFLOWS.api, 'one job deploys main to the Test production slot');
    const staging = deployTo('staging');
    if (staging.length !== 1 || !/release/.test(staging[0]?.[1].if ?? '')) f(WORKFLOWS.api, 'one job deploys a release to the Production staging slot');
    else if (!/scripts\/deploy\/smoke-check/.test(runText(staging[0]![1]))) f(WORKFLOWS.api, 'the staging deploy must run the smoke check');
    const swap = Object.entries(all).find(([, j]) => /swap\.sh/.test(runText(j)));
    if (!swap) f(WORKFLOWS.api, 'a job swaps staging into production');
    else {
      const [name, job] = swap;
      if (envName(job) !== 'production') f(WORKFLOWS.api, `job ${name} must run in the "production" environment (required reviewers = the approval)`);
      const needs = ([] as string[]).concat(job.needs ?? []);
      if (!staging[0] || !needs.includes(staging[0][0])) f(WORKFLOWS.api, `job ${name} must need the staging deploy`);
      if (!/--slot staging/.test(runText(job))) f(WORKFLOWS.api, `job ${name} must swap the staging slot`);
    }
  }

  const rollback = loaded.get(WORKFLOWS.rollback);
  if (rollback) {
    if (!((rollback.on ?? {}) as Yaml).workflow_dispatch) f(WORKFLOWS.rollback, 'must be started by hand (workflow_dispatch)');
    const swapJobs = Object.entries(jobs(rollback)).filter(([, j]) => /swap\.sh/.test(runText(j)));
    if (swapJobs.length !== 1) f(WORKFLOWS.rollback, 'one job swaps back');
    else if (envName(swapJobs[0]![1]) !== 'production') f(WORKFLOWS.rollback, 'the swap back runs in the "production" environment');
  }

  for (const [key, tagPrefix] of [
    ['agentApp', 'agent-app/v'],
    ['customerApp', 'customer-app/v'],
  ] as const) {
    const wf = loaded.get(WORKFLOWS[key]);
    if (!wf) continue;
    const tags = (((wf.on ?? {}) as Yaml).push as Yaml | undefined)?.tags as string[] | undefined;
    if (!tags?.some((t) => t.startsWith(tagPrefix))) f(WORKFLOWS[key], `must deploy Production on tags ${tagPrefix}*`);
    if (!Object.values(jobs(wf)).some((j) => stepsUsing(j, 'Azure/static-web-apps-deploy').length > 0)) f(WORKFLOWS[key], 'must deploy with Azure/static-web-apps-deploy');
  }
  return findings;
}

export function npmScripts(root: string): string[] {
  const pkg = JSON.parse(read(root, 'package.json')) as { scripts?: Record<string, string> };
  return Object.keys(pkg.scripts ?? {});
}

// ---------------------------------------------------------------------------------------------
// Runbook

export const RUNBOOK = 'docs/deploy.md';

export function checkRunbook(root: string): Finding[] {
  const findings: Finding[] = [];
  if (!existsSync(join(root, RUNBOOK))) return [{ check: 'runbook', file: RUNBOOK, message: 'the runbook is missing' }];
  const text = read(root, RUNBOOK);
  const scripts = npmScripts(root);
  for (const m of text.matchAll(/npm run ([A-Za-z0-9:_-]+)/g)) {
    if (!scripts.includes(m[1]!)) findings.push({ check: 'runbook', file: RUNBOOK, message: `names "npm run ${m[1]}", which package.json does not define` });
  }
  for (const m of text.matchAll(/(?<![\w/.-])((?:scripts|infra|\.github\/workflows|docs|test)\/[A-Za-z0-9_./-]*[A-Za-z0-9_])/g)) {
    if (!existsSync(join(root, m[1]!))) findings.push({ check: 'runbook', file: RUNBOOK, message: `names ${m[1]}, which does not exist` });
  }
  for (const v of deployVariables(root)) {
    if (!text.includes(v)) findings.push({ check: 'runbook', file: RUNBOOK, message: `does not explain ${v}, which provisioning reads` });
  }
  return findings;
}

// ---------------------------------------------------------------------------------------------

export function runAllChecks(root: string): CheckResult[] {
  const loaded = loadBicep(root);
  return [
    { name: 'syntax', description: 'Bicep templates and parameter files parse', findings: loaded.findings },
    { name: 'api-versions', description: 'resource type@apiVersion pairs are allow-listed', findings: checkApiVersions(loaded) },
    { name: 'modules', description: 'modules exist and get exactly the parameters they declare', findings: checkModules(root, loaded) },
    { name: 'parameters', description: 'test and prod parameter files are complete and match main.bicep', findings: [...checkParameterFiles(root, loaded), ...checkEnvironmentValues(loaded)] },
    { name: 'slots', description: 'slots: unique valid task hubs, own room prefixes, production work only in production', findings: checkSlots(loaded) },
    { name: 'app-settings', description: 'every config variable and platform setting set, secrets by Key Vault reference, sticky settings', findings: checkAppSettings(root, loaded) },
    { name: 'secrets', description: 'no secret literal in templates, workflows or deploy scripts', findings: checkSecretLiterals(root) },
    { name: 'workflows', description: 'workflows are valid YAML with the deploy, swap and rollback jobs', findings: checkWorkflows(root) },
    { name: 'runbook', description: 'every command and path docs/deploy.md names exists', findings: checkRunbook(root) },
  ];
}
