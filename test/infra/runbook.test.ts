import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkRunbook, deployVariables } from '../../infra/check/rules';
import { ROOT } from './helpers';

const runbook = readFileSync(join(ROOT, 'docs/deploy.md'), 'utf8');
const scripts = Object.keys((JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts);

describe('docs/deploy.md', () => {
  it('names only npm scripts that package.json defines', () => {
    const named = [...runbook.matchAll(/npm run ([A-Za-z0-9:_-]+)/g)].map((m) => m[1]!);
    expect(named).toContain('infra:check');
    for (const n of named) expect(scripts).toContain(n);
  });

  it('names only scripts and files that exist', () => {
    const paths = [...runbook.matchAll(/(?<![\w/.-])((?:scripts|infra|\.github\/workflows)\/[A-Za-z0-9_./-]*[A-Za-z0-9_])/g)].map((m) => m[1]!);
    expect(paths).toEqual(expect.arrayContaining(['scripts/deploy/provision.sh', 'scripts/deploy/swap.sh', 'scripts/deploy/drain-gate.sh', 'scripts/deploy/set-secret.sh', 'scripts/deploy/smoke-check.js']));
    for (const p of paths) expect([p, existsSync(join(ROOT, p))]).toEqual([p, true]);
    expect(checkRunbook(ROOT)).toEqual([]);
  });

  it('explains every variable provisioning reads from the shell', () => {
    const vars = deployVariables(ROOT);
    expect(vars.length).toBeGreaterThan(5);
    for (const v of vars) expect(runbook).toContain(v);
  });

  it.each([
    ['first-time provisioning', /## 2\. First-time provisioning/],
    ['deploy', /## 3\. Deploy/],
    ['validate', /## 4\. Validate/],
    ['swap', /## 5\. Swap/],
    ['rollback', /## 6\. Roll back/],
    ['in-flight sessions around a swap', /## 7\. Task hubs and in-flight sessions/],
    ['Pexip credential rotation', /Pexip management key/],
    ['Genesys credential rotation', /Genesys client secret/],
    ['cutover: IDIM repointed', /Repoint IDIM/],
    ['cutover: old rooms left alone', /Leave today's rooms alone/],
    ['cutover: old garbage collector retired', /Retire the old garbage collector/],
    ['Application Insights queries by session id', /```kusto[\s\S]*let id = /],
  ])('covers %s', (_what, re) => {
    expect(runbook).toMatch(re);
  });
});
