import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startStaticAppServer, type StaticAppServer } from './staticAppServer';
import { z } from 'zod';

/**
 * The built Customer App (`apps/customer-app/dist`) for `npm start`, as Azure Static Web Apps
 * serves it: its files, `config.json` generated for this MaxConf and the Pexip simulator (never a
 * file on disk), and the headers `scripts/apps/staticwebapp-config.js` deploys (CSP, no framing),
 * so a local call proves the deployed CSP lets the page work. Its address is the join link's base
 * (CUSTOMER_APP_URL) and an origin the local host answers CORS for.
 */
export type CustomerAppServer = StaticAppServer<CustomerAppLocalConfig>;

/** The `config.json` fields (apps/customer-app/src/config.ts). */
export interface CustomerAppLocalConfig {
  environment: string;
  maxconfApiBase: string;
  conferenceNodeUrl: string;
  serviceHours: { timeZone: string; regular: { startDay: string; endDay: string; startTime: string; endTime: string }[]; closedDates: string[] };
  reconnectGraceSeconds: number;
  bandwidthKbps: number;
}

type CustomerStaticWebAppConfig = (config: CustomerAppLocalConfig) => { globalHeaders: Record<string, string> };


/**
 * `CUSTOMER_APP_PORT` (0: any free port) and `CUSTOMER_APP_HOURS`: `profile` (default) writes the
 * profile's service hours into config.json; `always` opens the queue every day, all day, for a
 * local call outside office hours (the browser tests).
 */
const CustomerAppEnv = z.object({
  CUSTOMER_APP_PORT: z.coerce.number().int().min(0).max(65535).default(0),
  CUSTOMER_APP_HOURS: z.enum(['profile', 'always']).default('profile'),
});
export type CustomerAppSettings = z.infer<typeof CustomerAppEnv>;

export function customerAppSettings(env: Record<string, string | undefined>): CustomerAppSettings {
  const parsed = CustomerAppEnv.safeParse({ CUSTOMER_APP_PORT: env.CUSTOMER_APP_PORT || undefined, CUSTOMER_APP_HOURS: env.CUSTOMER_APP_HOURS || undefined });
  if (!parsed.success) throw new Error(`${parsed.error.issues[0]?.path.join('.') ?? 'CUSTOMER_APP_*'}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  return parsed.data;
}

export function customerAppDist(root: string): string {
  return join(root, 'apps', 'customer-app', 'dist');
}

export async function startCustomerAppServer(options: { root: string; port?: number }): Promise<CustomerAppServer> {
  const dist = customerAppDist(options.root);
  if (!existsSync(join(dist, 'index.html'))) throw new Error(`${dist} has no built Customer App: run \`npm run build:apps\``);
  // the deploy script is CommonJS outside the TypeScript build: loaded as it is
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { customerStaticWebAppConfig } = require(join(options.root, 'scripts', 'apps', 'staticwebapp-config.js')) as { customerStaticWebAppConfig: CustomerStaticWebAppConfig };
  return startStaticAppServer<CustomerAppLocalConfig>({ dist, ...(options.port === undefined ? {} : { port: options.port }), headersFor: (config) => customerStaticWebAppConfig(config).globalHeaders });
}

const ALL_WEEK = [{ startDay: 'MONDAY', endDay: 'SUNDAY', startTime: '00:00', endTime: '23:59' }];

/** config.json for the local MaxConf and the Pexip simulator as conference node. */
export function localCustomerAppConfig(settings: {
  maxconfUrl: string;
  pexipUrl: string;
  hours: CustomerAppSettings['CUSTOMER_APP_HOURS'];
  serviceHours: { timeZone: string; regular: CustomerAppLocalConfig['serviceHours']['regular'] };
  reconnectGraceSeconds: number;
}): CustomerAppLocalConfig {
  return {
    environment: 'local',
    maxconfApiBase: settings.maxconfUrl,
    conferenceNodeUrl: settings.pexipUrl,
    serviceHours: {
      timeZone: settings.serviceHours.timeZone,
      regular: settings.hours === 'always' ? ALL_WEEK : settings.serviceHours.regular,
      closedDates: [],
    },
    // the page's own limits (10 … 600 s); the session's grace decides the outcome
    reconnectGraceSeconds: Math.min(600, Math.max(10, settings.reconnectGraceSeconds)),
    bandwidthKbps: 1264,
  };
}

export interface LocalCustomerApp {
  url: string;
  /** once MaxConf and the vendors run: writes config.json's settings; returns the lines to print */
  connect(settings: { maxconfUrl: string; vendorsEnv: Record<string, string>; serviceHours: { timeZone: string; regular: CustomerAppLocalConfig['serviceHours']['regular'] }; reconnectGraceSeconds: number }): string[];
  stop(): Promise<void>;
}

/** `npm start`'s Customer App; skipped (with the reason) when it has not been built. */
export async function startLocalCustomerApp(root: string, env: Record<string, string | undefined>): Promise<LocalCustomerApp | { skipped: string }> {
  if (!existsSync(join(customerAppDist(root), 'index.html'))) return { skipped: 'the Customer App is not built (run `npm run build:apps`): no join links' };
  const settings = customerAppSettings(env);
  const server = await startCustomerAppServer({ root, port: settings.CUSTOMER_APP_PORT });
  return {
    url: server.url,
    connect({ maxconfUrl, vendorsEnv, serviceHours, reconnectGraceSeconds }) {
      const pexipUrl = vendorsEnv.PEXIP_MANAGEMENT_URL;
      if (!pexipUrl) return [`Customer App at ${server.url}/ (not connected: it needs the Pexip simulator)`];
      server.setConfig(localCustomerAppConfig({ maxconfUrl, pexipUrl, hours: settings.CUSTOMER_APP_HOURS, serviceHours, reconnectGraceSeconds }));
      return [`Customer App at ${server.url}/ (config.json for this MaxConf; the join link is POST /room/create's join_url)`];
    },
    stop: () => server.stop(),
  };
}
