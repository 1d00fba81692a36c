import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startAzurite } from '../../local/azurite';
import { startLocalHost, type LocalHost, type LocalHostOptions } from '../../local/durable-host';
import { createLogger } from '../../src/logging/logger';

export interface TestHostOptions extends Omit<Partial<LocalHostOptions>, 'loadApp'> {
  /**
   * Module to load instead of the real `main` entry (src/functions/index.ts), e.g. a fixture app
   * under test/host/fixtures that registers functions with df.app.*. Absolute path.
   */
  entry?: string;
  /** pino level for the host and the app's logger (LOG_LEVEL); default HOST_LOG_LEVEL or 'silent' */
  logLevel?: string;
}

export interface TestHost extends LocalHost {
  dataDir: string;
  /** the environment the app was loaded with */
  env: Record<string, string>;
}

export const MAIN_ENTRY = join(__dirname, '..', '..', 'src', 'functions', 'index');

/**
 * Starts the local durable host inside jest with the REAL main entry (or a fixture app), loaded
 * in an isolated module registry against a stand-in `@azure/functions-core`, with `env` as its
 * environment while it loads (the app reads its config then). Defaults: a fresh temporary
 * MAXCONF_DATA_DIR, the virtual clock, a random port. Call `stop()` in afterAll/afterEach.
 */
export async function startTestHost(env: Record<string, string> = {}, options: TestHostOptions = {}): Promise<TestHost> {
  const givenDir = env.MAXCONF_DATA_DIR ?? options.dataDir;
  const dataDir = givenDir ?? mkdtempSync(join(tmpdir(), 'maxconf-host-'));
  // HOST_LOG_LEVEL=debug npx jest … shows the host's and the app's logs without editing a test
  const logLevel = options.logLevel ?? process.env.HOST_LOG_LEVEL ?? 'silent';
  const entry = options.entry ?? MAIN_ENTRY;
  // The real app needs its storage account (the session index, the warm-room queue): Azurite in
  // memory, or in the data directory when the caller brings one (a restart must find its index).
  const azurite =
    entry === MAIN_ENTRY && env.AzureWebJobsStorage === undefined
      ? await startAzurite(givenDir === undefined ? {} : { dataDir: join(dataDir, 'azurite') })
      : undefined;
  const appEnv: Record<string, string> = {
    MAXCONF_ENV: 'local',
    LOG_LEVEL: logLevel,
    ...(azurite ? { AzureWebJobsStorage: azurite.connectionString } : {}),
    ...env,
    MAXCONF_DATA_DIR: dataDir,
  };
  const { entry: _entry, logLevel: _level, ...hostOptions } = options;
  const starting = startLocalHost({
    port: 0,
    clock: 'virtual',
    logger: createLogger({ level: logLevel, base: { component: 'local-host' } }),
    ...hostOptions,
    dataDir,
    loadApp: (core) => {
      const saved = { ...process.env };
      Object.assign(process.env, appEnv);
      try {
        jest.isolateModules(() => {
          jest.doMock('@azure/functions-core', () => core.module, { virtual: true });
          require(entry);
        });
      } finally {
        process.env = saved;
      }
    },
  });
  const host = await starting.catch(async (error: unknown) => {
    await azurite?.stop();
    throw error;
  });
  if (azurite) {
    const stopHost = host.stop.bind(host);
    host.stop = async () => {
      try {
        await stopHost();
      } finally {
        await azurite.stop();
      }
    };
  }
  return Object.assign(host, { dataDir, env: appEnv });
}
