// Fallback formatter: keys sorted at every level, dependencies sorted, block style, two-space
// indent, lists not indented under their key (PyYAML's style). The YAML Document is edited in
// place, so comments and scalar styles (block literals, quotes) are kept, but scalars are written
// anew by the yaml package; formatDsl checks the result means the same before using it.

import { isMap, isPair, isScalar, isSeq, visit, type Document, type Node } from 'yaml';
import { parseYaml, type YamlLimits } from '../yaml/parse-yaml.js';
import { dependencySortKey } from './keyed-lists.js';
import { compareKeys } from './normalize-graph.js';
import { alignScalarsWithPyYaml } from './pyyaml-compat.js';

/**
 * Re-serialises YAML from its Document, with keys sorted: the fallback of formatDsl for files the
 * source-level sort cannot handle (aliases whose anchors would move after them). Returns undefined
 * when the text does not parse.
 */
export function restyleYaml(text: string, limits: Partial<YamlLimits> | undefined): string | undefined {
  // A fresh parse without PyYAML value fixes: booleans like `y` keep their source text on output.
  const pristine = parseYaml(text, { version: '1.1', ...(limits ? { limits } : {}) });
  if (!pristine.ok) return undefined;
  const doc = pristine.doc;
  alignScalarsWithPyYaml(doc, { forOutput: true });
  canonicalize(doc);
  // No re-folding, and double-quoted strings on one line with JSON escapes: the yaml package's
  // folding of double-quoted strings can turn a line holding one space into a backslash.
  return doc.toString({ indent: 2, indentSeq: false, singleQuote: true, lineWidth: 0, doubleQuotedAsJSON: true });
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
