import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig, type DevSecrets, type MaxConfConfig } from './config';

export { ConfigError, parseConfig } from './config';
export type { MaxConfConfig, PexipAuth, DevSecrets, StorageAccountSetting } from './config';
export { PROFILES, ENVIRONMENTS } from './profiles';
export type { Deadlines, EnvironmentName, Profile, ServicePeriod } from './profiles';

/**
 * The only reader of process.env in MaxConf. Everything else receives the typed config.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): MaxConfConfig {
  return parseConfig(env, () => localDevSecrets(env.MAXCONF_DATA_DIR?.trim() || '.maxconf/'));
}

/** A snapshot of the environment for runtime code (the local host) that must hand it on. */
export function environmentSnapshot(): Record<string, string | undefined> {
  return { ...process.env };
}

/**
 * The local profile needs credentials for its own event sink and Genesys route even when none
 * are set. They are generated once per data directory, so a restart (and the demo CLI) sees the
 * same ones, and they never appear in the code.
 */
export function localDevSecrets(dataDir: string): DevSecrets {
  const file = join(dataDir, 'dev-secrets.json');
  let stored: Partial<DevSecrets> = {};
  try {
    stored = JSON.parse(readFileSync(file, 'utf8')) as Partial<DevSecrets>;
    if (stored.eventSinkPassword && stored.genesysEventsApiKey && stored.citizenTokenKey) {
      return { eventSinkPassword: stored.eventSinkPassword, genesysEventsApiKey: stored.genesysEventsApiKey, citizenTokenKey: stored.citizenTokenKey };
    }
  } catch {
    // absent or unreadable: make new ones
  }
  // a file from before the citizen token keeps its other secrets (the vendors process has read them)
  const secrets: DevSecrets = {
    eventSinkPassword: stored.eventSinkPassword ?? randomBytes(18).toString('base64url'),
    genesysEventsApiKey: stored.genesysEventsApiKey ?? randomBytes(24).toString('base64url'),
    citizenTokenKey: stored.citizenTokenKey ?? randomBytes(32).toString('base64url'),
  };
  mkdirSync(dataDir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  renameSync(tmp, file);
  return secrets;
}

/**
 * The local host publishes settings the Functions host would set (e.g. `WEBSITE_HOSTNAME`, which
 * durable-functions reads to build client URLs for the port actually listened on).
 */
export function exportHostSettings(settings: Record<string, string>): void {
  Object.assign(process.env, settings);
}
