/**
 * `npm run infra:check [-- --root <dir>]`: the offline checks of infra/, the workflows, the deploy
 * scripts and the runbook, as a readable report. Exit code 1 when any check fails.
 */
import { resolve } from 'node:path';
import { runAllChecks } from './rules';

function main(argv: string[]): number {
  const at = argv.indexOf('--root');
  const root = resolve(at >= 0 && argv[at + 1] ? argv[at + 1]! : '.');
  const results = runAllChecks(root);
  let failed = 0;
  const out: string[] = [`MaxConf infrastructure checks (${root})`, ''];
  for (const r of results) {
    const ok = r.findings.length === 0;
    if (!ok) failed++;
    out.push(`${ok ? 'PASS' : 'FAIL'}  ${r.name.padEnd(13)} ${r.description}`);
    for (const f of r.findings) out.push(`        ${f.file}${f.line ? `:${f.line}` : ''}  ${f.message}`);
  }
  out.push('', `${results.length - failed} passed, ${failed} failed`);
  process.stdout.write(out.join('\n') + '\n');
  return failed === 0 ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
