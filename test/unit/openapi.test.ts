import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config';
import { buildOpenApiDocument, coreRoutes } from '../../src/http/openapi';
import { createLogger } from '../../src/logging/logger';
import { buildRegistrations, createAppServices } from '../../src/registrations';

describe('the OpenAPI document', () => {
  const registrations = buildRegistrations(
    createAppServices(loadConfig({ MAXCONF_ENV: 'local', MAXCONF_DATA_DIR: mkdtempSync(join(tmpdir(), 'mc-openapi-')) }), createLogger({ level: 'silent' })),
  );
  const document = buildOpenApiDocument(coreRoutes());
  const documented = Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
    Object.keys(item as object).map((method) => `${method.toUpperCase()} ${path}`),
  );
  const served = registrations.flatMap((r) => (r.kind === 'http' ? r.methods.map((m) => `${m} /${r.route}`) : []));

  it('documents every route the app serves, and no route it does not', () => {
    expect(documented.sort()).toEqual(served.sort());
  });

  it('is OpenAPI 3.1 with the security schemes the routes name', () => {
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.components?.securitySchemes ?? {}).sort()).toEqual(['apiKey', 'basic', 'bearer']);
  });

  it('names uuiData as a required query parameter of POST /room/create', () => {
    const create = (document.paths?.['/room/create'] as { post: { parameters: { name: string; in: string; required: boolean }[] } }).post;
    expect(create.parameters).toEqual([expect.objectContaining({ name: 'uuiData', in: 'query', required: true })]);
  });
});
