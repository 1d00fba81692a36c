import { z } from 'zod';
import { ENVIRONMENTS, PROFILES, type Deadlines, type EnvironmentName, type ServicePeriod } from './profiles';

export type PexipAuth =
  | { kind: 'basic'; username: string; password: string }
  | { kind: 'oauth2'; clientId: string; privateKeyPem: string };

export interface MaxConfConfig {
  env: EnvironmentName;
  port: number;
  dataDir: string;
  logLevel: string;
  taskHubName: string;
  deadlines: Deadlines;
  roomPoolSize: number;
  reaperSchedule: string;
  retention: {
    /** NCRONTAB (six fields) of the retention run */
    schedule: string;
    /** how long after its end a session's instances, entities and index rows are kept */
    sessionDays: number;
  };
  /** NCRONTAB schedules of the queue observer and the reconciler (docs/reconciler.md) */
  queueObserverSchedule: string;
  reconcilerSchedule: string;
  serviceHours: { timeZone: string; regular: ServicePeriod[] };
  pexip: {
    /** undefined: no management node configured, the local host starts the simulator */
    managementUrl: string | undefined;
    auth: PexipAuth | undefined;
    conferenceHost: string | undefined;
    systemLocation: string | undefined;
    /** whether the dial-out carries the UUI as a `User-to-User` header (nodes without custom SIP headers: false) */
    dialUuiHeader: boolean;
    roomPrefix: string;
    eventSink: { username: string; password: string };
  };
  genesys: {
    region: string;
    /** undefined: no org configured, the local host starts the simulator */
    credentials: { clientId: string; clientSecret: string } | undefined;
    apiBaseUrl: string | undefined;
    queueName: string;
    sipUri: string | undefined;
    allowedDivisions: string[];
    eventsApiKey: string;
    eventsQueue: string;
    serviceBusNamespace: string | undefined;
  };
  /** the citizen's join link and token (docs/customer-app.md) */
  citizen: {
    /** HS256 key of the citizen token (at least 32 bytes); undefined: no citizen routes, no join link */
    tokenKey: string | undefined;
    /** a token lives at most this long from its session's start, and never past its session's lifetime */
    tokenTtlSeconds: number;
    /** the Customer App's address; undefined: answers carry no join link */
    customerAppUrl: string | undefined;
  };
  auth: { jwksUrl: string | undefined; issuer: string; audience: string };
  /** the Function App's own storage account (shared with the task hub): the session index and the warm-room queue */
  storage: {
    /** undefined: none configured (local profile only; the functions that need it fail) */
    account: StorageAccountSetting | undefined;
    /** prefix of MaxConf's table and queue names in that account; differs per slot sharing it */
    prefix: string;
  };
}

/**
 * `AzureWebJobsStorage` as the Functions host reads it: a connection string (Azurite locally), or
 * the identity-based form on Azure (`AzureWebJobsStorage__accountName`, with `__clientId` naming a
 * user-assigned identity). The credential object is made by the composition root.
 */
export type StorageAccountSetting = { connectionString: string } | { accountName: string; clientId: string | undefined };

