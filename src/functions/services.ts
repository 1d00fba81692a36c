import { ManagedIdentityCredential } from '@azure/identity';
import type { MaxConfConfig } from '../config';
import type { SessionIndex, WarmRoomQueue } from '../contracts/sessionIndex';
import { createTableSessionIndex } from '../adapters/storage/sessionIndex';
import type { StorageAccount } from '../adapters/storage/tables';
import { createWarmRoomQueue } from '../adapters/storage/warmRoomQueue';
import type { Logger } from '../logging/logger';
import type { CitizenTokens } from '../contracts/ports';
import { citizenTokens } from '../adapters/auth/citizenToken';
import { createPexipClient, type PexipClient } from '../adapters/pexip';
import { createServiceClient, type GenesysServiceClient } from '../adapters/genesys/client';
import { createGenesysConversations, type GenesysConversations } from '../adapters/genesys/conversations';

/**
 * What every registration is built from, made once per app: the config, the logger, the clock,
 * ONE Pexip client (one OAuth token cache) and ONE Genesys client. The clients are made on first
 * use, so registering functions opens no connection and an app without Pexip or Genesys settings
 * still starts (the functions that need them fail, permanently).
 */
export interface AppServices {
  config: MaxConfConfig;
  logger: Logger;
  now(): Date;
  /** throws a permanent PexipError when Pexip is not configured */
  pexip(): PexipClient;
  /** undefined without Genesys credentials */
  genesys(): GenesysConversations | undefined;
  /**
   * The support read model (Table Storage in the app's storage account), its tables created on
   * first use; rejects when no storage account is configured.
   */
  sessionIndex(): Promise<SessionIndex>;
  /** The warm rooms (Queue Storage in the same account), the queue created on first use. */
  warmRoomQueue(): Promise<WarmRoomQueue>;
  /** the one Genesys client (one token) under `genesys()`, for other Genesys adapters; undefined without credentials */
  genesysClient(): GenesysServiceClient | undefined;
  /** the join link's citizen tokens; undefined without CITIZEN_TOKEN_KEY (no citizen routes, no link) */
  citizenTokens(): CitizenTokens | undefined;
}

/** Builds one thing once, on first use. */
export function once<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
}

export function createAppServices(config: MaxConfConfig, logger: Logger, now: () => Date = () => new Date()): AppServices {
  const genesysClient = once(() => genesysClientFromConfig(config, logger));
  return {
    config,
    logger,
    now,
    pexip: once(() => createPexipClient(config, logger)),
    genesys: once(() => createGenesysFromConfig(config, logger, now, genesysClient())),
    genesysClient,
    sessionIndex: onceSettled(async () => createTableSessionIndex({ account: storageAccount(config), prefix: config.storage.prefix })),
    citizenTokens: once(() => (config.citizen.tokenKey ? citizenTokens({ key: config.citizen.tokenKey, now }) : undefined)),
    warmRoomQueue: onceSettled(async () => createWarmRoomQueue({ account: storageAccount(config), prefix: config.storage.prefix })),
  };
}

/** Like `once`, for a promise: a failed start-up (storage unreachable) is retried on the next call rather than kept. */
export function onceSettled<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () => {
    made ??= make().catch((error: unknown) => {
      made = undefined;
      throw error;
    });
    return made;
  };
}

/** The storage account from config: a connection string, or the account name and the app's managed identity. */
export function storageAccount(config: MaxConfConfig): StorageAccount {
  const account = config.storage.account;
  if (!account) throw new Error('no storage account configured: set AzureWebJobsStorage (or AzureWebJobsStorage__accountName)');
  if ('connectionString' in account) return { connectionString: account.connectionString };
  const credential = account.clientId ? new ManagedIdentityCredential({ clientId: account.clientId }) : new ManagedIdentityCredential();
  return { accountName: account.accountName, credential };
}

function genesysClientFromConfig(config: MaxConfConfig, logger: Logger): GenesysServiceClient | undefined {
  const g = config.genesys;
  if (!g.credentials) return undefined;
  return createServiceClient({ region: g.region, apiBaseUrl: g.apiBaseUrl, credentials: g.credentials, logger: logger.child({ component: 'genesys' }) });
}

/** MaxConf's own Genesys client from config; undefined when no org is configured. */
export function createGenesysFromConfig(
  config: MaxConfConfig,
  logger: Logger,
  now: () => Date,
  client: GenesysServiceClient | undefined = genesysClientFromConfig(config, logger),
): GenesysConversations | undefined {
  if (!client) return undefined;
  return createGenesysConversations({ client, logger: logger.child({ component: 'genesys' }), now, queueName: config.genesys.queueName });
}
