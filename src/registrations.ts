/**
 * Transitional re-export, to be deleted at merge: the composition root is src/functions/. Only
 * test/unit/openapi.test.ts (owned by another branch this round) still imports this path.
 */
export { buildRegistrations } from './functions/registrations';
export { createAppServices } from './functions/services';