/** Secrets the local profile may generate for itself when none are set. */
export interface DevSecrets {
  eventSinkPassword: string;
  genesysEventsApiKey: string;
  /** the citizen token's HS256 key (optional: secrets made before the Customer App had none) */
  citizenTokenKey?: string;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

/** The observers' defaults: a queued caller's position is at most this old; a lost sink event costs this long. */
const EVERY_TEN_SECONDS = '*/10 * * * * *';
const EVERY_FIFTEEN_SECONDS = '*/15 * * * * *';

const blankIsUnset = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const text = z.preprocess(blankIsUnset, z.string().trim().min(1).optional());
const url = z.preprocess(blankIsUnset, z.url({ protocol: /^https?$/ }).optional());
const positiveInt = z.preprocess(blankIsUnset, z.coerce.number().int().positive().optional());
const nonNegativeInt = z.preprocess(blankIsUnset, z.coerce.number().int().nonnegative().optional());

const envSchema = z.object({
  MAXCONF_ENV: z.preprocess(blankIsUnset, z.enum(ENVIRONMENTS).default('local')),
  PORT: z.preprocess(blankIsUnset, z.coerce.number().int().min(1).max(65535).default(7071)),
  MAXCONF_DATA_DIR: z.preprocess(blankIsUnset, z.string().default('.maxconf/')),
  LOG_LEVEL: z.preprocess(
    blankIsUnset,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
  TaskHubName: z.preprocess(
    blankIsUnset,
    z
      .string()
      .regex(/^[A-Za-z][A-Za-z0-9]{2,44}$/, '3 to 45 letters and digits, starting with a letter')
      .optional(),
  ),
  PEXIP_MANAGEMENT_URL: url,
  PEXIP_USERNAME: text,
  PEXIP_PASSWORD: text,
  PEXIP_OAUTH_CLIENT_ID: text,
  PEXIP_OAUTH_PRIVATE_KEY: text,
  PEXIP_CONFERENCE_HOST: text,
  PEXIP_SYSTEM_LOCATION: text,
  PEXIP_DIAL_UUI_HEADER: z.preprocess(blankIsUnset, z.enum(['true', 'false'], "'true' or 'false'").default('true')),
  PEXIP_EVENT_SINK_USERNAME: text,
  PEXIP_EVENT_SINK_PASSWORD: text,
  ROOM_POOL_SIZE: nonNegativeInt,
  MAXCONF_ROOM_PREFIX: z.preprocess(
    blankIsUnset,
    z
      .string()
      .regex(/^[a-z][a-z0-9]*-$/, 'lower-case letters and digits ending in "-"')
      .refine((p) => !p.startsWith('test_') && !p.startsWith('vkiosk_'), 'must not be a persistent prefix')
      .optional(),
  ),
  GENESYS_REGION: text,
  GENESYS_CLIENT_ID: text,
  GENESYS_CLIENT_SECRET: text,
  GENESYS_API_BASE_URL: url,
  GENESYS_QUEUE_NAME: text,
  GENESYS_SIP_URI: z.preprocess(blankIsUnset, z.string().regex(/^sips?:[^\s@]+@[^\s@]+$/, 'a sip: URI').optional()),
  GENESYS_ALLOWED_DIVISIONS: text,
  GENESYS_EVENTS_API_KEY: text,
  GENESYS_EVENTS_QUEUE: z.preprocess(blankIsUnset, z.string().default('genesys-events')),
  ServiceBusConnection__fullyQualifiedNamespace: text,
  CITIZEN_TOKEN_KEY: z.preprocess(blankIsUnset, z.string().min(32, 'at least 32 characters').optional()),
  CITIZEN_TOKEN_TTL_SECONDS: positiveInt,
  CUSTOMER_APP_URL: url,
  AUTH_JWKS_URL: url,
  AUTH_ISSUER: text,
  AUTH_AUDIENCE: text,
  CITIZEN_JOIN_TIMEOUT_SECONDS: positiveInt,
  DIAL_MAX_ATTEMPTS: positiveInt,
  DIAL_WINDOW_SECONDS: positiveInt,
  DIAL_DELAY_SECONDS: nonNegativeInt,
  QUEUE_WAIT_TIMEOUT_SECONDS: positiveInt,
  RECONNECT_GRACE_SECONDS: nonNegativeInt,
  MAX_CALL_SECONDS: positiveInt,
  SESSION_LIFETIME_SECONDS: positiveInt,
  RETENTION_SCHEDULE: z.preprocess(
    blankIsUnset,
    z.string().regex(/^(\S+\s+){5}\S+$/, 'an NCRONTAB expression with six fields').optional(),
  ),
  SESSION_RETENTION_DAYS: nonNegativeInt,
  AzureWebJobsStorage: text,
  AzureWebJobsStorage__accountName: z.preprocess(
    blankIsUnset,
    z.string().regex(/^[a-z0-9]{3,24}$/, '3 to 24 lower-case letters and digits').optional(),
  ),
  AzureWebJobsStorage__clientId: text,
  MAXCONF_STORAGE_PREFIX: z.preprocess(
    blankIsUnset,
    z.string().regex(/^[A-Za-z][A-Za-z0-9]{2,40}$/, '3 to 41 letters and digits, starting with a letter').optional(),
  ),
  REAPER_SCHEDULE: z.preprocess(
    blankIsUnset,
    z.string().regex(/^(\S+\s+){5}\S+$/, 'an NCRONTAB expression with six fields').optional(),
  ),
  QUEUE_OBSERVER_SCHEDULE: z.preprocess(
    blankIsUnset,
    z.string().regex(/^(\S+\s+){5}\S+$/, 'an NCRONTAB expression with six fields').optional(),
  ),
  RECONCILER_SCHEDULE: z.preprocess(
    blankIsUnset,
    z.string().regex(/^(\S+\s+){5}\S+$/, 'an NCRONTAB expression with six fields').optional(),
  ),
});

type ParsedEnv = z.infer<typeof envSchema>;

/** Settings that hold secrets: named in errors, never echoed. */
const REQUIRED_OUTSIDE_LOCAL: (keyof ParsedEnv)[] = [
  'TaskHubName',
  'PEXIP_MANAGEMENT_URL',
  'PEXIP_EVENT_SINK_USERNAME',
  'PEXIP_EVENT_SINK_PASSWORD',
  'MAXCONF_ROOM_PREFIX',
  'GENESYS_CLIENT_ID',
  'GENESYS_CLIENT_SECRET',
  'GENESYS_SIP_URI',
  'GENESYS_ALLOWED_DIVISIONS',
  'GENESYS_EVENTS_API_KEY',
  'PEXIP_SYSTEM_LOCATION',
  'AUTH_JWKS_URL',
  'AUTH_ISSUER',
  'AUTH_AUDIENCE',
  'MAXCONF_STORAGE_PREFIX',
];

function fail(message: string): never {
  throw new ConfigError(`MaxConf configuration: ${message}`);
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  const name = issue?.path.join('.') ?? 'environment';
  return `${name} is invalid: ${issue?.message ?? 'unknown problem'}`;
}

function pexipAuth(e: ParsedEnv): PexipAuth | undefined {
  const basic = e.PEXIP_USERNAME !== undefined || e.PEXIP_PASSWORD !== undefined;
  const oauth = e.PEXIP_OAUTH_CLIENT_ID !== undefined || e.PEXIP_OAUTH_PRIVATE_KEY !== undefined;
  if (basic && oauth) fail('set either PEXIP_USERNAME/PEXIP_PASSWORD or PEXIP_OAUTH_CLIENT_ID/PEXIP_OAUTH_PRIVATE_KEY, not both');
  if (basic) {
    if (!e.PEXIP_USERNAME) fail('PEXIP_USERNAME is required with PEXIP_PASSWORD');
    if (!e.PEXIP_PASSWORD) fail('PEXIP_PASSWORD is required with PEXIP_USERNAME');
    return { kind: 'basic', username: e.PEXIP_USERNAME, password: e.PEXIP_PASSWORD };
  }
  if (oauth) {
    if (!e.PEXIP_OAUTH_CLIENT_ID) fail('PEXIP_OAUTH_CLIENT_ID is required with PEXIP_OAUTH_PRIVATE_KEY');
    if (!e.PEXIP_OAUTH_PRIVATE_KEY) fail('PEXIP_OAUTH_PRIVATE_KEY is required with PEXIP_OAUTH_CLIENT_ID');
    return { kind: 'oauth2', clientId: e.PEXIP_OAUTH_CLIENT_ID, privateKeyPem: decodePrivateKey(e.PEXIP_OAUTH_PRIVATE_KEY) };
  }
  return undefined;
}

/** Key Vault holds the key Base64-encoded (as today's MaxConf does); a raw PEM is accepted too. */
function decodePrivateKey(value: string): string {
  if (value.includes('-----BEGIN')) return value.replace(/\\n/g, '\n');
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  if (!decoded.includes('-----BEGIN')) fail('PEXIP_OAUTH_PRIVATE_KEY is invalid: expected a PEM key or its Base64 encoding');
  return decoded;
}

/**
 * Builds the typed configuration from an environment. Throws a ConfigError whose message is one
 * line naming the first bad or missing setting.
 */
export function parseConfig(env: Env, devSecrets?: () => DevSecrets): MaxConfConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) fail(firstIssue(parsed.error));
  const e = parsed.data;
  const profile = PROFILES[e.MAXCONF_ENV];

