// Dify's `{{#node.var#}}` variable templates (contract §5.5), as used by answer nodes, LLM prompts,
// if-else expected values and end outputs. A reference that does not resolve renders as its bare
// selector text (`node.var`), which is what Dify's VariablePool.convert_template does.

import { lookup, toText, type VariablePool } from './variable-pool.js';

const REFERENCE = /\{\{#([a-zA-Z0-9_]{1,50}(?:\.[a-zA-Z_][a-zA-Z0-9_]{0,29}){1,10})#\}\}/g;
const CONTEXT = /\{\{#context#\}\}/g;

export type TemplatePart = { kind: 'text'; text: string } | { kind: 'variable'; selector: string[]; text: string };

/** Splits a template into literal text and resolved variable parts, in order. */
export function splitTemplate(template: string, pool: VariablePool): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let last = 0;
  for (const match of template.matchAll(REFERENCE)) {
    const start = match.index;
    if (start > last) parts.push({ kind: 'text', text: template.slice(last, start) });
    const path = match[1] ?? '';
    const selector = path.split('.');
    const found = lookup(pool, selector);
    // File lists print as '' in Dify's text form (ArrayFileSegment), so `{{#sys.files#}}` vanishes.
    const isFiles = selector[0] === 'sys' && selector[1] === 'files';
    parts.push({ kind: 'variable', selector, text: isFiles ? '' : found.found ? toText(found.value) : path });
    last = start + match[0].length;
  }
  if (last < template.length) parts.push({ kind: 'text', text: template.slice(last) });
  return parts;
}

/** Renders a template; `{{#context#}}` is replaced by `context` when given (LLM nodes). */
export function renderTemplate(template: string, pool: VariablePool, context?: string): string {
  const withContext = context === undefined ? template : template.replace(CONTEXT, () => context);
  return splitTemplate(withContext, pool)
    .map((p) => p.text)
    .join('');
}

/** Selectors referenced by a template (for linting-style checks in tests). */
export function referencedSelectors(template: string): string[][] {
  return [...template.matchAll(REFERENCE)].map((m) => (m[1] ?? '').split('.'));
}
