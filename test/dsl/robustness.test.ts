// Odd but well-formed documents (wrong types deep inside node data, variables, features) must
// never make lint, normalise, diff, the renderers or fmt throw: they either report or ignore.

import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import {
  applyDiff,
  diffDsl,
  formatDsl,
  lintDsl,
  normalizeDsl,
  parseDsl,
  renderDiffMarkdown,
  renderDiffText,
} from '../../src/dsl/index.js';
import { corpusFiles } from '../support/dsl-corpus.js';

const ODD_VALUES: unknown[] = [null, 0, -1.5, true, '', 'x', [], {}, ['a', 'b'], [[]], { enabled: 'yes' }, '{{#nope.var#}}', ['sys']];

/** Keys whose shape parseDsl checks; scrambling them would only exercise the parser. */
const SHAPED = new Set(['graph', 'nodes', 'edges', 'data', 'id', 'source', 'target', 'sourceHandle', 'targetHandle', 'parentId', 'type', 'name', 'features', 'environment_variables', 'conversation_variables']);

/** Replaces about every 7th value below workflow/model_config with an odd value. */
function scramble(value: unknown, seed: number): unknown {
  let n = seed;
  const visit = (v: unknown, depth: number, key?: string): unknown => {
    n++;
    if (depth > 2 && n % 7 === 0 && !SHAPED.has(key ?? '')) return structuredClone(ODD_VALUES[n % ODD_VALUES.length]);
    if (Array.isArray(v)) return v.map((x) => visit(x, depth + 1, key));
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, visit(x, depth + 1, k)]));
    return v;
  };
  const doc = value as Record<string, unknown>;
  return { ...doc, workflow: visit(doc.workflow, 0), model_config: visit(doc.model_config, 0) };
}

describe('robustness over scrambled corpus documents: lint, normalise, diff, render and fmt never throw', () => {
  corpusFiles().forEach((f, i) => {
    it(f.name, () => {
      const original = parseDsl(f.text, f.name);
      if (!original.ok) throw new Error(f.name);
      const text = stringify(scramble(original.dsl, i), { version: '1.1' });
      const odd = parseDsl(text, f.name);
      const formatted = formatDsl(text, f.name);
      expect(formatted.ok).toBe(odd.ok);
      if (!odd.ok) {
        expect(odd.diagnostics.every((d) => d.line > 0 && d.severity === 'error')).toBe(true);
        return;
      }
      lintDsl(odd, { targetDslVersion: '0.6.0', datasetMappings: { environment: 'x', mapped: new Set(['a']) } });
      const before = normalizeDsl(original.dsl);
      const after = normalizeDsl(odd.dsl, { ignore: [{ path: '/**/title' }] });
      const diff = diffDsl(before, after);
      renderDiffText(diff, { color: true });
      renderDiffMarkdown(diff);
      expect(applyDiff(before, diff)).toEqual(after);
    });
  });
});