  if (!profile.simulatorsAllowed) {
    const missing = REQUIRED_OUTSIDE_LOCAL.find((name) => e[name] === undefined);
    if (missing) fail(`${missing} is required when MAXCONF_ENV=${e.MAXCONF_ENV}`);
    if (e.AzureWebJobsStorage === undefined && e.AzureWebJobsStorage__accountName === undefined) {
      fail(`AzureWebJobsStorage (or AzureWebJobsStorage__accountName) is required when MAXCONF_ENV=${e.MAXCONF_ENV}`);
    }
  }
  if (e.AzureWebJobsStorage !== undefined && e.AzureWebJobsStorage__accountName !== undefined) {
    fail('set either AzureWebJobsStorage or AzureWebJobsStorage__accountName, not both');
  }
  const auth = pexipAuth(e);
  if (e.PEXIP_MANAGEMENT_URL !== undefined && auth === undefined) {
    fail('PEXIP_USERNAME/PEXIP_PASSWORD or PEXIP_OAUTH_CLIENT_ID/PEXIP_OAUTH_PRIVATE_KEY is required with PEXIP_MANAGEMENT_URL');
  }
  if ((e.GENESYS_CLIENT_ID === undefined) !== (e.GENESYS_CLIENT_SECRET === undefined)) {
    fail(`${e.GENESYS_CLIENT_ID === undefined ? 'GENESYS_CLIENT_ID' : 'GENESYS_CLIENT_SECRET'} is required with its pair`);
  }
  if (e.PEXIP_EVENT_SINK_USERNAME !== undefined && e.PEXIP_EVENT_SINK_PASSWORD === undefined) {
    fail('PEXIP_EVENT_SINK_PASSWORD is required with PEXIP_EVENT_SINK_USERNAME');
  }

