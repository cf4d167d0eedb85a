// `yaml.dump(data, allow_unicode=True)` in the way that matters for diffing and round trips:
// block style, keys sorted by code point at every level (PyYAML's default sort_keys=True),
// sequences not indented under their key, single-quoted strings where quoting is needed, no line
// folding. Written in YAML 1.1 so that strings like `yes` or `0.6` stay quoted for PyYAML.
// Whitespace and quoting details are not byte-identical to PyYAML; the simulator only promises
// that its own export → import → export is byte-stable.
//
// The yaml package (2.9) mis-escapes a line holding only spaces inside a folded double-quoted
// string (`\\ ` instead of `\ `), which changes the string on the way back. Multi-line strings
// that would not survive are written as one-line JSON string literals instead, which are valid
// YAML double-quoted scalars.

import { randomBytes } from 'node:crypto';
import { parse, stringify, type ToStringOptions } from 'yaml';
import { compareCodePoints } from './python-json.js';

const OPTIONS: ToStringOptions & { version: '1.1'; sortMapEntries: (a: { key: unknown }, b: { key: unknown }) => number } = {
  version: '1.1',
  sortMapEntries: (a, b) => compareCodePoints(String(a.key), String(b.key)),
  indentSeq: false,
  singleQuote: true,
  lineWidth: 0,
  minContentWidth: 0,
};

export function pyyamlDump(value: unknown): string {
  const nonce = randomBytes(6).toString('hex');
  const literals: string[] = [];
  const prepared = replaceFragileStrings(value, (text) => {
    literals.push(text);
    return `SIMYAMLLITERAL${nonce}N${literals.length - 1}`;
  });
  const out = stringify(prepared, { ...OPTIONS, aliasDuplicateObjects: false });
  if (literals.length === 0) return out;
  return out.replace(new RegExp(`SIMYAMLLITERAL${nonce}N(\\d+)`, 'g'), (_m, index: string) => JSON.stringify(literals[Number(index)]));
}

function survivesRoundTrip(text: string): boolean {
  const out = stringify({ t: text }, OPTIONS);
  return (parse(out, { version: '1.1' }) as { t: unknown }).t === text;
}

function replaceFragileStrings(value: unknown, replace: (text: string) => string): unknown {
  if (typeof value === 'string') return value.includes('\n') && !survivesRoundTrip(value) ? replace(value) : value;
  if (Array.isArray(value)) return value.map((v) => replaceFragileStrings(v, replace));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = replaceFragileStrings(v, replace);
    return out;
  }
  return value;
}
