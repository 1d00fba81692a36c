/**
 * `npm start`: MaxConf on the local durable host with real time, the compiled `main` entry Azure
 * loads, and the vendor simulators in a child process of their own (`vendors.js`) for every
 * vendor without a configured endpoint.
 *
 *   npm start                                  one command: vendors child + host
 *   npm start -- --production-like             the child runs the simulators at production-like limits
 *   npm start -- --vendors-file <path>         attach to vendors started with `npm run vendors`
 *   npm start -- --attach-vendors              the same, with `<data dir>/vendors.json`
 *
 * It also serves the built Agent App (`local/apps/`) and sets it as the interaction widget of the
 * Genesys simulator's agent desktop, printing the desktop and app URLs, and the built Customer
 * App, whose address is the join link's base (CUSTOMER_APP_URL unless set).
 *
 * Attached, the host can be killed and restarted while the simulators keep their rooms and
 * conversations, as real vendors would.
 */
import { join } from 'node:path';
import { environmentSnapshot, exportHostSettings, loadConfig } from '../src/config';
import { createLogger } from '../src/logging/logger';
import { startLocalApps } from './apps';
import { startLocalCustomerApp } from './apps/customerApp';
import { startAzurite } from './azurite';
import { startLocalHost } from './durable-host';
import { vendorsFilePath } from './vendorsFile';
import { attachVendors, spawnVendors } from './vendorsProcess';

function vendorsFileArg(argv: readonly string[], dataDir: string): string | undefined {
  const i = argv.indexOf('--vendors-file');
  if (i >= 0) {
    const path = argv[i + 1];
    if (!path || path.startsWith('--')) throw new Error('--vendors-file needs a path');
    return path;
  }
  return argv.includes('--attach-vendors') ? vendorsFilePath(dataDir) : undefined;
}

async function main(): Promise<void> {
  // loaded first: it makes the data directory's dev secrets, which the vendors child then reads
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel, base: { env: config.env } });
  const attachTo = vendorsFileArg(process.argv.slice(2), config.dataDir);
  // the app's origin first: the desktop in the vendors process loads it as its widget
  const apps = await startLocalApps(join(__dirname, '..', '..'), environmentSnapshot());
  const served = 'skipped' in apps ? undefined : apps;
  const customerApp = await startLocalCustomerApp(join(__dirname, '..', '..'), environmentSnapshot());
  const customer = 'skipped' in customerApp ? undefined : customerApp;
  const vendors = attachTo ? attachVendors(attachTo) : await spawnVendors(served?.vendorsEnv);
  // no storage account configured: Azurite in the data directory stands in for the app's own, run
  // by the vendors process (so it outlives a killed host); vendors of an older build run none
  const azurite = config.storage.account || vendors.env.AzureWebJobsStorage ? undefined : await startAzurite({ dataDir: join(config.dataDir, 'azurite') });
  // the app reads its configuration when it loads, so the simulators' and Azurite's addresses go in first
  exportHostSettings({
    ...vendors.env,
    ...(azurite ? { AzureWebJobsStorage: azurite.connectionString } : {}),
    ...(customer && !config.citizen.customerAppUrl ? { CUSTOMER_APP_URL: customer.url } : {}),
  });
  const corsOrigins = [served?.agentAppUrl, customer?.url].filter((o): o is string => o !== undefined);
  const host = await startLocalHost({
    dataDir: config.dataDir,
    port: config.port,
    clock: 'real',
    logger: logger.child({ component: 'local-host' }),
    taskHubName: config.taskHubName,
    ...(corsOrigins.length > 0 ? { corsOrigins } : {}),
  }).catch(async (error: unknown) => {
    await vendors.stop();
    await azurite?.stop();
    await served?.stop();
    await customer?.stop();
    throw error;
  });
  const appLines = served ? served.connect({ maxconfUrl: host.url, vendorsEnv: vendors.env, dataDir: config.dataDir }) : [(apps as { skipped: string }).skipped];
  appLines.push(
    ...(customer
      ? customer.connect({ maxconfUrl: host.url, vendorsEnv: vendors.env, serviceHours: config.serviceHours, reconnectGraceSeconds: config.deadlines.reconnectGraceSeconds })
      : [(customerApp as { skipped: string }).skipped]),
  );
  if (served && attachTo) appLines.push('attached vendors: their desktop shows this Agent App only if `npm run vendors` ran with GENESYS_SIM_WIDGET_URL set to it (and AGENT_APP_PORT fixed)');
  process.stdout.write(appLines.map((l) => `${l}\n`).join(''));
  process.stdout.write(`MaxConf is running at ${host.url} (data in ${config.dataDir}${attachTo ? `; vendors from ${attachTo}` : ''})\n`);

  let stopping = false;
  const stop = (why: string, code: number) => {
    if (stopping) return;
    stopping = true;
    logger.info({ why }, 'stopping');
    host
      .stop()
      .then(() => vendors.stop())
      .then(() => azurite?.stop())
      .then(() => served?.stop())
      .then(() => customer?.stop())
      .then(
        () => process.exit(code),
        (error: unknown) => {
          logger.error({ err: error }, 'stop failed');
          process.exit(1);
        },
      );
  };
  vendors.onUnexpectedExit((reason) => {
    process.stderr.write(`MaxConf stopped: ${reason}\n`);
    stop(reason, 1);
  });
  process.once('SIGINT', () => stop('SIGINT', 0));
  process.once('SIGTERM', () => stop('SIGTERM', 0));
}

main().catch((error: unknown) => {
  process.stderr.write(`MaxConf could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
