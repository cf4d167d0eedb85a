// A byte-exact reimplementation of Python's `json.dumps(obj, sort_keys=…)` with the default
// settings Dify uses for the draft hash and 1.0.x SSE frames: separators ', ' and ': ',
// ensure_ascii (every character outside ' '..'~' escaped as \uXXXX, astral characters as
// surrogate pairs), keys sorted by code point, floats in Python's repr.
//
// Known limitation: JavaScript has one number type, so a value Python holds as the float `1.0`
// arrives here as `1` and is written as an int. Integers beyond 2**53 have already lost
// precision in JSON.parse. Graphs from real editors rarely carry integral floats; where they do,
// the simulator's hash differs from real Dify's (both sides still agree with themselves).

export interface PythonJsonOptions {
  sortKeys?: boolean;
}

export function pythonJsonDumps(value: unknown, options: PythonJsonOptions = {}): string {
  return dump(value, options.sortKeys === true);
}

function dump(value: unknown, sortKeys: boolean): string {
  if (value === null || value === undefined) return 'null';
  if (value === true) return 'true';
  if (value === false) return 'false';
  if (typeof value === 'number') return pythonNumber(value);
  if (typeof value === 'string') return pythonString(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[${value.map((v: unknown) => dump(v, sortKeys)).join(', ')}]`;
  }
  if (typeof value === 'object') {
    let keys = Object.keys(value).filter((k) => (value as Record<string, unknown>)[k] !== undefined);
    if (keys.length === 0) return '{}';
    if (sortKeys) keys = keys.sort(compareCodePoints);
    const record = value as Record<string, unknown>;
    return `{${keys.map((k) => `${pythonString(k)}: ${dump(record[k], sortKeys)}`).join(', ')}}`;
  }
  throw new TypeError(`Object of type ${typeof value} is not JSON serializable`);
}

/** Python compares str by code point; JS's default sort compares UTF-16 code units. */
export function compareCodePoints(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const ca = ia.next();
    const cb = ib.next();
    if (ca.done === true) return cb.done === true ? 0 : -1;
    if (cb.done === true) return 1;
    const diff = ca.value.codePointAt(0)! - cb.value.codePointAt(0)!;
    if (diff !== 0) return diff;
  }
}

const SHORT_ESCAPES: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

export function pythonString(text: string): string {
  let out = '"';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    const code = text.charCodeAt(i);
    const short = SHORT_ESCAPES[ch];
    if (short !== undefined) out += short;
    else if (code >= 0x20 && code <= 0x7e) out += ch;
    // Code units, not code points: astral characters come out as their surrogate pair, as in Python.
    else out += `\\u${code.toString(16).padStart(4, '0')}`;
  }
  return `${out}"`;
}

/** Python's repr for floats ('r' format: shortest round-trip digits; exponent below 1e-4 or from 1e16). */
export function pythonNumber(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (n === Infinity) return 'Infinity';
  if (n === -Infinity) return '-Infinity';
  if (Number.isInteger(n) && Math.abs(n) < 2 ** 53) return Object.is(n, -0) ? '0' : String(n);
  const [mantissa, expText] = n.toExponential().split('e') as [string, string];
  const exp = Number(expText);
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  const sign = negative ? '-' : '';
  if (exp < -4 || exp >= 16) {
    const body = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const expSign = exp < 0 ? '-' : '+';
    return `${sign}${body}e${expSign}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
  const frac = digits.slice(exp + 1);
  return `${sign}${intPart}.${frac === '' ? '0' : frac}`;
}
