import { spawnSync } from 'node:child_process';
import { buildOpenApiDocument, coreRoutes } from '../../src/http/openapi';

interface LintProblem {
  ruleId: string;
  severity: 'error' | 'warn';
  message: string;
  pointer: string | undefined;
}

/**
 * @redocly/openapi-core ships ES modules only and jest runs CommonJS, so the linter runs in a Node
 * child (the same Node as the tests) that reads the document on stdin and prints its problems.
 */
const LINT = `
import { createConfig, lintFromString } from '@redocly/openapi-core';
let source = '';
for await (const chunk of process.stdin) source += chunk;
const config = await createConfig({ extends: ['recommended'] });
const problems = await lintFromString({ source, absoluteRef: '/openapi.json', config });
process.stdout.write(JSON.stringify(problems.map((p) => ({ ruleId: p.ruleId, severity: p.severity, message: p.message, pointer: p.location?.[0]?.pointer }))));
`;

function lint(document: unknown): LintProblem[] {
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', LINT], { input: JSON.stringify(document), encoding: 'utf8', cwd: process.cwd() });
  if (run.status !== 0) throw new Error(`the linter did not run: ${run.stderr}`);
  return JSON.parse(run.stdout) as LintProblem[];
}

/**
 * Warnings of the recommended set that stay, each justified in docs/session.md (API document):
 * MaxConf has no licence to name (a private project with no LICENSE file).
 */
const ALLOWED_WARNINGS = ['info-license'];

describe('the OpenAPI document under redocly’s recommended rules', () => {
  let problems: LintProblem[] = [];
  beforeAll(() => {
    problems = lint(buildOpenApiDocument(coreRoutes()));
  });
  const show = (list: LintProblem[]) => list.map((p) => `${p.severity} ${p.ruleId} ${p.pointer ?? ''}: ${p.message}`);

  it('has no errors', () => {
    expect(show(problems.filter((p) => p.severity === 'error'))).toEqual([]);
  });

  it('has no warnings but the justified ones', () => {
    const warnings = problems.filter((p) => p.severity === 'warn');
    expect(show(warnings.filter((p) => !ALLOWED_WARNINGS.includes(p.ruleId)))).toEqual([]);
    expect([...new Set(warnings.map((p) => p.ruleId))].sort()).toEqual(ALLOWED_WARNINGS);
  });

  it('catches what the recommended rules exist for (a document without servers or operationIds fails)', () => {
    const bare = buildOpenApiDocument(coreRoutes());
    delete bare.servers;
    delete bare.paths?.['/health']?.get?.operationId;
    const rules = lint(bare).map((p) => `${p.severity} ${p.ruleId}`);
    expect(rules).toEqual(expect.arrayContaining(['error no-empty-servers', 'warn operation-operationId']));
  });
});
