/**
 * Azurite's Table and Queue services in this process, on loopback, for the local stack, the
 * storage tests and the index benchmark. On Azure the Function App's own storage account
 * (`AzureWebJobsStorage`) stands where this does.
 *
 * Azurite ships no type declarations and its package entry point is a VS Code extension, so the
 * servers are loaded from their own modules through `createRequire` and typed here by the few
 * members used.
 */
import { createRequire } from 'node:module';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

/** Azurite's documented development account: public, the same in every Azurite install. */
export const AZURITE_ACCOUNT = 'devstoreaccount1';
export const AZURITE_ACCOUNT_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface AzuriteOptions {
  /** omit for in-memory persistence (gone when stopped) */
  dataDir?: string;
  /** 0 (the default) picks free ports */
  tablePort?: number;
  queuePort?: number;
  host?: string;
}

export interface Azurite {
  tableUrl: string;
  queueUrl: string;
  /** an `AzureWebJobsStorage`-style connection string for both services */
  connectionString: string;
  stop(): Promise<void>;
}

interface AzuriteServer {
  start(): Promise<void>;
  close(): Promise<void>;
  getHttpServerAddress(): string;
}
type ServerClass = new (configuration: unknown) => AzuriteServer;
type ConfigurationClass = new (...args: unknown[]) => unknown;

function azuriteModules() {
  const load = createRequire(__filename);
  const table = (path: string) => (load(`azurite/dist/src/table/${path}`) as { default: unknown }).default;
  const queue = (path: string) => (load(`azurite/dist/src/queue/${path}`) as { default: unknown }).default;
  const memory = load('azurite/dist/src/common/persistence/MemoryExtentStore') as {
    MemoryExtentChunkStore: new (sizeLimit: number) => unknown;
  };
  return {
    TableServer: table('TableServer') as ServerClass,
    TableConfiguration: table('TableConfiguration') as ConfigurationClass,
    QueueServer: queue('QueueServer') as ServerClass,
    QueueConfiguration: queue('QueueConfiguration') as ConfigurationClass,
    MemoryExtentChunkStore: memory.MemoryExtentChunkStore,
  };
}

/** Queue message bodies a test or the local stack may hold at once; Azurite's default is half the machine's RAM. */
const QUEUE_MEMORY_LIMIT_BYTES = 64 * 1024 * 1024;

export async function startAzurite(options: AzuriteOptions = {}): Promise<Azurite> {
  const modules = azuriteModules();
  const host = options.host ?? '127.0.0.1';
  const inMemory = options.dataDir === undefined;
  const dir = options.dataDir ?? '';
  if (!inMemory) mkdirSync(dir, { recursive: true, mode: 0o700 });

  // Positional arguments as Azurite's own table/main.js and queue/main.js pass them; access and
  // debug logs off (they would print every request, account key signatures included).
  const tableConfig = new modules.TableConfiguration(
    host, options.tablePort ?? 0, 5, join(dir, '__azurite_db_table__.json'),
    false, false, undefined, undefined, false, false, '', '', '', undefined, false, inMemory,
  );
  const queueConfig = new modules.QueueConfiguration(
    host, options.queuePort ?? 0, 5, join(dir, '__azurite_db_queue__.json'), join(dir, '__azurite_db_queue_extent__.json'),
    [{ locationId: 'Default', locationPath: join(dir, '__queuestorage__'), maxConcurrency: 10 }],
    false, undefined, false, undefined, false, false, '', '', '', undefined, false, inMemory,
    // each server its own message store: Azurite's default store is shared by every server in the process
    inMemory ? new modules.MemoryExtentChunkStore(QUEUE_MEMORY_LIMIT_BYTES) : undefined,
  );
  const table = new modules.TableServer(tableConfig);
  const queue = new modules.QueueServer(queueConfig);
  await table.start();
  try {
    await queue.start();
  } catch (error) {
    await table.close();
    throw error;
  }
  const tableUrl = `${table.getHttpServerAddress()}/${AZURITE_ACCOUNT}`;
  const queueUrl = `${queue.getHttpServerAddress()}/${AZURITE_ACCOUNT}`;
  return {
    tableUrl,
    queueUrl,
    connectionString: azuriteConnectionString(tableUrl, queueUrl),
    async stop() {
      await Promise.all([table.close(), queue.close()]);
    },
  };
}

export function azuriteConnectionString(tableUrl: string, queueUrl: string): string {
  return [
    'DefaultEndpointsProtocol=http',
    `AccountName=${AZURITE_ACCOUNT}`,
    `AccountKey=${AZURITE_ACCOUNT_KEY}`,
    `TableEndpoint=${tableUrl}`,
    `QueueEndpoint=${queueUrl}`,
  ].join(';') + ';';
}