  if (!profile.simulatorsAllowed && e.CUSTOMER_APP_URL !== undefined && e.CITIZEN_TOKEN_KEY === undefined) {
    fail('CITIZEN_TOKEN_KEY is required with CUSTOMER_APP_URL');
  }

  const generated =
    e.PEXIP_EVENT_SINK_PASSWORD === undefined || e.GENESYS_EVENTS_API_KEY === undefined || e.CITIZEN_TOKEN_KEY === undefined ? devSecrets?.() : undefined;
  const sinkPassword = e.PEXIP_EVENT_SINK_PASSWORD ?? generated?.eventSinkPassword;
  const eventsApiKey = e.GENESYS_EVENTS_API_KEY ?? generated?.genesysEventsApiKey;
  if (sinkPassword === undefined) fail('PEXIP_EVENT_SINK_PASSWORD is required');
  if (eventsApiKey === undefined) fail('GENESYS_EVENTS_API_KEY is required');

  const d = profile.deadlines;
  const deadlines: Deadlines = {
    citizenJoinSeconds: e.CITIZEN_JOIN_TIMEOUT_SECONDS ?? d.citizenJoinSeconds,
    dialMaxAttempts: e.DIAL_MAX_ATTEMPTS ?? d.dialMaxAttempts,
    dialWindowSeconds: e.DIAL_WINDOW_SECONDS ?? d.dialWindowSeconds,
    dialDelaySeconds: e.DIAL_DELAY_SECONDS ?? d.dialDelaySeconds,
    queueWaitSeconds: e.QUEUE_WAIT_TIMEOUT_SECONDS ?? d.queueWaitSeconds,
    reconnectGraceSeconds: e.RECONNECT_GRACE_SECONDS ?? d.reconnectGraceSeconds,
    maxCallSeconds: e.MAX_CALL_SECONDS ?? d.maxCallSeconds,
    sessionLifetimeSeconds: e.SESSION_LIFETIME_SECONDS ?? d.sessionLifetimeSeconds,
  };
  if (deadlines.sessionLifetimeSeconds <= deadlines.citizenJoinSeconds) {
    fail('SESSION_LIFETIME_SECONDS is invalid: must exceed CITIZEN_JOIN_TIMEOUT_SECONDS');
  }

