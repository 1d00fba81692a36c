/**
 * A small Bicep reader for offline checks. No Bicep compiler installs here (no npm package ships
 * one, Debian has none), so this reads the subset of Bicep MaxConf's templates use: top-level
 * declarations, object/array literals, for- and if-bodies, with every other expression kept as
 * raw text. It is a linter's parser, not a compiler: CI on GitHub-hosted runners also runs
 * `az bicep build` (see .github/workflows/infra.yml).
 */

export type Node =
  | { kind: 'object'; entries: Entry[]; line: number }
  | { kind: 'array'; items: Node[]; line: number }
  | { kind: 'for'; source: string; body: Node; line: number }
  | { kind: 'if'; condition: string; body: Node; line: number }
  | { kind: 'string'; raw: string; value: string | undefined; line: number }
  | { kind: 'expr'; raw: string; line: number };

export interface Entry {
  key: string;
  value: Node;
  line: number;
}

export interface ParamDecl {
  name: string;
  type: string;
  hasDefault: boolean;
  nullable: boolean;
  secure: boolean;
  defaultValue: Node | undefined;
  line: number;
}

export interface ResourceDecl {
  symbol: string;
  type: string;
  apiVersion: string;
  existing: boolean;
  body: Node;
  line: number;
}

export interface ModuleDecl {
  symbol: string;
  path: string;
  body: Node;
  line: number;
}

export interface BicepFile {
  path: string;
  params: Map<string, ParamDecl>;
  vars: Map<string, Node>;
  resources: ResourceDecl[];
  modules: ModuleDecl[];
  outputs: string[];
  types: string[];
  /** `using '...'` of a .bicepparam file */
  using: string | undefined;
  /** `param x = value` assignments of a .bicepparam file */
  assignments: Map<string, { value: Node; line: number }>;
}

