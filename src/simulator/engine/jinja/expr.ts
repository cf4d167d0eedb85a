// Parser for the Jinja2 expression subset: literals, names, attribute/index access, method calls,
// filters with arguments, arithmetic, `~`, comparisons, `in`, `is [not] <test>`, and/or/not, and
// the inline `a if cond else b`. Anything else is a JinjaError naming the offending token.

import { JinjaError } from './python.js';

export type Expr =
  | { k: 'lit'; value: unknown }
  | { k: 'name'; name: string }
  | { k: 'list'; items: Expr[] }
  | { k: 'dict'; entries: [Expr, Expr][] }
  | { k: 'attr'; target: Expr; name: string }
  | { k: 'index'; target: Expr; index: Expr }
  | { k: 'call'; target: Expr; args: Expr[] }
  | { k: 'filter'; target: Expr; name: string; args: Expr[] }
  | { k: 'test'; target: Expr; name: string; negate: boolean }
  | { k: 'unary'; op: 'not' | '-'; operand: Expr }
  | { k: 'binary'; op: string; left: Expr; right: Expr }
  | { k: 'cond'; test: Expr; then: Expr; otherwise: Expr };

type Token = { t: 'num' | 'str' | 'name' | 'op'; v: string };

const OPS = ['==', '!=', '<=', '>=', '//', '**', '<', '>', '+', '-', '*', '/', '%', '~', '(', ')', '[', ']', '{', '}', '.', ',', ':', '|', '='];

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i] ?? '';
    if (/\s/.test(c)) { i++; continue; }
    const num = /^\d+(\.\d+)?/.exec(source.slice(i));
    if (num) { tokens.push({ t: 'num', v: num[0] }); i += num[0].length; continue; }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i));
    if (name) { tokens.push({ t: 'name', v: name[0] }); i += name[0].length; continue; }
    if (c === "'" || c === '"') {
      let j = i + 1;
      let text = '';
      while (j < source.length && source[j] !== c) {
        if (source[j] === '\\' && j + 1 < source.length) {
          const n = source[j + 1] ?? '';
          text += n === 'n' ? '\n' : n === 't' ? '\t' : n;
          j += 2;
        } else text += source[j++];
      }
      if (j >= source.length) throw new JinjaError('unterminated string literal');
      tokens.push({ t: 'str', v: text });
      i = j + 1;
      continue;
    }
    const op = OPS.find((o) => source.startsWith(o, i));
    if (!op) throw new JinjaError(`unexpected character '${c}'`);
    tokens.push({ t: 'op', v: op });
    i += op.length;
  }
  return tokens;
}

export class ExprParser {
  private pos = 0;
  constructor(private readonly tokens: Token[]) {}

  static parse(source: string): Expr {
    const parser = new ExprParser(tokenize(source));
    const expr = parser.expression();
    parser.expectEnd();
    return expr;
  }

  peek(): Token | undefined { return this.tokens[this.pos]; }
  atEnd(): boolean { return this.pos >= this.tokens.length; }
  isName(v: string): boolean { const t = this.peek(); return t?.t === 'name' && t.v === v; }
  isOp(v: string): boolean { const t = this.peek(); return t?.t === 'op' && t.v === v; }
  next(): Token {
    const t = this.tokens[this.pos++];
    if (!t) throw new JinjaError('unexpected end of expression');
    return t;
  }
  expectOp(v: string): void {
    const t = this.next();
    if (t.t !== 'op' || t.v !== v) throw new JinjaError(`expected '${v}', got '${t.v}'`);
  }
  expectName(): string {
    const t = this.next();
    if (t.t !== 'name') throw new JinjaError(`expected a name, got '${t.v}'`);
    return t.v;
  }
  expectEnd(): void {
    const t = this.peek();
    if (t) throw new JinjaError(`unexpected '${t.v}'`);
  }

  expression(): Expr {
    const value = this.or();
    if (this.isName('if')) {
      this.next();
      const test = this.or();
      let otherwise: Expr = { k: 'lit', value: '' };
      if (this.isName('else')) { this.next(); otherwise = this.expression(); }
      return { k: 'cond', test, then: value, otherwise };
    }
    return value;
  }