  return {
    env: e.MAXCONF_ENV,
    port: e.PORT,
    dataDir: e.MAXCONF_DATA_DIR,
    logLevel: e.LOG_LEVEL,
    taskHubName: e.TaskHubName ?? profile.taskHubName,
    deadlines,
    roomPoolSize: e.ROOM_POOL_SIZE ?? profile.roomPoolSize,
    reaperSchedule: e.REAPER_SCHEDULE ?? profile.reaperSchedule,
    // daily at 03:30 UTC (19:30/20:30 in Vancouver, after the service's hours)
    retention: { schedule: e.RETENTION_SCHEDULE ?? '0 30 3 * * *', sessionDays: e.SESSION_RETENTION_DAYS ?? 30 },
    queueObserverSchedule: e.QUEUE_OBSERVER_SCHEDULE ?? EVERY_TEN_SECONDS,
    reconcilerSchedule: e.RECONCILER_SCHEDULE ?? EVERY_FIFTEEN_SECONDS,
    serviceHours: profile.serviceHours,
    pexip: {
      managementUrl: e.PEXIP_MANAGEMENT_URL?.replace(/\/+$/, ''),
      auth,
      conferenceHost: e.PEXIP_CONFERENCE_HOST ?? profile.pexipConferenceHost,
      systemLocation: e.PEXIP_SYSTEM_LOCATION ?? profile.pexipSystemLocation,
      dialUuiHeader: e.PEXIP_DIAL_UUI_HEADER === 'true',
      roomPrefix: e.MAXCONF_ROOM_PREFIX ?? profile.roomPrefix,
      eventSink: { username: e.PEXIP_EVENT_SINK_USERNAME ?? 'pexip', password: sinkPassword },
    },
    genesys: {
      region: e.GENESYS_REGION ?? profile.genesysRegion,
      credentials:
        e.GENESYS_CLIENT_ID && e.GENESYS_CLIENT_SECRET
          ? { clientId: e.GENESYS_CLIENT_ID, clientSecret: e.GENESYS_CLIENT_SECRET }
          : undefined,
      apiBaseUrl: e.GENESYS_API_BASE_URL?.replace(/\/+$/, ''),
      queueName: e.GENESYS_QUEUE_NAME ?? profile.genesysQueueName,
      sipUri: e.GENESYS_SIP_URI,
      allowedDivisions: (e.GENESYS_ALLOWED_DIVISIONS ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
      eventsApiKey,
      eventsQueue: e.GENESYS_EVENTS_QUEUE,
      serviceBusNamespace: e.ServiceBusConnection__fullyQualifiedNamespace,
    },
    citizen: {
      tokenKey: e.CITIZEN_TOKEN_KEY ?? generated?.citizenTokenKey,
      tokenTtlSeconds: Math.min(e.CITIZEN_TOKEN_TTL_SECONDS ?? deadlines.sessionLifetimeSeconds, deadlines.sessionLifetimeSeconds),
      customerAppUrl: e.CUSTOMER_APP_URL?.replace(/\/+$/, ''),
    },
    auth: {
      jwksUrl: e.AUTH_JWKS_URL,
      issuer: e.AUTH_ISSUER ?? 'maxconf-local-dev',
      audience: e.AUTH_AUDIENCE ?? 'api://maxconf-local',
    },
    storage: {
      account:
        e.AzureWebJobsStorage !== undefined
          ? { connectionString: e.AzureWebJobsStorage }
          : e.AzureWebJobsStorage__accountName !== undefined
            ? { accountName: e.AzureWebJobsStorage__accountName, clientId: e.AzureWebJobsStorage__clientId }
            : undefined,
      prefix: e.MAXCONF_STORAGE_PREFIX ?? 'maxconf',
    },
  };
}
