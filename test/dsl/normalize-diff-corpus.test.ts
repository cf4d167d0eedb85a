import { describe, expect, it } from 'vitest';
import { applyDiff, diffDsl, normalizeDsl, parseDsl, type DslDocument } from '../../src/dsl/index.js';
import { corpusFiles } from '../support/dsl-corpus.js';
import { moveEveryNode, mutateDsl } from '../../bench/support/dsl-mutations.js';

const docs: { name: string; dsl: DslDocument }[] = corpusFiles().map((f) => {
  const parsed = parseDsl(f.text, f.name);
  if (!parsed.ok) throw new Error(`${f.name} does not parse`);
  return { name: f.name, dsl: parsed.dsl };
});

describe('normalizeDsl and diffDsl over the corpus', () => {
  it('normalising twice changes nothing', () => {
    for (const { name, dsl } of docs) {
      const once = normalizeDsl(dsl);
      expect(normalizeDsl(once), name).toEqual(once);
    }
  });

  it('finds no difference when only positions and editor state changed', () => {
    for (const { name, dsl } of docs) {
      const diff = diffDsl(normalizeDsl(dsl), normalizeDsl(moveEveryNode(dsl)));
      expect(diff.changes, name).toEqual([]);
    }
  });

  it('replays the diff of each file and its mutation to get the mutation', () => {
    docs.forEach(({ name, dsl }, i) => {
      const before = normalizeDsl(dsl);
      const after = normalizeDsl(mutateDsl(dsl, i));
      const diff = diffDsl(before, after);
      expect(diff.summary.total, name).toBeGreaterThan(0);
      expect(applyDiff(before, diff), name).toEqual(after);
    });
  });
});