export class BicepSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${message}`);
  }
}

interface Token {
  kind: 'ident' | 'string' | 'number' | 'punct' | 'newline';
  text: string;
  /** for strings: the value when the string has no interpolation */
  value?: string | undefined;
  line: number;
}

const PUNCT3 = ['...'];
const PUNCT2 = ['==', '!=', '<=', '>=', '&&', '||', '??', '=>', '.?', '::'];

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  const n = text.length;
  while (i < n) {
    const c = text[i]!;
    if (c === '\n') {
      tokens.push({ kind: 'newline', text: '\n', line });
      line++;
      i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '/') {
      while (i < n && text[i] !== '\n') i++;
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) throw new BicepSyntaxError('unterminated block comment', line);
      line += (text.slice(i, end).match(/\n/g) ?? []).length;
      i = end + 2;
      continue;
    }
    if (text.startsWith("'''", i)) {
      const end = text.indexOf("'''", i + 3);
      if (end < 0) throw new BicepSyntaxError('unterminated multi-line string', line);
      const raw = text.slice(i, end + 3);
      tokens.push({ kind: 'string', text: raw, value: raw.slice(3, -3), line });
      line += (raw.match(/\n/g) ?? []).length;
      i = end + 3;
      continue;
    }
    if (c === "'") {
      const start = i;
      const startLine = line;
      let value = '';
      let interpolated = false;
      i++;
      for (;;) {
        if (i >= n || text[i] === '\n') throw new BicepSyntaxError('unterminated string', startLine);
        const d = text[i]!;
        if (d === '\\') {
          const e = text[i + 1];
          const map: Record<string, string> = { n: '\n', r: '\r', t: '\t', '\\': '\\', "'": "'", $: '$' };
          if (e === undefined || !(e in map)) throw new BicepSyntaxError(`unknown escape \\${e ?? ''}`, line);
          value += map[e];
          i += 2;
          continue;
        }
        if (d === '$' && text[i + 1] === '{') {
          interpolated = true;
          i += 2;
          let depth = 1;
          // An interpolation holds an expression, which may itself hold strings and braces.
          while (i < n && depth > 0) {
            const e = text[i]!;
            if (e === "'") {
              i++;
              while (i < n && text[i] !== "'") i += text[i] === '\\' ? 2 : 1;
              if (i >= n) throw new BicepSyntaxError('unterminated string in interpolation', line);
            } else if (e === '{') depth++;
            else if (e === '}') depth--;
            else if (e === '\n') throw new BicepSyntaxError('line break inside an interpolation', line);
            i++;
          }
          continue;
        }
        if (d === "'") {
          i++;
          break;
        }
        value += d;
        i++;
      }
      tokens.push({ kind: 'string', text: text.slice(start, i), value: interpolated ? undefined : value, line: startLine });
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      let j = i + 1;
      while (j < n && /[A-Za-z0-9_]/.test(text[j]!)) j++;
      tokens.push({ kind: 'ident', text: text.slice(i, j), line });
      i = j;
      continue;
    }
    if (/[0-9]/.test(c)) {
      let j = i + 1;
      while (j < n && /[0-9.]/.test(text[j]!)) j++;
      tokens.push({ kind: 'number', text: text.slice(i, j), line });
      i = j;
      continue;
    }
    const p3 = PUNCT3.find((p) => text.startsWith(p, i));
    const p2 = PUNCT2.find((p) => text.startsWith(p, i));
    const p = p3 ?? p2 ?? c;
    if (!p3 && !p2 && !'{}[]()<>,:?.=!+-*/%@|&'.includes(c)) throw new BicepSyntaxError(`unexpected character ${JSON.stringify(c)}`, line);
    tokens.push({ kind: 'punct', text: p, line });
    i += p.length;
  }
  tokens.push({ kind: 'newline', text: '\n', line });
  return tokens;
}

const OPEN: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
const CONTINUES_LINE = new Set(['?', ':', '&&', '||', '??', '.', '==', '!=', '+', '-', '*', '/']);

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  peek(offset = 0): Token {
    return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)]!;
  }
  next(): Token {
    const t = this.peek();
    this.pos++;
    return t;
  }
  atEnd(): boolean {
    return this.pos >= this.tokens.length - 1;
  }
  skipNewlines(): void {
    while (!this.atEnd() && this.peek().kind === 'newline') this.pos++;
  }
  expect(text: string): Token {
    const t = this.next();
    if (t.text !== text) throw new BicepSyntaxError(`expected "${text}" but found "${t.text === '\n' ? 'end of line' : t.text}"`, t.line);
    return t;
  }
  expectKind(kind: Token['kind'], what: string): Token {
    const t = this.next();
    if (t.kind !== kind) throw new BicepSyntaxError(`expected ${what} but found "${t.text === '\n' ? 'end of line' : t.text}"`, t.line);
    return t;
  }

  /** A value: object, array, for-body, if-body, lone string, or an expression kept as text. */
  value(): Node {
    const t = this.peek();
    if (t.text === '{') return this.object();
    if (t.text === '[') {
      if (this.peek(1).text === 'for' || (this.peek(1).kind === 'newline' && this.lookPastNewlines(1) === 'for')) return this.forBody();
      return this.array();
    }
    if (t.kind === 'ident' && t.text === 'if' && this.peek(1).text === '(') {
      this.next();
      const condition = this.balanced();
      this.skipNewlines();
      return { kind: 'if', condition, body: this.value(), line: t.line };
    }
    if (t.kind === 'string') {
      const following = this.peek(1);
      if (following.kind === 'newline' || [',', '}', ']', ')'].includes(following.text)) {
        this.next();
        return { kind: 'string', raw: t.text, value: t.value, line: t.line };
      }
    }
    return { kind: 'expr', raw: this.expression(), line: t.line };
  }

  private lookPastNewlines(offset: number): string {
    let k = offset;
    while (this.peek(k).kind === 'newline' && this.pos + k < this.tokens.length - 1) k++;
    return this.peek(k).text;
  }

  /** Tokens up to the end of the value: a newline, comma or closing bracket at depth 0. */
  expression(): string {
    const parts: string[] = [];
    const stack: string[] = [];
    // `:` at depth 0 only closes a ternary; anywhere else it means two values ran together
    let openTernaries = 0;
    for (;;) {
      const t = this.peek();
      if (this.atEnd()) {
        if (stack.length) throw new BicepSyntaxError(`unclosed "${stack[stack.length - 1]}"`, t.line);
        break;
      }
      if (stack.length === 0) {
        if (t.kind === 'newline') {
          // a ternary or boolean chain may continue on the next line
          const nextText = this.lookPastNewlines(0);
          if (CONTINUES_LINE.has(nextText) || CONTINUES_LINE.has(parts[parts.length - 1] ?? '')) {
            this.skipNewlines();
            continue;
          }
          break;
        }
        if ([',', '}', ']', ')'].includes(t.text)) break;
        if (t.kind === 'punct' && t.text === '?') openTernaries++;
        if (t.kind === 'punct' && t.text === ':') {
          if (openTernaries === 0) throw new BicepSyntaxError('unexpected ":" (missing line break between two properties?)', t.line);
          openTernaries--;
        }
      }
      if (t.text in OPEN) stack.push(OPEN[t.text]!);
      else if ([')', ']', '}'].includes(t.text)) {
        const want = stack.pop();
        if (want !== t.text) throw new BicepSyntaxError(`unbalanced "${t.text}"`, t.line);
      }
      this.next();
      if (t.kind !== 'newline') parts.push(t.text);
    }
    if (parts.length === 0) throw new BicepSyntaxError('expected a value', this.peek().line);
    return parts.join(' ');
  }

  /** `( ... )` as raw text, the parentheses included. */
  balanced(): string {
    const open = this.expect('(');
    const parts = ['('];
    let depth = 1;
    while (depth > 0) {
      if (this.atEnd()) throw new BicepSyntaxError('unclosed "("', open.line);
      const t = this.next();
      if (t.text === '(') depth++;
      if (t.text === ')') depth--;
      if (t.kind !== 'newline') parts.push(t.text);
    }
    return parts.join(' ');
  }

  object(): Node {
    const open = this.expect('{');
    const entries: Entry[] = [];
    const seen = new Set<string>();
    for (;;) {
      this.skipNewlines();
      const t = this.peek();
      if (t.text === '}') {
        this.next();
        break;
      }
      if (this.atEnd()) throw new BicepSyntaxError('unclosed "{"', open.line);
      // property decorators (@description on a type member, @batchSize...) are skipped
      if (t.text === '@') {
        this.decorator();
        continue;
      }
      const keyTok = this.next();
      let key: string;
      if (keyTok.kind === 'ident') key = keyTok.text;
      else if (keyTok.kind === 'string' && keyTok.value !== undefined) key = keyTok.value;
      else if (keyTok.kind === 'string') key = keyTok.text; // interpolated key, kept as written
      else throw new BicepSyntaxError(`expected a property name but found "${keyTok.text}"`, keyTok.line);
      if (this.peek().text === '?') this.next(); // optional member of a type
      this.expect(':');
      const value = this.typeOrValue();
      if (seen.has(key)) throw new BicepSyntaxError(`duplicate property "${key}"`, keyTok.line);
      seen.add(key);
      entries.push({ key, value, line: keyTok.line });
      const after = this.peek();
      if (after.text === ',') this.next();
      else if (after.kind !== 'newline' && after.text !== '}') throw new BicepSyntaxError(`expected end of line after "${key}"`, after.line);
    }
    return { kind: 'object', entries, line: open.line };
  }

  /** In a type declaration a member's "value" is a type; the value parser reads both. */
  private typeOrValue(): Node {
    return this.value();
  }

  array(): Node {
    const open = this.expect('[');
    const items: Node[] = [];
    for (;;) {
      this.skipNewlines();
      if (this.peek().text === ']') {
        this.next();
        break;
      }
      if (this.atEnd()) throw new BicepSyntaxError('unclosed "["', open.line);
      items.push(this.value());
      if (this.peek().text === ',') this.next();
      else if (this.peek().kind !== 'newline' && this.peek().text !== ']') throw new BicepSyntaxError('expected end of line in array', this.peek().line);
    }
    return { kind: 'array', items, line: open.line };
  }

  forBody(): Node {
    const open = this.expect('[');
    this.skipNewlines();
    this.expect('for');
    const source: string[] = [];
    let depth = 0;
    while (!(depth === 0 && this.peek().text === ':')) {
      if (this.atEnd()) throw new BicepSyntaxError('unterminated for-expression', open.line);
      const t = this.next();
      if (t.text in OPEN) depth++;
      if ([')', ']', '}'].includes(t.text)) depth--;
      source.push(t.text);
    }
    this.expect(':');
    this.skipNewlines();
    const body = this.value();
    this.skipNewlines();
    this.expect(']');
    return { kind: 'for', source: source.join(' '), body, line: open.line };
  }

  decorator(): { name: string; args: string } {
    this.expect('@');
    let name = this.expectKind('ident', 'a decorator name').text;
    while (this.peek().text === '.') {
      this.next();
      name += '.' + this.expectKind('ident', 'a decorator name').text;
    }
    const args = this.peek().text === '(' ? this.balanced() : '';
    this.skipNewlines();
    return { name, args };
  }

  /** A type expression after `param x` / `output x`: up to `=` or the end of the line. */
  typeExpr(): string {
    const parts: string[] = [];
    let depth = 0;
    while (!this.atEnd()) {
      const t = this.peek();
      if (depth === 0 && (t.kind === 'newline' || t.text === '=')) break;
      if (t.text in OPEN) depth++;
      if ([')', ']', '}'].includes(t.text)) depth--;
      if (t.kind !== 'newline') parts.push(t.text);
      this.next();
    }
    return parts.join(' ');
  }
}

export function parseBicep(text: string, path = '<memory>'): BicepFile {
  const p = new Parser(tokenize(text));
  const file: BicepFile = {
    path,
    params: new Map(),
    vars: new Map(),
    resources: [],
    modules: [],
    outputs: [],
    types: [],
    using: undefined,
    assignments: new Map(),
  };
  let decorators: string[] = [];
  for (;;) {
    p.skipNewlines();
    if (p.atEnd()) break;
    const t = p.peek();
    if (t.text === '@') {
      decorators.push(p.decorator().name);
      continue;
    }
    if (t.kind !== 'ident') throw new BicepSyntaxError(`unexpected "${t.text}" at the start of a declaration`, t.line);
    p.next();
    switch (t.text) {
      case 'targetScope':
      case 'metadata': {
        if (t.text === 'metadata') p.expectKind('ident', 'a metadata name');
        p.expect('=');
        p.value();
        break;
      }
      case 'using': {
        const target = p.expectKind('string', 'the template path');
        file.using = target.value;
        break;
      }
      case 'import': {
        // `import {...} from '...'` / `import * as x from '...'`: kept out of the model
        while (!p.atEnd() && p.peek().kind !== 'newline') p.next();
        break;
      }
      case 'param': {
        const name = p.expectKind('ident', 'a parameter name');
        if (p.peek().text === '=') {
          // .bicepparam assignment
          p.next();
          if (file.assignments.has(name.text)) throw new BicepSyntaxError(`parameter "${name.text}" assigned twice`, name.line);
          file.assignments.set(name.text, { value: p.value(), line: name.line });
          break;
        }
        const type = p.typeExpr();
        let defaultValue: Node | undefined;
        if (p.peek().text === '=') {
          p.next();
          defaultValue = p.value();
        }
        if (file.params.has(name.text)) throw new BicepSyntaxError(`parameter "${name.text}" declared twice`, name.line);
        file.params.set(name.text, {
          name: name.text,
          type,
          hasDefault: defaultValue !== undefined,
          nullable: type.trim().endsWith('?'),
          secure: decorators.includes('secure'),
          defaultValue,
          line: name.line,
        });
        break;
      }
      case 'var': {
        const name = p.expectKind('ident', 'a variable name');
        p.expect('=');
        if (file.vars.has(name.text)) throw new BicepSyntaxError(`variable "${name.text}" declared twice`, name.line);
        file.vars.set(name.text, p.value());
        break;
      }
      case 'type': {
        const name = p.expectKind('ident', 'a type name');
        p.expect('=');
        p.value();
        file.types.push(name.text);
        break;
      }
      case 'func': {
        p.expectKind('ident', 'a function name');
        p.balanced();
        p.typeExpr();
        p.expect('=>');
        p.value();
        break;
      }
      case 'resource': {
        const symbol = p.expectKind('ident', 'a resource symbol');
        const typeTok = p.expectKind('string', 'a resource type');
        const m = /^([A-Za-z0-9.]+\/[A-Za-z0-9./]+)@([0-9]{4}-[0-9]{2}-[0-9]{2}(?:-preview)?)$/.exec(typeTok.value ?? '');
        if (!m) throw new BicepSyntaxError(`resource type "${typeTok.text}" is not Type@apiVersion`, typeTok.line);
        let existing = false;
        if (p.peek().text === 'existing') {
          p.next();
          existing = true;
        }
        p.expect('=');
        file.resources.push({ symbol: symbol.text, type: m[1]!, apiVersion: m[2]!, existing, body: p.value(), line: symbol.line });
        break;
      }
      case 'module': {
        const symbol = p.expectKind('ident', 'a module symbol');
        const pathTok = p.expectKind('string', 'a module path');
        p.expect('=');
        file.modules.push({ symbol: symbol.text, path: pathTok.value ?? pathTok.text, body: p.value(), line: symbol.line });
        break;
      }
      case 'output': {
        const name = p.expectKind('ident', 'an output name');
        p.typeExpr();
        p.expect('=');
        p.value();
        file.outputs.push(name.text);
        break;
      }
      default:
        throw new BicepSyntaxError(`unknown declaration "${t.text}"`, t.line);
    }
    decorators = [];
    const end = p.peek();
    if (!p.atEnd() && end.kind !== 'newline') throw new BicepSyntaxError(`unexpected "${end.text}" after a declaration`, end.line);
  }
  return file;
}

/** An object's property by key, or undefined. */
export function prop(node: Node | undefined, key: string): Node | undefined {
  if (node?.kind === 'if' || node?.kind === 'for') return prop(node.body, key);
  if (node?.kind !== 'object') return undefined;
  return node.entries.find((e) => e.key === key)?.value;
}

/** A value that stands for something only known at deploy time. */
export class Deferred {
  constructor(readonly raw: string) {}
  toString(): string {
    return `<${this.raw}>`;
  }
}

export type Literal = string | number | boolean | null | Deferred | Literal[] | { [key: string]: Literal };

/**
 * The literal value of a node (parameter files are mostly literals). readEnvironmentVariable(...)
 * and anything computed become a Deferred holding the source text.
 */
export function toLiteral(node: Node): Literal {
  switch (node.kind) {
    case 'object':
      return Object.fromEntries(node.entries.map((e) => [e.key, toLiteral(e.value)]));
    case 'array':
      return node.items.map(toLiteral);
    case 'string':
      return node.value ?? new Deferred(node.raw);
    case 'expr': {
      const raw = node.raw.trim();
      if (raw === 'true' || raw === 'false') return raw === 'true';
      if (raw === 'null') return null;
      if (/^-?\s*[0-9]+$/.test(raw)) return Number(raw.replace(/\s/g, ''));
      return new Deferred(raw);
    }
    default:
      return new Deferred(node.kind);
  }
}
