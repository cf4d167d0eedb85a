// Finds the variable references inside a node's data: `{{#node.var#}}` templates in strings and
// value selectors (['node', 'var', ...]) in the fields Dify reads as selectors (contract §5.5).

import { isRecord, type DslNode, type JsonPath } from './types.js';

export interface Reference {
  kind: 'template' | 'selector';
  /** First segment: a node id, or `sys`, `env`, `conversation`. */
  head: string;
  /** Second segment: the variable. */
  variable: string;
  /** Every segment after the head (the variable, then sub-keys). */
  segments: string[];
  path: JsonPath;
  /** The text as written, for messages: `{{#a.b#}}` or `a.b`. */
  raw: string;
  /** Templates only: Dify's template regex accepts it (node id `[a-zA-Z0-9_]{1,50}`, ASCII variable names). */
  expandable: boolean;
}

/** Dify's template syntax (graphon variable_template_parser): what actually gets expanded. */
const DIFY_TEMPLATE = /^[a-zA-Z0-9_]{1,50}(?:\.[a-zA-Z_][a-zA-Z0-9_]{0,29}){1,10}$/;
/** Anything written like a template, so that near-misses (e.g. `{{#My Node.text#}}`) are found too. */
const TEMPLATE_LIKE = /\{\{#([^#{}\r\n]{1,200}?)#\}\}/g;

/** Fields whose text Dify never expands templates in (code, Jinja2, editor labels). */
const NOT_TEMPLATED = new Set(['code', 'title', 'desc', 'jinja2_text']);

export function collectReferences(node: DslNode, nodePath: JsonPath): Reference[] {
  const out: Reference[] = [];
  const type = node.data.type;
  const skipTemplates = new Set(NOT_TEMPLATED);
  if (type === 'template-transform') skipTemplates.add('template');
  walk(node.data, [...nodePath, 'data'], undefined, (value, path, key) => {
    if (typeof value === 'string') {
      if (key !== undefined && skipTemplates.has(key)) return;
      for (const m of value.matchAll(TEMPLATE_LIKE)) {
        const inner = m[1] ?? '';
        const dot = inner.indexOf('.');
        if (dot <= 0 || inner.startsWith('$')) continue; // {{#context#}}, {{#$output.x#}}
        const [head = '', ...segments] = inner.split('.');
        const variable = segments[0] ?? '';
        out.push({ kind: 'template', head, variable, segments, path, raw: m[0], expandable: DIFY_TEMPLATE.test(inner) });
      }
      return;
    }
    const selector = selectorAt(value, key, type);
    if (selector) {
      out.push({
        kind: 'selector',
        head: selector[0] ?? '',
        variable: selector[1] ?? '',
        segments: selector.slice(1),
        path,
        raw: selector.join('.'),
        expandable: true,
      });
    }
  });
  return out;
}

type Visitor = (value: unknown, path: JsonPath, key: string | undefined) => void;

function walk(value: unknown, path: JsonPath, key: string | undefined, visit: Visitor): void {
  visit(value, path, key);
  if (Array.isArray(value)) {
    if (isSelector(value)) return;
    value.forEach((item, i) => walk(item, [...path, i], key, visit));
  } else if (isRecord(value)) {
    // A switched-off block (vision, context, memory: `enabled: false`) is not read by Dify.
    if (value.enabled === false) return;
    if (value.type === 'variable' && isSelector(value.value)) {
      // tool/agent parameters, assigner items: {type: variable, value: [node, var]}
      visit(value.value, [...path, 'value'], 'value_selector');
      for (const [k, v] of Object.entries(value)) if (k !== 'value') walk(v, [...path, k], k, visit);
      return;
    }
    for (const [k, v] of Object.entries(value)) walk(v, [...path, k], k, visit);
  }
}

/**
 * The selector a field holds, judged by its key: any `*_selector`; and, only in the node types
 * that use them so, `variables` (aggregator lists), `variable` (list operator), `file` (HTTP body).
 */
function selectorAt(value: unknown, key: string | undefined, nodeType: string | undefined): string[] | undefined {
  if (key === undefined || !isSelector(value)) return undefined;
  if (key.endsWith('_selector')) return value;
  if (key === 'variables' && (nodeType === 'variable-aggregator' || nodeType === 'variable-assigner')) return value;
  if (key === 'variable' && nodeType === 'list-operator') return value;
  if (key === 'file' && nodeType === 'http-request') return value;
  return undefined;
}

function isSelector(value: unknown): value is string[] {
  return Array.isArray(value) && value.length >= 2 && value.length <= 12 && value.every((s) => typeof s === 'string') && value[0] !== '';
}
