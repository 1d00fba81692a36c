import type { MaxConfConfig } from '../config';
import type { Logger } from '../logging/logger';
import { createPexipClient, type PexipClient } from '../adapters/pexip';
import { createServiceClient } from '../adapters/genesys/client';
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
}

/** Builds one thing once, on first use. */
export function once<T>(make: () => T): () => T {
  let made: { value: T } | undefined;
  return () => (made ??= { value: make() }).value;
}

export function createAppServices(config: MaxConfConfig, logger: Logger, now: () => Date = () => new Date()): AppServices {
  return {
    config,
    logger,
    now,
    pexip: once(() => createPexipClient(config, logger)),
    genesys: once(() => createGenesysFromConfig(config, logger, now)),
  };
}

/** MaxConf's own Genesys client from config; undefined when no org is configured. */
export function createGenesysFromConfig(config: MaxConfConfig, logger: Logger, now: () => Date): GenesysConversations | undefined {
  const g = config.genesys;
  if (!g.credentials) return undefined;
  const log = logger.child({ component: 'genesys' });
  const client = createServiceClient({ region: g.region, apiBaseUrl: g.apiBaseUrl, credentials: g.credentials, logger: log });
  return createGenesysConversations({ client, logger: log, now, queueName: g.queueName });
}