  private or(): Expr {
    let left = this.and();
    while (this.isName('or')) { this.next(); left = { k: 'binary', op: 'or', left, right: this.and() }; }
    return left;
  }
  private and(): Expr {
    let left = this.not();
    while (this.isName('and')) { this.next(); left = { k: 'binary', op: 'and', left, right: this.not() }; }
    return left;
  }
  private not(): Expr {
    if (this.isName('not')) { this.next(); return { k: 'unary', op: 'not', operand: this.not() }; }
    return this.compare();
  }
  private compare(): Expr {
    let left = this.concat();
    for (;;) {
      const t = this.peek();
      if (t?.t === 'op' && ['==', '!=', '<', '>', '<=', '>='].includes(t.v)) {
        this.next();
        left = { k: 'binary', op: t.v, left, right: this.concat() };
      } else if (this.isName('in')) {
        this.next();
        left = { k: 'binary', op: 'in', left, right: this.concat() };
      } else if (this.isName('not') && this.tokens[this.pos + 1]?.v === 'in') {
        this.pos += 2;
        left = { k: 'binary', op: 'not in', left, right: this.concat() };
      } else if (this.isName('is')) {
        this.next();
        const negate = this.isName('not');
        if (negate) this.next();
        left = { k: 'test', target: left, name: this.expectName(), negate };
      } else return left;
    }
  }
  private concat(): Expr {
    let left = this.additive();
    while (this.isOp('~')) { this.next(); left = { k: 'binary', op: '~', left, right: this.additive() }; }
    return left;
  }
  private additive(): Expr {
    let left = this.multiplicative();
    while (this.isOp('+') || this.isOp('-')) {
      const op = this.next().v;
      left = { k: 'binary', op, left, right: this.multiplicative() };
    }
    return left;
  }
  private multiplicative(): Expr {
    let left = this.unary();
    while (this.isOp('*') || this.isOp('/') || this.isOp('%') || this.isOp('//')) {
      const op = this.next().v;
      left = { k: 'binary', op, left, right: this.unary() };
    }
    return left;
  }
  /** As in Jinja2, filters apply to the negated value: `-4 | abs` is 4. */
  private unary(withFilters = true): Expr {
    let node: Expr = this.isOp('-') ? (this.next(), { k: 'unary', op: '-', operand: this.unary(false) }) : this.postfix();
    while (withFilters && this.isOp('|')) {
      this.next();
      const name = this.expectName();
      const args = this.isOp('(') ? this.args() : [];
      node = { k: 'filter', target: node, name, args };
    }
    return node;
  }
  private postfix(): Expr {
    let target = this.primary();
    for (;;) {
      if (this.isOp('.')) { this.next(); target = { k: 'attr', target, name: this.expectName() }; }
      else if (this.isOp('[')) { this.next(); const index = this.expression(); this.expectOp(']'); target = { k: 'index', target, index }; }
      else if (this.isOp('(')) target = { k: 'call', target, args: this.args() };
      else return target;
    }
  }
  private args(): Expr[] {
    this.expectOp('(');
    const args: Expr[] = [];
    while (!this.isOp(')')) {
      // Keyword arguments (`indent=2`) are accepted and passed positionally.
      if (this.peek()?.t === 'name' && this.tokens[this.pos + 1]?.v === '=') this.pos += 2;
      args.push(this.expression());
      if (!this.isOp(')')) this.expectOp(',');
    }
    this.next();
    return args;
  }
  private primary(): Expr {
    const t = this.next();
    if (t.t === 'num') return { k: 'lit', value: Number(t.v) };
    if (t.t === 'str') return { k: 'lit', value: t.v };
    if (t.t === 'name') {
      if (t.v === 'true' || t.v === 'True') return { k: 'lit', value: true };
      if (t.v === 'false' || t.v === 'False') return { k: 'lit', value: false };
      if (t.v === 'none' || t.v === 'None') return { k: 'lit', value: null };
      return { k: 'name', name: t.v };
    }
    if (t.v === '(') { const e = this.expression(); this.expectOp(')'); return e; }
    if (t.v === '[') {
      const items: Expr[] = [];
      while (!this.isOp(']')) { items.push(this.expression()); if (!this.isOp(']')) this.expectOp(','); }
      this.next();
      return { k: 'list', items };
    }
    if (t.v === '{') {
      const entries: [Expr, Expr][] = [];
      while (!this.isOp('}')) {
        const key = this.expression();
        this.expectOp(':');
        entries.push([key, this.expression()]);
        if (!this.isOp('}')) this.expectOp(',');
      }
      this.next();
      return { k: 'dict', entries };
    }
    throw new JinjaError(`unexpected '${t.v}'`);
  }
}
