// `yaml.safe_load` as Dify calls it: YAML 1.1 (so `version: 0.6` is a float), the hardened
// parseYaml limits, and the lead's PyYAML alignment (quoted-string continuation lines, `y`/`n`,
// `1e3`, dates). PyYAML lets duplicate keys through (last wins), so they are accepted here too.
// Returns Python-ish type names for the values Dify reports as `<class '…'>`.

import { isScalar, parseDocument, type Document } from 'yaml';
import { alignScalarsWithPyYaml, repairQuotedIndentation } from '../../dsl/pyyaml-compat.js';
import { DEFAULT_YAML_LIMITS, parseYaml, type ParsedYaml } from '../../yaml/parse-yaml.js';

export type SafeLoadResult =
  | { ok: true; value: unknown; doc: Document }
  | { ok: false; message: string };

export function safeLoad(text: string): SafeLoadResult {
  let parsed = parseYaml(text, { version: '1.1' });
  if (!parsed.ok && parsed.problems.every((p) => p.code === 'yaml-syntax')) {
    const repaired = repairQuotedIndentation(text);
    const retry: ParsedYaml | undefined = repaired ? parseYaml(repaired.text, { version: '1.1' }) : undefined;
    if (retry?.ok) parsed = retry;
  }
  if (!parsed.ok && parsed.problems.every((p) => p.code === 'yaml-duplicate-key')) {
    const doc = parseDocument(text, { version: '1.1', uniqueKeys: false, strict: false, prettyErrors: false });
    if (doc.errors.length === 0) {
      alignScalarsWithPyYaml(doc);
      return { ok: true, value: doc.toJS({ maxAliasCount: DEFAULT_YAML_LIMITS.maxAliasCount }), doc };
    }
  }
  if (!parsed.ok) {
    const p = parsed.problems[0]!;
    return { ok: false, message: `${p.message} (line ${p.line}, column ${p.col})` };
  }
  let value = parsed.value;
  if (alignScalarsWithPyYaml(parsed.doc)) value = parsed.doc.toJS({ maxAliasCount: DEFAULT_YAML_LIMITS.maxAliasCount });
  return { ok: true, value, doc: parsed.doc };
}

/** Python's `type(x)` name for a loaded value; `float` vs `int` comes from the YAML source text. */
export function pythonTypeName(value: unknown, doc: Document, path: string[]): string {
  if (value === null || value === undefined) return 'NoneType';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') {
    const node = doc.getIn(path, true);
    const source = isScalar(node) && typeof node.source === 'string' ? node.source : String(value);
    return /^[-+]?(0x|0o|0b)?[0-9_]+$/i.test(source.trim()) || /^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+$/.test(source.trim()) ? 'int' : 'float';
  }
  if (typeof value === 'string') return 'str';
  if (Array.isArray(value)) return 'list';
  if (value instanceof Date) return 'datetime.date';
  return 'dict';
}

/** Python truthiness (Dify writes `if not data.get("version")`). */
export function pythonFalsy(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === 0 || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object' && !(value instanceof Date)) return Object.keys(value).length === 0;
  return false;
}
