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

/** Longest error message a line keeps. */
export const ERROR_MESSAGE_MAX = 300;

function cleanMessage(message: string): string {
  // durable-functions' client appends the runtime's whole response (`Details: {…}`): a status with
  // its input, PINs and UUI, or an instance list. An error line never carries a response body.
  const cut = message.split(/\s*Details:/)[0] ?? '';
  return cut.length > ERROR_MESSAGE_MAX ? `${cut.slice(0, ERROR_MESSAGE_MAX)}…` : cut;
}

/**
 * What a log line keeps of an error (the `err` serializer): its type, a bounded message without
 * any response body, HTTP status and code when it has them, and stack frames (no values). An
 * axios error's config (headers, body) and response are never written.
 */
export function errorSummary(error: unknown): unknown {
  if (typeof error === 'string') return cleanMessage(error);
  if (!(error instanceof Error)) return error === undefined || error === null ? error : cleanMessage(String(error));
  const extra = error as Error & { status?: unknown; code?: unknown; response?: { status?: unknown } };
  const status = typeof extra.status === 'number' ? extra.status : typeof extra.response?.status === 'number' ? extra.response.status : undefined;
  const frames = (error.stack ?? '').split('\n').filter((line) => /^\s+at /.test(line)).slice(0, 8);
  return {
    type: error.name,
    message: cleanMessage(error.message),
    ...(status !== undefined ? { status } : {}),
    ...(typeof extra.code === 'string' || typeof extra.code === 'number' ? { code: extra.code } : {}),
    ...(frames.length > 0 ? { stack: frames.map((f) => f.trim()).join('\n') } : {}),
  };
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
      serializers: { err: errorSummary, error: errorSummary },
      formatters: { level: (label) => ({ level: label }) },
    },
    options.destination,
  );
}
