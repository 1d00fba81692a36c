import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger } from 'pino';

/**
 * Field names that carry citizen data or secrets. Whatever object they appear in (up to three
 * levels deep), their value is replaced before the line is written.
 */
export const REDACTED_FIELDS = [
  'pin',
  'guest_pin',
  'guestPin',
  'hostPin',
  'host_pin',
  'password',
  'secret',
  'clientSecret',
  'client_secret',
  'client_assertion',
  'privateKeyPem',
  'token',
  'access_token',
  'accessToken',
  'authorization',
  'Authorization',
  'x-auth-token',
  'apiKey',
  'eventsApiKey',
  'x-api-key',
  'refresh_token',
  'refreshToken',
  'cookie',
  'Cookie',
  'custom_sip_headers',
  'uui',
  'uuiData',
  'userToUser',
  'User-to-User',
  'display_name',
  'displayName',
  'remote_display_name',
  'device_code',
  'deviceCode',
  'name_of_citizen',
  'givenName',
  'familyName',
];

function redactPaths(fields: string[]): string[] {
  const paths: string[] = [];
  for (const field of fields) {
    const key = /^[A-Za-z_$][\w$]*$/.test(field) ? field : `["${field}"]`;
    const dotted = key.startsWith('[') ? key : `.${key}`;
    paths.push(key, `*${dotted}`, `*.*${dotted}`, `*.*.*${dotted}`);
  }
  return paths;
}

export interface LoggerOptions {
  level?: string;
  /** where lines go; stdout when absent (tests pass a stream to read them) */
  destination?: DestinationStream;
  base?: Record<string, unknown>;
}

/** One logger per process, made at start-up and passed down; children add context. */
export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: 'maxconf', ...options.base },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: redactPaths(REDACTED_FIELDS), censor: '[redacted]' },
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination,
  );
}
