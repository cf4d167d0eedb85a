// Evaluates parsed Jinja2 expressions against a scope, with the filters, tests and string/dict
// methods that Dify templates commonly use. Unknown filters or methods raise a JinjaError.

import type { Expr } from './expr.js';
import { JinjaError, UNDEFINED, pyStr, toJsonFilter, truthy } from './python.js';

export type Scope = Map<string, unknown>;

export function evaluate(expr: Expr, scope: Scope): unknown {
  switch (expr.k) {
    case 'lit':
      return expr.value;
    case 'name':
      return scope.has(expr.name) ? scope.get(expr.name) : UNDEFINED;
    case 'list':
      return expr.items.map((e) => evaluate(e, scope));
    case 'dict':
      return Object.fromEntries(expr.entries.map(([k, v]) => [pyStr(evaluate(k, scope)), evaluate(v, scope)]));
    case 'attr':
      return member(evaluate(expr.target, scope), expr.name);
    case 'index':
      return member(evaluate(expr.target, scope), evaluate(expr.index, scope));
    case 'call':
      return call(expr, scope);
    case 'filter':
      return applyFilter(expr.name, evaluate(expr.target, scope), expr.args.map((a) => evaluate(a, scope)));
    case 'test':
      return applyTest(expr.name, evaluate(expr.target, scope)) !== expr.negate;
    case 'unary':
      return expr.op === 'not' ? !truthy(evaluate(expr.operand, scope)) : -toNumber(evaluate(expr.operand, scope));
    case 'cond':
      return truthy(evaluate(expr.test, scope)) ? evaluate(expr.then, scope) : evaluate(expr.otherwise, scope);
    case 'binary':
      return binary(expr.op, expr.left, expr.right, scope);
  }
}

function member(target: unknown, key: unknown): unknown {
  if (Array.isArray(target) && typeof key === 'number') {
    const i = key < 0 ? target.length + key : key;
    return i >= 0 && i < target.length ? target[i] : UNDEFINED;
  }
  if (typeof target === 'object' && target !== null && typeof key === 'string' && Object.hasOwn(target, key)) {
    return (target as Record<string, unknown>)[key];
  }
  return UNDEFINED;
}

function binary(op: string, leftExpr: Expr, rightExpr: Expr, scope: Scope): unknown {
  const left = evaluate(leftExpr, scope);
  if (op === 'and') return truthy(left) ? evaluate(rightExpr, scope) : left;
  if (op === 'or') return truthy(left) ? left : evaluate(rightExpr, scope);
  const right = evaluate(rightExpr, scope);
  switch (op) {
    case '==': return equal(left, right);
    case '!=': return !equal(left, right);
    case '<': return compareValues(left, right) < 0;
    case '>': return compareValues(left, right) > 0;
    case '<=': return compareValues(left, right) <= 0;
    case '>=': return compareValues(left, right) >= 0;
    case 'in': return contains(right, left);
    case 'not in': return !contains(right, left);
    case '~': return pyStr(left) + pyStr(right);
    case '+':
      if (typeof left === 'string' && typeof right === 'string') return left + right;
      if (Array.isArray(left) && Array.isArray(right)) return [...(left as unknown[]), ...(right as unknown[])];
      return toNumber(left) + toNumber(right);
    case '-': return toNumber(left) - toNumber(right);
    case '*': return toNumber(left) * toNumber(right);
    case '/': return toNumber(left) / toNumber(right);
    case '//': return Math.floor(toNumber(left) / toNumber(right));
    case '%': return toNumber(left) % toNumber(right);
  }
  throw new JinjaError(`unsupported operator '${op}'`);
}

function equal(a: unknown, b: unknown): boolean {
  return JSON.stringify(a === UNDEFINED ? null : a) === JSON.stringify(b === UNDEFINED ? null : b);
}

function compareValues(a: unknown, b: unknown): number {
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return toNumber(a) - toNumber(b);
}

function contains(container: unknown, item: unknown): boolean {
  if (typeof container === 'string') return container.includes(pyStr(item));
  if (Array.isArray(container)) return container.some((c) => equal(c, item));
  if (typeof container === 'object' && container !== null) return Object.hasOwn(container, pyStr(item));
  return false;
}

function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  throw new JinjaError(`cannot use ${v === UNDEFINED ? 'an undefined value' : JSON.stringify(v)} as a number`);
}

