// The Jinja2 template subset the simulator renders for template-transform nodes and jinja2 LLM
// prompts: `{{ expr }}`, `{% if/elif/else/endif %}`, `{% for x in xs %}…{% else %}…{% endfor %}`
// (with loop.index/index0/first/last/length), `{% set x = expr %}`, `{# comments #}` and the
// `-` whitespace-control markers. Python Jinja2 defaults apply (no trim_blocks, no autoescape).

import { evaluate, type Scope } from './evaluate.js';
import { ExprParser, type Expr } from './expr.js';
import { JinjaError, pyStr, truthy, UNDEFINED } from './python.js';

type Node =
  | { k: 'text'; text: string }
  | { k: 'out'; expr: Expr }
  | { k: 'if'; branches: { test: Expr; body: Node[] }[]; otherwise: Node[] }
  | { k: 'for'; targets: string[]; iterable: Expr; body: Node[]; otherwise: Node[] }
  | { k: 'set'; name: string; expr: Expr };

type Chunk = { kind: 'text'; text: string } | { kind: 'out' | 'stmt'; text: string };

const TAG = /\{\{(-?)([\s\S]*?)(-?)\}\}|\{%(-?)([\s\S]*?)(-?)%\}|\{#(-?)[\s\S]*?(-?)#\}/g;

function lex(source: string): Chunk[] {
  const chunks: Chunk[] = [];
  let last = 0;
  let stripNext = false;
  for (const m of source.matchAll(TAG)) {
    let text = source.slice(last, m.index);
    if (stripNext) text = text.replace(/^\s+/, '');
    const stripBefore = (m[1] ?? m[4] ?? m[7]) === '-';
    if (stripBefore) text = text.replace(/\s+$/, '');
    if (text) chunks.push({ kind: 'text', text });
    if (m[2] !== undefined) chunks.push({ kind: 'out', text: m[2] });
    else if (m[5] !== undefined) chunks.push({ kind: 'stmt', text: m[5].trim() });
    stripNext = (m[3] ?? m[6] ?? m[8]) === '-';
    last = m.index + m[0].length;
  }
  let tail = source.slice(last);
  if (stripNext) tail = tail.replace(/^\s+/, '');
  if (tail.includes('{{') || tail.includes('{%')) throw new JinjaError('unclosed tag');
  if (tail) chunks.push({ kind: 'text', text: tail });
  return chunks;
}

class TemplateParser {
  private pos = 0;
  constructor(private readonly chunks: Chunk[]) {}

  parse(): Node[] {
    const { nodes, end } = this.block([]);
    if (end !== null) throw new JinjaError(`unexpected '{% ${end} %}'`);
    return nodes;
  }

  /** Parses until one of `stops` (keyword of a statement) and returns the statement text that stopped it. */
  private block(stops: string[]): { nodes: Node[]; end: string | null } {
    const nodes: Node[] = [];
    while (this.pos < this.chunks.length) {
      const chunk = this.chunks[this.pos++];
      if (!chunk) break;
      if (chunk.kind === 'text') nodes.push({ k: 'text', text: chunk.text });
      else if (chunk.kind === 'out') nodes.push({ k: 'out', expr: ExprParser.parse(chunk.text) });
      else {
        const keyword = chunk.text.split(/\s+/)[0] ?? '';
        if (stops.includes(keyword)) return { nodes, end: chunk.text };
        nodes.push(this.statement(keyword, chunk.text.slice(keyword.length).trim()));
      }
    }
    if (stops.length > 0) throw new JinjaError(`missing '{% ${stops[stops.length - 1]} %}'`);
    return { nodes, end: null };
  }

  private statement(keyword: string, rest: string): Node {
    if (keyword === 'if') {
      const branches: { test: Expr; body: Node[] }[] = [];
      let test = ExprParser.parse(rest);
      for (;;) {
        const { nodes, end } = this.block(['elif', 'else', 'endif']);
        branches.push({ test, body: nodes });
        const word = (end ?? '').split(/\s+/)[0];
        if (word === 'elif') { test = ExprParser.parse((end ?? '').slice(4).trim()); continue; }
        if (word === 'else') return { k: 'if', branches, otherwise: this.block(['endif']).nodes };
        return { k: 'if', branches, otherwise: [] };
      }
    }
    if (keyword === 'for') {
      const m = /^([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)\s+in\s+([\s\S]+)$/.exec(rest);
      if (!m) throw new JinjaError(`invalid for loop '${rest}'`);
      const targets = (m[1] ?? '').split(',').map((s) => s.trim());
      const iterable = ExprParser.parse(m[2] ?? '');
      const { nodes, end } = this.block(['else', 'endfor']);
      const otherwise = end === 'else' ? this.block(['endfor']).nodes : [];
      return { k: 'for', targets, iterable, body: nodes, otherwise };
    }
    if (keyword === 'set') {
      const m = /^([A-Za-z_]\w*)\s*=\s*([\s\S]+)$/.exec(rest);
      if (!m) throw new JinjaError(`invalid set statement '${rest}'`);
      return { k: 'set', name: m[1] ?? '', expr: ExprParser.parse(m[2] ?? '') };
    }
    throw new JinjaError(`unsupported tag '{% ${keyword} %}'`);
  }
}

function renderNodes(nodes: Node[], scope: Scope, out: string[]): void {
  for (const node of nodes) {
    if (node.k === 'text') out.push(node.text);
    else if (node.k === 'out') out.push(pyStr(evaluate(node.expr, scope)));
    else if (node.k === 'set') scope.set(node.name, evaluate(node.expr, scope));
    else if (node.k === 'if') {
      const branch = node.branches.find((b) => truthy(evaluate(b.test, scope)));
      renderNodes(branch ? branch.body : node.otherwise, scope, out);
    } else renderFor(node, scope, out);
  }
}

function renderFor(node: Extract<Node, { k: 'for' }>, scope: Scope, out: string[]): void {
  const value = evaluate(node.iterable, scope);
  const items: unknown[] = Array.isArray(value)
    ? value
    : typeof value === 'string'
      ? [...value]
      : value === UNDEFINED || value === null
        ? []
        : typeof value === 'object'
          ? Object.keys(value)
          : [];
  if (items.length === 0) { renderNodes(node.otherwise, scope, out); return; }
  items.forEach((item, i) => {
    const inner: Scope = new Map(scope);
    if (node.targets.length === 1) inner.set(node.targets[0] ?? '', item);
    else node.targets.forEach((t, j) => inner.set(t, Array.isArray(item) ? item[j] : UNDEFINED));
    inner.set('loop', { index: i + 1, index0: i, first: i === 0, last: i === items.length - 1, length: items.length, revindex: items.length - i });
    renderNodes(node.body, inner, out);
  });
}

/** Renders `source` with `variables`; throws JinjaError with a short reason on unsupported syntax. */
export function renderJinja(source: string, variables: Record<string, unknown>): string {
  const nodes = new TemplateParser(lex(source)).parse();
  const out: string[] = [];
  renderNodes(nodes, new Map(Object.entries(variables)), out);
  return out.join('');
}

export { JinjaError };
