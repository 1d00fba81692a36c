import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { ACTIVITIES, ENTITIES, ORCHESTRATIONS } from '../../src/contracts/durable';

/**
 * The shape docs/architecture.md describes, read from the sources themselves (the TypeScript
 * parser, so comments and strings inside them do not count): who may import whom, where durable
 * function names are written, and which casts durable code may not make.
 */
const ROOT = resolve(__dirname, '..', '..');
const PRODUCTION = ['src', 'orchestrators', 'activities', 'entities'];
const TABLE = 'src/contracts/durable.ts';
/** durable code: no type assertion at all (the one narrowing is `trusted` in src/contracts/durableSpec.ts, documented there) */
const DURABLE_CODE = ['orchestrators/', 'activities/', 'entities/', 'src/functions/', TABLE, 'src/contracts/durableCalls.ts', 'src/contracts/roomPool.ts', 'src/contracts/ports.ts'];

function sourcesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(ROOT, dir))) {
    const path = join(dir, entry);
    if (statSync(join(ROOT, path)).isDirectory()) out.push(...sourcesUnder(path));
    else if (path.endsWith('.ts') && !path.endsWith('.d.ts')) out.push(path.split(sep).join('/'));
  }
  return out;
}

const files = PRODUCTION.flatMap(sourcesUnder);
const parsed = new Map(files.map((f) => [f, ts.createSourceFile(f, readFileSync(join(ROOT, f), 'utf8'), ts.ScriptTarget.Latest, true)]));

/** Relative imports (static, type-only, re-exports, require) resolved to project files. */
function importsOf(file: string): string[] {
  const info = ts.preProcessFile(parsed.get(file)!.text, true, true);
  return info.importedFiles
    .map((i) => i.fileName)
    .filter((name) => name.startsWith('.'))
    .map((name) => {
      const base = resolve(ROOT, dirname(file), name);
      const hit = [`${base}.ts`, join(base, 'index.ts')].find((candidate) => existsSync(candidate));
      return hit ? relative(ROOT, hit).split(sep).join('/') : `unresolved:${name}`;
    });
}

const graph = new Map(files.map((f) => [f, importsOf(f)]));

function isUnder(file: string, ...dirs: string[]): boolean {
  return dirs.some((d) => file.startsWith(d.endsWith('/') ? d : `${d}/`));
}

function violations(rule: (from: string, to: string) => boolean): string[] {
  return [...graph].flatMap(([from, tos]) => tos.filter((to) => rule(from, to)).map((to) => `${from} → ${to}`));
}

function walk(node: ts.Node, visit: (node: ts.Node) => void): void {
  visit(node);
  node.forEachChild((child) => walk(child, visit));
}

describe('the architecture', () => {
  it('resolves every relative import (so the rules below see them all)', () => {
    expect(violations((_from, to) => to.startsWith('unresolved:'))).toEqual([]);
  });

  it('has no import circle', () => {
    const circles: string[] = [];
    const state = new Map<string, 'visiting' | 'done'>();
    const stack: string[] = [];
    const visit = (file: string) => {
      state.set(file, 'visiting');
      stack.push(file);
      for (const next of graph.get(file) ?? []) {
        if (!graph.has(next)) continue;
        if (state.get(next) === 'visiting') circles.push([...stack.slice(stack.indexOf(next)), next].join(' → '));
        else if (!state.has(next)) visit(next);
      }
      stack.pop();
      state.set(file, 'done');
    };
    for (const file of files) if (!state.has(file)) visit(file);
    expect(circles).toEqual([]);
  });

  it('keeps adapters off HTTP, orchestrators, entities, activities and the composition root', () => {
    expect(violations((from, to) => isUnder(from, 'src/adapters') && isUnder(to, 'src/http', 'src/functions', 'orchestrators', 'activities', 'entities'))).toEqual([]);
  });

  it('keeps the contracts (ports, the durable table) free of everything but types of the domain and adapter models', () => {
    expect(
      violations((from, to) => isUnder(from, 'src/contracts') && !isUnder(to, 'src/contracts', 'src/domain') && !/^src\/adapters\/(pexip\/models|genesys\/conversations)\.ts$/.test(to)),
    ).toEqual([]);
  });

  it('lets only src/functions import the implementations the durable table registers', () => {
    const implementation = (to: string) => isUnder(to, 'orchestrators', 'activities', 'entities');
    expect(
      violations((from, to) => {
        if (!implementation(to) || isUnder(from, 'src/functions')) return false;
        // an orchestrator may share a helper with another orchestrator (refill names rooms as a claim does)
        return !(isUnder(from, 'orchestrators') && isUnder(to, 'orchestrators'));
      }),
    ).toEqual([]);
    // and nothing registers a function but src/functions/register.ts
    const registering: string[] = [];
    for (const [file, source] of parsed) {
      if (file === 'src/functions/register.ts') continue;
      walk(source, (node) => {
        if (ts.isPropertyAccessExpression(node) && /^(df\.)?app(\.client)?$/.test(node.expression.getText(source))) registering.push(`${file}: ${node.getText(source)}`);
      });
    }
    expect(registering).toEqual([]);
  });

  it('writes durable function names only in the table', () => {
    const names = new Set([...Object.values(ORCHESTRATIONS), ...Object.values(ACTIVITIES), ...Object.values(ENTITIES)].map((spec) => spec.name));
    expect(names.size).toBe(Object.keys(ORCHESTRATIONS).length + Object.keys(ACTIVITIES).length + Object.keys(ENTITIES).length);
    const found: string[] = [];
    for (const [file, source] of parsed) {
      if (file === TABLE) continue;
      walk(source, (node) => {
        if ((ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) && names.has(node.text)) {
          found.push(`${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1} '${node.text}'`);
        }
      });
    }
    expect(found).toEqual([]);
  });

  it('makes no type assertion in durable code, and no `as unknown as` outside the vendor adapters', () => {
    const casts: string[] = [];
    for (const [file, source] of parsed) {
      walk(source, (node) => {
        if (!ts.isAsExpression(node) && !ts.isTypeAssertionExpression(node)) return;
        if (ts.isAsExpression(node) && node.type.getText(source) === 'const') return;
        const where = `${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1} ${node.getText(source).slice(0, 80)}`;
        const doubled = ts.isAsExpression(node) && ts.isAsExpression(node.expression) && node.expression.type.kind === ts.SyntaxKind.UnknownKeyword;
        // durable results are narrowed once, by `trusted` in the narrowing module; nowhere else
        if (DURABLE_CODE.some((prefix) => file.startsWith(prefix))) casts.push(where);
        // a vendor SDK's typings may need one, in its adapter, commented there
        else if (doubled && !isUnder(file, 'src/adapters')) casts.push(where);
      });
    }
    expect(casts).toEqual([]);
  });
});
