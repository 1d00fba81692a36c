import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config';
import { buildOpenApiDocument, coreRoutes } from '../../src/http/openapi';
import { createLogger } from '../../src/logging/logger';
import { buildRegistrations } from '../../src/functions/registrations';
import { createAppServices } from '../../src/functions/services';

/** The top-level arguments of a call whose `(` ends just before `from`, as source text. */
function argumentsAt(text: string, from: number): string[] {
  const args: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let current = '';
  for (let i = from; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === '\\') current += c + text[++i];
      else {
        if (c === quote) quote = undefined;
        current += c;
      }
      continue;
    }
    if (c === "'" || c === '"' || c === '`') quote = c;
    else if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) {
      if (depth === 0) break;
      depth--;
    } else if (c === ',' && depth === 0) {
      args.push(current.trim());
      current = '';
      continue;
    }
    current += c;
  }
  if (current.trim()) args.push(current.trim());
  return args;
}

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
    expect(Object.keys(document.components?.securitySchemes ?? {}).sort()).toEqual([
      'apimSubscriptionKey',
      'bearer',
      'citizenToken',
      'eventBridgeApiKey',
      'eventSinkBasic',
      'genesysUserToken',
    ]);
    expect(document.components?.securitySchemes?.genesysUserToken).toMatchObject({ type: 'apiKey', in: 'header', name: 'x-auth-token' });
  });

  it('names each operation by the Azure function that serves it', () => {
    const byRoute = new Map<string, string>(registrations.flatMap((r) => (r.kind === 'http' ? r.methods.map((m) => [`${m} /${r.route}`, r.name] as const) : [])));
    const operationIds = Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
      Object.entries(item as Record<string, { operationId?: string }>).map(([method, op]) => [`${method.toUpperCase()} ${path}`, op.operationId] as const),
    );
    expect(operationIds.length).toBe(byRoute.size);
    for (const [route, operationId] of operationIds) expect([route, operationId]).toEqual([route, byRoute.get(route)]);
  });

  it('documents, on some operation, every problem the code answers, and no problem kind the code does not have', () => {
    const sources = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
    const texts = sources(join(__dirname, '../../src')).map((file) => readFileSync(file, 'utf8'));
    // every `problem(<status>, '<kind>'` in src/, e.g. problem(409, 'persistent-room', …)
    const literal = texts.flatMap((text) => [...text.matchAll(/problem\(\s*(\d{3}),\s*'([a-z-]+)'/g)].map((m) => `${m[1]} ${m[2]}`));
    // and every 400 of the one-field helper, invalidParam(where, name, reason, kind = 'invalid-input', title)
    const oneField = texts.flatMap((text) =>
      [...text.matchAll(/(?<!function )invalidParam\(/g)].map((m) => `400 ${/^'([a-z-]+)'$/.exec(argumentsAt(text, m.index + m[0].length)[3] ?? '')?.[1] ?? 'invalid-input'}`),
    );
    const inCode = new Set([...literal, ...oneField]);
    // the bearer verifier's refusals are chosen at run time: 401 unauthorized or 403 forbidden
    inCode.add('401 unauthorized').add('403 forbidden');
    const documentedKinds = new Set(
      Object.values(document.paths ?? {}).flatMap((item) =>
        Object.values(item as Record<string, { responses: Record<string, { description: string; content?: object }> }>).flatMap((op) =>
          Object.entries(op.responses)
            .filter(([, r]) => r.content && 'application/problem+json' in r.content)
            .flatMap(([status, r]) => [...(/\(([^()]*)\)$/.exec(r.description)?.[1] ?? '').matchAll(/`([a-z-]+)`/g)].map((m) => `${status} ${m[1]}`)),
        ),
      ),
    );
    expect([...inCode].filter((k) => !documentedKinds.has(k)).sort()).toEqual([]);
    expect([...documentedKinds].filter((k) => !inCode.has(k)).sort()).toEqual([]);
  });

  it('lists the local host and each environment’s API Management gateway as servers', () => {
    expect(document.servers?.map((s) => s.url)).toEqual([
      'http://127.0.0.1:{port}',
      'https://api.test.vc.maxconf.ca',
      'https://api.test.vc.maxconf.ca/edge',
      'https://api.vc.maxconf.ca',
    ]);
  });

  it('names uuiData as a required query parameter of POST /room/create', () => {
    const create = (document.paths?.['/room/create'] as { post: { parameters: { name: string; in: string; required: boolean }[] } }).post;
    expect(create.parameters).toEqual([expect.objectContaining({ name: 'uuiData', in: 'query', required: true })]);
  });
});
