// `fmt`: canonical DSL text. Keys sorted at every level (what Dify's export writes: PyYAML
// sort_keys), dependencies sorted, block style, two-space indent, lists not indented under their
// key (PyYAML's style). The YAML Document is edited in place, so comments and scalar styles
// (block literals for prompts, quotes) are kept. Formatting twice gives the same text.

import { isMap, isPair, isScalar, isSeq, visit, type Document, type Node } from 'yaml';
import type { Diagnostic } from '../diagnostics.js';
import { parseYaml } from '../yaml/parse-yaml.js';
import { dependencySortKey } from './keyed-lists.js';
import { compareKeys } from './normalize-graph.js';
import { parseDsl, type ParseDslOptions } from './parse-dsl.js';
import { alignScalarsWithPyYaml } from './pyyaml-compat.js';

export type FormatDslResult =
  | { ok: true; text: string; changed: boolean; diagnostics: Diagnostic[] }
  | { ok: false; diagnostics: Diagnostic[] };

export function formatDsl(text: string, file: string, options: ParseDslOptions = {}): FormatDslResult {
  const parsed = parseDsl(text, file, options);
  if (!parsed.ok) return { ok: false, diagnostics: parsed.diagnostics };
  // A fresh parse without PyYAML value fixes: booleans like `y` keep their source text on output.
  const pristine = parseYaml(parsed.source.text, { version: '1.1', ...(options.limits ? { limits: options.limits } : {}) });
  if (!pristine.ok) return { ok: false, diagnostics: parsed.diagnostics };
  const doc = pristine.doc;
  alignScalarsWithPyYaml(doc, { forOutput: true });
  canonicalize(doc);
  // No re-folding, and double-quoted strings on one line with JSON escapes: the yaml package's
  // folding of double-quoted strings can turn a line holding one space into a backslash.
  const out = doc.toString({ indent: 2, indentSeq: false, singleQuote: true, lineWidth: 0, doubleQuotedAsJSON: true });
  return { ok: true, text: out, changed: out !== text, diagnostics: parsed.diagnostics };
}

function canonicalize(doc: Document): void {
  expandAliases(doc);
  // A comment at the very top belongs to the file, not to whichever key happens to come first.
  const first = isMap(doc.contents) ? doc.contents.items[0] : undefined;
  if (first && isScalar(first.key) && first.key.commentBefore && !doc.commentBefore) {
    doc.commentBefore = first.key.commentBefore;
    first.key.commentBefore = null;
  }
  visit(doc, {
    // Blank lines between entries are dropped: after sorting they would land in odd places.
    Node(_key, node) {
      node.spaceBefore = false;
    },
    Map(_key, map) {
      map.flow = false;
      map.items.sort((a, b) => compareKeys(keyText(a.key), keyText(b.key)));
    },
    Seq(_key, seq) {
      if (seq.items.length > 0) seq.flow = false;
    },
  });
  if (isMap(doc.contents)) {
    const deps = doc.contents.items.find((p) => isPair(p) && keyText(p.key) === 'dependencies');
    if (deps && isSeq(deps.value)) {
      deps.value.items.sort((a, b) => compareKeys(dependencySortKey(toJson(a)), dependencySortKey(toJson(b))));
    }
  }
}

/**
 * Replaces every alias with a copy of its anchored node: sorting keys could otherwise move an
 * alias before its anchor. A Dify export has none (the graph round-trips through JSON), and the
 * expansion is bounded: parseDsl has already refused documents whose aliases expand too much.
 */
function expandAliases(doc: Document): void {
  visit(doc, {
    Alias(_key, alias) {
      const target = alias.resolve(doc);
      return target ? (target.clone() as Node) : undefined;
    },
  });
  visit(doc, {
    Node(_key, node) {
      if ('anchor' in node) delete node.anchor;
    },
  });
}

/** The key as PyYAML sorts it: its source text for plain scalars (`y` is a string there). */
function keyText(key: unknown): string {
  if (isScalar(key)) return typeof key.source === 'string' && key.type === 'PLAIN' ? key.source : String(key.value);
  return String(key);
}

function toJson(node: unknown): unknown {
  return node && typeof (node as Node).toJSON === 'function' ? (node as Node).toJSON() : node;
}
