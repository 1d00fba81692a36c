/**
 * The `main` entry the Azure Functions host loads (and the local host loads the same file).
 * src/functions is the app's one composition root: configuration and services are built once
 * here (services.ts), the registration list is assembled (registrations.ts from pexip.ts,
 * genesys.ts and session.ts), and register.ts hands it to @azure/functions / durable-functions.
 * Nothing outside this folder registers a function. docs/architecture.md walks through it.
 */
import { loadConfig } from '../config';
import { createLogger } from '../logging/logger';
import { register } from './register';
import { buildRegistrations } from './registrations';
import { createAppServices } from './services';

const config = loadConfig();
const logger = createLogger({ level: config.logLevel, base: { env: config.env } });
register(buildRegistrations(createAppServices(config, logger)));
