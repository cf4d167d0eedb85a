// `fmt`: canonical DSL text. Keys sorted at every level (what Dify's export writes: PyYAML
// sort_keys) and dependencies sorted. First choice: sort at the source level (sort-yaml-cst),
// which keeps every scalar, comment and line exactly, so a Dify export is left as it is. If
// that cannot be done safely, the Document is re-serialised (restyle-yaml). Either result is
// used only if it parses to the same data; otherwise the file is reported and left alone.

import type { Diagnostic } from '../diagnostics.js';
import { dependencySortKey } from './keyed-lists.js';
import { compareKeys } from './normalize-graph.js';
import { parseDsl, type ParseDslOptions } from './parse-dsl.js';
import { restyleYaml } from './restyle-yaml.js';
import { sortYamlKeys, type SeqOrder } from './sort-yaml-cst.js';
import { isRecord, type DslDocument } from './types.js';

export type FormatDslResult =
  | { ok: true; text: string; changed: boolean; diagnostics: Diagnostic[] }
  | { ok: false; diagnostics: Diagnostic[] };

export function formatDsl(text: string, file: string, options: ParseDslOptions = {}): FormatDslResult {
  const parsed = parseDsl(text, file, options);
  if (!parsed.ok) return { ok: false, diagnostics: parsed.diagnostics };
  const expected = canonicalJson(parsed.dsl);
  const sameMeaning = (candidate: string | undefined): candidate is string => {
    if (candidate === undefined) return false;
    const again = parseDsl(candidate, file, options);
    return again.ok && canonicalJson(again.dsl) === expected;
  };
  const bySource = sortYamlKeys(parsed.source.text, dependencyOrder(parsed.dsl));
  const out = sameMeaning(bySource) ? bySource : restyleYaml(parsed.source.text, options.limits);
  if (!sameMeaning(out)) {
    return {
      ok: false,
      diagnostics: [
        ...parsed.diagnostics,
        { file, line: 1, col: 1, severity: 'error', code: 'fmt-unsafe', message: 'cannot format this file without changing what it means; it was left as it is' },
      ],
    };
  }
  return { ok: true, text: out, changed: out !== text, diagnostics: parsed.diagnostics };
}

function dependencyOrder(dsl: DslDocument): SeqOrder {
  const deps = dsl.dependencies ?? [];
  const order = deps
    .map((dep, i) => ({ i, key: dependencySortKey(sortedKeys(dep)) }))
    .sort((a, b) => compareKeys(a.key, b.key))
    .map((x) => x.i);
  return (path, length) => (path.length === 1 && path[0] === 'dependencies' && length === deps.length ? order : undefined);
}

/** JSON with sorted keys and sorted dependencies: equal for documents that mean the same. */
function canonicalJson(dsl: DslDocument): string {
  const deps = (dsl.dependencies ?? []).map((d) => JSON.stringify(sortedKeys(d))).sort();
  return JSON.stringify(sortedKeys({ ...dsl, dependencies: deps }));
}

function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value instanceof Date) return value.toISOString();
  if (!isRecord(value)) return value;
  return Object.fromEntries(Object.keys(value).sort(compareKeys).map((k) => [k, sortedKeys(value[k])]));
}
