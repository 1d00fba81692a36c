/**
 * `npm start`: MaxConf on the local durable host with real time, the simulators for every vendor
 * without a configured endpoint, and the compiled `main` entry Azure loads.
 */
import { exportHostSettings, loadConfig } from '../src/config';
import { createLogger } from '../src/logging/logger';
import { join } from 'node:path';
import { startAzurite } from './azurite';
import { startLocalHost } from './durable-host';
import { startSimulators } from './simulators';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel, base: { env: config.env } });
  // no storage account configured: Azurite in the data directory stands in for the app's own
  const azurite = config.storage.account ? undefined : await startAzurite({ dataDir: join(config.dataDir, 'azurite') });
  const simulators = await startSimulators(config, logger);
  // the app reads its configuration when it loads, so the simulators' and Azurite's addresses go in first
  exportHostSettings({ ...simulators.env, ...(azurite ? { AzureWebJobsStorage: azurite.connectionString } : {}) });
  const host = await startLocalHost({
    dataDir: config.dataDir,
    port: config.port,
    clock: 'real',
    logger: logger.child({ component: 'local-host' }),
    taskHubName: config.taskHubName,
  }).catch(async (error: unknown) => {
    await simulators.stop();
    await azurite?.stop();
    throw error;
  });
  process.stdout.write(`MaxConf is running at ${host.url} (data in ${config.dataDir})\n`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    host
      .stop()
      .then(() => simulators.stop())
      .then(() => azurite?.stop())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'stop failed');
          process.exit(1);
        },
      );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(`MaxConf could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
