import { TableClient } from '@azure/data-tables';
import { QueueClient } from '@azure/storage-queue';
import type { TokenCredential } from '@azure/identity';

/**
 * Where MaxConf's tables and queues live: the Function App's own storage account, shared with the
 * Durable task hub. Locally a connection string (Azurite's, `AzureWebJobsStorage`); on Azure the
 * account name and the app's managed identity (`AzureWebJobsStorage__accountName`), which needs
 * Storage Table Data Contributor and Storage Queue Data Contributor on the account.
 */
export type StorageAccount =
  | { connectionString: string }
  | { accountName: string; credential: TokenCredential };

/** Table and queue names share the account with the task hub's (`<hub>Instances`, `<hub>History`, `<hub>-control-00`): a prefix keeps them apart. */
export interface StorageNames {
  /** letters and digits, starting with a letter (Table Storage's rule); default `maxconf` */
  prefix?: string;
}

const TABLE_NAME = /^[A-Za-z][A-Za-z0-9]{2,62}$/;

export function tableName(names: StorageNames, suffix: string): string {
  const name = `${names.prefix ?? 'maxconf'}${suffix}`;
  if (!TABLE_NAME.test(name)) throw new RangeError(`table name ${name} is not 3-63 letters and digits starting with a letter`);
  return name;
}

/** Queue names are lower-case letters, digits and single hyphens. */
export function queueName(names: StorageNames, suffix: string): string {
  const name = `${(names.prefix ?? 'maxconf').toLowerCase()}-${suffix}`;
  if (!/^[a-z0-9](?:[a-z0-9]|-(?!-)){1,61}[a-z0-9]$/.test(name)) throw new RangeError(`queue name ${name} is not a valid queue name`);
  return name;
}

export function tableClient(account: StorageAccount, table: string): TableClient {
  if ('connectionString' in account) {
    // Azurite on loopback speaks plain http, which the SDK refuses unless told; a real account's string says https
    const insecure = /(^|;)\s*DefaultEndpointsProtocol=http\s*(;|$)/i.test(account.connectionString);
    return TableClient.fromConnectionString(account.connectionString, table, { allowInsecureConnection: insecure });
  }
  return new TableClient(`https://${account.accountName}.table.core.windows.net`, table, account.credential);
}

export function queueClient(account: StorageAccount, queue: string): QueueClient {
  if ('connectionString' in account) return new QueueClient(account.connectionString, queue);
  return new QueueClient(`https://${account.accountName}.queue.core.windows.net/${queue}`, account.credential);
}

/** Creates the tables if missing: at start-up, once, not per request. */
export async function ensureTables(account: StorageAccount, tables: string[]): Promise<void> {
  for (const table of tables) {
    try {
      await tableClient(account, table).createTable();
    } catch (error) {
      if (statusOf(error) !== 409) throw error;
    }
  }
}

/** The HTTP status of an Azure SDK error (each SDK may bundle its own copy of RestError, so no instanceof). */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}
