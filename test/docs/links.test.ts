import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * The docs stand on their own in a clone: every relative link in README.md and docs/*.md lands on
 * a file of the repository (and, for a link into a Markdown file with `#anchor`, on one of its
 * headings), every `*.md` a doc names exists, and nothing points at material outside the repo.
 */
const ROOT = resolve(__dirname, '../..');
const DOCS = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');
/** the text outside fenced code blocks, where a link is a link */
const prose = (text: string) => text.replace(/^```[\s\S]*?^```/gm, '');

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
function anchorsOf(file: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const [, heading] of prose(readFileSync(file, 'utf8')).matchAll(/^#{1,6}\s+(.+?)\s*#*$/gm)) {
    const base = heading!
      .toLowerCase()
      .replace(/[`*_]/g, '')
      .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/[^\p{L}\p{N}\s-]/gu, '')
      .replace(/\s/g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

function linksOf(text: string): string[] {
  const inline = [...prose(text).matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]!);
  const references = [...prose(text).matchAll(/^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm)].map((m) => m[1]!);
  return [...inline, ...references];
}

const isExternal = (target: string) => /^[a-z][a-z0-9+.-]*:/i.test(target);

describe('the docs stand alone', () => {
  it.each(DOCS)('%s: every relative link resolves to a file in the repository', (doc) => {
    const broken: string[] = [];
    for (const target of linksOf(read(doc))) {
      if (isExternal(target)) continue;
      const [path, anchor] = target.split('#') as [string, string | undefined];
      const file = path === '' ? join(ROOT, doc) : resolve(ROOT, dirname(doc), decodeURIComponent(path));
      if (!file.startsWith(`${ROOT}/`) || !existsSync(file)) {
        broken.push(`${target} (no such file)`);
        continue;
      }
      if (anchor && file.endsWith('.md') && statSync(file).isFile() && !anchorsOf(file).has(anchor.toLowerCase())) {
        broken.push(`${target} (no heading #${anchor} in ${relative(ROOT, file)})`);
      }
    }
    expect(broken).toEqual([]);
  });

  it.each(DOCS)('%s: names no file outside the repository', (doc) => {
    const text = read(doc);
    expect(text).not.toMatch(/\.\.\/shared|shared\/reference|ARCHITECTURE\.md/);
    // every Markdown file named, in a link or in backticks, exists (relative to the doc or the root)
    const named = [...text.matchAll(/(?<![\w/:.-])([\w.-]+(?:\/[\w.-]+)*\.md)\b/g)].map((m) => m[1]!);
    const missing = named.filter((name) => !existsSync(resolve(ROOT, dirname(doc), name)) && !existsSync(join(ROOT, name)));
    expect([...new Set(missing)]).toEqual([]);
  });

  it('the checks see links: README links every doc in docs/', () => {
    const linked = new Set(linksOf(read('README.md')).map((t) => t.split('#')[0]));
    expect(DOCS.filter((d) => d.startsWith('docs/') && !linked.has(d))).toEqual([]);
  });
});
