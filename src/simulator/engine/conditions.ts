// Dify's if-else / loop-break / list-filter comparison operators with graphon's semantics:
// contains, not contains, start with, end with, is, is not, empty, not empty, =, ≠, >, <, ≥, ≤,
// null, not null, in, not in, all of, exists, not exists. Type mismatches raise ConditionError,
// which fails the node, as in Dify.

import { renderTemplate } from './template.js';
import { lookup, str, type VariablePool } from './variable-pool.js';

export class ConditionError extends Error {
  override name = 'ConditionError';
}

export interface Condition {
  variable_selector?: unknown;
  comparison_operator?: unknown;
  value?: unknown;
}

const UNARY = new Set(['empty', 'not empty', 'null', 'not null', 'exists', 'not exists']);

export function processConditions(pool: VariablePool, conditions: readonly Condition[], logical: string): boolean {
  const results: boolean[] = [];
  for (const condition of conditions) {
    const selector = Array.isArray(condition.variable_selector) ? condition.variable_selector : [];
    const op = str(condition.comparison_operator);
    const found = lookup(pool, selector);
    if (!found.found) throw new ConditionError(`Variable ${pyList(selector)} not found`);
    const expected = UNARY.has(op) ? null : prepareExpected(condition.value, found.value, pool);
    const result = compare(op, found.value, expected);
    results.push(result);
    if (logical === 'or' ? result : !result) return result;
  }
  return logical === 'or' ? results.some(Boolean) : results.every(Boolean);
}

function prepareExpected(raw: unknown, actual: unknown, pool: VariablePool): unknown {
  const expected = typeof raw === 'string' ? renderTemplate(raw, pool) : raw;
  if (typeof actual === 'boolean' || (Array.isArray(actual) && actual.every((a) => typeof a === 'boolean') && actual.length > 0)) {
    return Array.isArray(expected) ? expected.map(toBool) : expected === undefined || expected === null ? null : toBool(expected);
  }
  return expected ?? null;
}

function toBool(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'string') {
    try {
      const parsed: unknown = JSON.parse(v);
      if (typeof parsed === 'number' || typeof parsed === 'boolean') return Boolean(parsed);
    } catch {
      // fall through to the error below
    }
  }
  throw new ConditionError(`unexpected value: ${JSON.stringify(v)}`);
}

/** One comparison; `expected` is null for unary operators. */
export function compare(op: string, value: unknown, expected: unknown): boolean {
  switch (op) {
    case 'contains':
      if (!value) return false;
      return containsValue(value, expected);
    case 'not contains':
      if (!value) return true;
      return !containsValue(value, expected);
    case 'start with':
    case 'end with': {
      if (!value) return false;
      if (typeof value !== 'string') throw new ConditionError('Invalid actual value type: string');
      if (typeof expected !== 'string') throw new ConditionError(`Expected value must be a string for ${op === 'start with' ? 'startswith' : 'endswith'}`);
      return op === 'start with' ? value.startsWith(expected) : value.endsWith(expected);
    }
    case 'is':
    case 'is not': {
      if (value === null || value === undefined) return false;
      if (typeof value !== 'string' && typeof value !== 'boolean') throw new ConditionError('Invalid actual value type: string or boolean');
      return op === 'is' ? value === expected : value !== expected;
    }
    case 'empty': return isEmpty(value);
    case 'not empty': return !isEmpty(value);
    case 'null': case 'not exists': return value === null || value === undefined;
    case 'not null': case 'exists': return value !== null && value !== undefined;
    case '=': case '≠': {
      if (value === null || value === undefined) return false;
      const normalized = normalizeEquality(value, expected);
      return op === '=' ? value === normalized : value !== normalized;
    }
    case '>': case '<': case '≥': case '≤': {
      if (value === null || value === undefined) return false;
      if (typeof value !== 'number') throw new ConditionError('Invalid actual value type: number');
      const other = toNumber(expected);
      return op === '>' ? value > other : op === '<' ? value < other : op === '≥' ? value >= other : value <= other;
    }
    case 'in': case 'not in': {
      if (value === null || value === undefined) return false;
      if (!Array.isArray(expected) && typeof expected !== 'string') throw new ConditionError('Invalid expected value type: array or string');
      const inside = Array.isArray(expected) ? expected.includes(value) : typeof value === 'string' && expected.includes(value);
      return op === 'in' ? inside : !inside;
    }
    case 'all of': {
      if (!Array.isArray(expected)) throw new ConditionError('all of operator expects homogeneous list of strings or booleans');
      if (!Array.isArray(value) && typeof value !== 'string') return false;
      return expected.every((e) => (typeof value === 'string' ? typeof e === 'string' && value.includes(e) : value.includes(e)));
    }
  }
  throw new ConditionError(`Unsupported operator: ${op}`);
}

function containsValue(value: unknown, expected: unknown): boolean {
  if (typeof value === 'string') return value.includes(typeof expected === 'string' ? expected : String(expected));
  if (Array.isArray(value)) return value.some((v) => v === expected);
  throw new ConditionError('Invalid actual value type: string or array');
}

function isEmpty(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === 0 || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value).length === 0;
  return false;
}

function normalizeEquality(value: unknown, expected: unknown): unknown {
  if (typeof value === 'boolean') {
    if (typeof expected === 'boolean' || typeof expected === 'number') return Boolean(expected);
    if (typeof expected === 'string') return expected.length > 0;
    throw new ConditionError('Cannot convert expected value to bool');
  }
  if (typeof value === 'number') {
    const n = toNumber(expected);
    return Number.isInteger(value) ? Math.trunc(n) : n;
  }
  throw new ConditionError('Invalid actual value type: number or boolean');
}

function toNumber(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) return Number(v);
  throw new ConditionError(`Cannot convert '${String(v)}' to number`);
}

/** Python list repr of a selector, as in Dify's "Variable ['a', 'b'] not found". */
function pyList(selector: readonly unknown[]): string {
  return `[${selector.map((s) => `'${String(s)}'`).join(', ')}]`;
}