function call(expr: Extract<Expr, { k: 'call' }>, scope: Scope): unknown {
  if (expr.target.k !== 'attr') throw new JinjaError('only method calls such as x.items() are supported');
  const self = evaluate(expr.target.target, scope);
  const args = expr.args.map((a) => evaluate(a, scope));
  const method = expr.target.name;
  if (typeof self === 'string') {
    const s = self;
    const a0 = typeof args[0] === 'string' ? args[0] : undefined;
    switch (method) {
      case 'upper': return s.toUpperCase();
      case 'lower': return s.toLowerCase();
      case 'strip': return s.trim();
      case 'startswith': return s.startsWith(pyStr(args[0]));
      case 'endswith': return s.endsWith(pyStr(args[0]));
      case 'split': return a0 === undefined ? s.split(/\s+/).filter(Boolean) : s.split(a0);
      case 'replace': return s.split(pyStr(args[0])).join(pyStr(args[1]));
    }
  }
  if (typeof self === 'object' && self !== null && !Array.isArray(self)) {
    const record = self as Record<string, unknown>;
    switch (method) {
      case 'items': return Object.entries(record);
      case 'keys': return Object.keys(record);
      case 'values': return Object.values(record);
      case 'get': return Object.hasOwn(record, pyStr(args[0])) ? record[pyStr(args[0])] : (args[1] ?? null);
    }
  }
  throw new JinjaError(`unsupported method '${method}'`);
}

function applyTest(name: string, v: unknown): boolean {
  switch (name) {
    case 'defined': return v !== UNDEFINED;
    case 'undefined': return v === UNDEFINED;
    case 'none': return v === null;
    case 'string': return typeof v === 'string';
    case 'number': return typeof v === 'number';
    case 'mapping': return typeof v === 'object' && v !== null && !Array.isArray(v);
    case 'iterable': return Array.isArray(v) || typeof v === 'string';
    case 'true': return v === true;
    case 'false': return v === false;
  }
  throw new JinjaError(`unsupported test '${name}'`);
}

function applyFilter(name: string, v: unknown, args: unknown[]): unknown {
  const list = (): unknown[] => (Array.isArray(v) ? v : typeof v === 'string' ? [...v] : v === UNDEFINED ? [] : Object.keys(v as object));
  switch (name) {
    case 'tojson': return toJsonFilter(v, typeof args[0] === 'number' ? args[0] : undefined);
    case 'length': case 'count': return list().length;
    case 'upper': return pyStr(v).toUpperCase();
    case 'lower': return pyStr(v).toLowerCase();
    case 'trim': return pyStr(v).trim();
    case 'capitalize': { const s = pyStr(v); return s.charAt(0).toUpperCase() + s.slice(1).toLowerCase(); }
    case 'title': return pyStr(v).replace(/\w\S*/g, (w) => w.charAt(0).toUpperCase() + w.slice(1).toLowerCase());
    case 'default': case 'd':
      return v === UNDEFINED || (args[1] === true && !truthy(v)) ? (args[0] ?? '') : v;
    case 'join': return list().map(pyStr).join(args[0] === undefined ? '' : pyStr(args[0]));
    case 'string': return pyStr(v);
    case 'int': { try { return Math.trunc(toNumber(v)); } catch { return 0; } }
    case 'float': { try { return toNumber(v); } catch { return 0; } }
    case 'abs': return Math.abs(toNumber(v));
    case 'round': { const p = typeof args[0] === 'number' ? args[0] : 0; return Math.round(toNumber(v) * 10 ** p) / 10 ** p; }
    case 'first': return list()[0] ?? UNDEFINED;
    case 'last': return list().at(-1) ?? UNDEFINED;
    case 'list': return list();
    case 'reverse': return typeof v === 'string' ? [...v].reverse().join('') : [...list()].reverse();
    case 'sort': return [...list()].sort((a, b) => compareValues(a, b));
    case 'unique': return list().filter((x, i, all) => all.findIndex((y) => equal(x, y)) === i);
    case 'replace': return pyStr(v).split(pyStr(args[0])).join(pyStr(args[1]));
    case 'truncate': { const s = pyStr(v); const n = typeof args[0] === 'number' ? args[0] : 255; return s.length <= n ? s : s.slice(0, n) + '...'; }
    case 'safe': return v;
    case 'e': case 'escape':
      return pyStr(v).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;');
  }
  throw new JinjaError(`unsupported filter '${name}'`);
}
