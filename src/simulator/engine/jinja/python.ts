// How Python's Jinja2 prints values: `str()` of lists and dicts is Python's repr, None is "None",
// booleans are "True"/"False"; `tojson` is json.dumps with sorted keys and HTML-safe escapes.
// Template-transform output must look like Dify's, so the simulator mimics these rules.

export class JinjaError extends Error {
  override name = 'JinjaError';
}

/** Jinja's `Undefined`: prints as '' and is falsy. */
export const UNDEFINED: unique symbol = Symbol('undefined');

export function truthy(value: unknown): boolean {
  if (value === UNDEFINED || value === null || value === undefined || value === false) return false;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'string') return value.length > 0;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

export function pyStr(value: unknown): string {
  if (value === UNDEFINED) return '';
  if (typeof value === 'string') return value;
  return pyRepr(value);
}

export function pyRepr(value: unknown): string {
  if (value === UNDEFINED) return '';
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return pyNumber(value);
  if (typeof value === 'string') return quoteRepr(value);
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    return `{${entries.map(([k, v]) => `${quoteRepr(k)}: ${pyRepr(v)}`).join(', ')}}`;
  }
  return typeof value === 'bigint' ? value.toString() : '';
}

function pyNumber(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  return String(n);
}

function quoteRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  const body = s
    .replace(/\\/g, '\\\\')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t');
  return quote + (quote === "'" ? body.replace(/'/g, "\\'") : body) + quote;
}

/** Jinja2's `tojson` filter: json.dumps(sort_keys=True) then escapes <, >, & and '. */
export function toJsonFilter(value: unknown, indent?: number): string {
  return pyJsonDumps(value, true, indent)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/'/g, '\\u0027');
}

/** Python json.dumps layout (", " and ": " separators, ASCII escapes). */
export function pyJsonDumps(value: unknown, sortKeys: boolean, indent?: number, depth = 0): string {
  if (value === UNDEFINED || value === undefined || value === null) return 'null';
  if (typeof value === 'string') return asciiJson(value);
  if (typeof value === 'number' || typeof value === 'boolean') return JSON.stringify(value);
  const pad = indent === undefined ? '' : '\n' + ' '.repeat(indent * (depth + 1));
  const end = indent === undefined ? '' : '\n' + ' '.repeat(indent * depth);
  const sep = indent === undefined ? ', ' : ',';
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[${pad}${value.map((v) => pyJsonDumps(v, sortKeys, indent, depth + 1)).join(sep + pad)}${end}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return '{}';
  if (sortKeys) entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const body = entries.map(([k, v]) => `${asciiJson(k)}: ${pyJsonDumps(v, sortKeys, indent, depth + 1)}`);
  return `{${pad}${body.join(sep + pad)}${end}}`;
}

function asciiJson(s: string): string {
  return JSON.stringify(s).replace(/[\u007f-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}
