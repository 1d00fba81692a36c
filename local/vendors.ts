/**
 * `npm run vendors`: the vendor simulators (Genesys, then Pexip) in a process of their own, so a
 * host can be SIGKILLed and restarted while the rooms and conversations live on, as they do on
 * the real vendors. It writes its settings to `<data dir>/vendors.json` (mode 0600); a host
 * attaches with `npm start -- --vendors-file <path>` (or `--attach-vendors` for the data dir's
 * file). `npm start` without those flags runs this same entry as its child and talks to it over
 * the IPC channel.
 */
import { environmentSnapshot, loadConfig } from '../src/config';
import { createLogger } from '../src/logging/logger';
import { join } from 'node:path';
import { startAzurite } from './azurite';
import { startSimulators } from './simulators';
import { parseVendorKnobs } from './vendorKnobs';
import { removeVendorsFile, vendorsFilePath, writeVendorsFile } from './vendorsFile';

/** The message a child vendors process sends its parent once the simulators listen. */
export interface VendorsReady {
  type: 'vendors-ready';
  env: Record<string, string>;
  file: string;
}

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel, base: { env: config.env, process: 'vendors' } });
  const knobs = parseVendorKnobs(environmentSnapshot(), process.argv.slice(2));
  const vendors = await startSimulators(config, logger, knobs);
  // the storage account lives outside the Function host, as on Azure: a SIGKILLed host must not
  // take writes it had acknowledged with it (Azurite in the host lost the read model's last
  // records of sessions that ended just before a kill, so they read as never ended)
  const azurite = config.storage.account ? undefined : await startAzurite({ dataDir: join(config.dataDir, 'azurite') });
  const env = { ...vendors.env, ...(azurite ? { AzureWebJobsStorage: azurite.connectionString } : {}) };
  const file = vendorsFilePath(config.dataDir);
  writeVendorsFile(file, { pid: process.pid, env, startedAt: new Date().toISOString() });

  let stopping = false;
  const stop = (why: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ why }, 'vendors stopping');
    removeVendorsFile(file, process.pid);
    vendors
      .stop()
      .then(() => azurite?.stop())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, 'vendors stop failed');
          process.exit(1);
        },
      );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  if (process.send) {
    // a child of `npm start`: the parent decides when to stop (a terminal's Ctrl-C reaches both,
    // and the host must stop before its vendors); a parent that dies takes this process with it
    process.on('SIGINT', () => undefined);
    process.once('disconnect', () => stop('parent gone'));
    const ready: VendorsReady = { type: 'vendors-ready', env, file };
    process.send(ready);
  } else {
    process.once('SIGINT', () => stop('SIGINT'));
    process.stdout.write(`MaxConf vendors are running (settings in ${file}); attach a host with \`npm start -- --vendors-file ${file}\`\n`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`MaxConf vendors could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
