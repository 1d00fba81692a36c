import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { runAllChecks, type Finding } from '../../infra/check/rules';

export const ROOT = resolve(__dirname, '../..');

/** What the infra checks read: copied whole into a scratch repository for the broken-copy tests. */
const COPIED = [
  'infra',
  '.github/workflows',
  'scripts/deploy',
  'docs/deploy.md',
  'docs/infra-eventbridge.md',
  'package.json',
  'host.json',
  'src/config/config.ts',
  'test/infra',
];

export interface Copy {
  root: string;
  edit(rel: string, change: (text: string) => string): void;
  write(rel: string, text: string): void;
  findings(): Finding[];
  dispose(): void;
}

export function copyRepo(): Copy {
  const root = mkdtempSync(join(tmpdir(), 'maxconf-infra-'));
  for (const rel of COPIED) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    cpSync(join(ROOT, rel), join(root, rel), { recursive: true });
  }
  return {
    root,
    edit(rel, change) {
      const before = readFileSync(join(root, rel), 'utf8');
      const after = change(before);
      // a mutation that matches nothing would make the test prove nothing
      if (after === before) throw new Error(`edit of ${rel} changed nothing`);
      writeFileSync(join(root, rel), after);
    },
    write(rel, text) {
      mkdirSync(dirname(join(root, rel)), { recursive: true });
      writeFileSync(join(root, rel), text);
    },
    findings() {
      return runAllChecks(root).flatMap((r) => r.findings);
    },
    dispose() {
      rmSync(root, { recursive: true, force: true });
    },
  };
}

export function describeFindings(findings: Finding[]): string {
  return findings.map((f) => `[${f.check}] ${f.file}${f.line ? `:${f.line}` : ''} ${f.message}`).join('\n');
}
