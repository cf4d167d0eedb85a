import { describe, expect, it } from 'vitest';
import { applyDiff, diffDsl, normalizeDsl, parseDsl, type DslDocument } from '../../src/dsl/index.js';
import { corpusFiles, corpusManifest } from '../support/dsl-corpus.js';
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
      // The check has teeth: leaving out any one change gives something else.
      expect(applyDiff(before, { ...diff, changes: diff.changes.slice(1) }), name).not.toEqual(after);
    });
  });

  it('replays the diff of real versions of the same app, both ways', () => {
    const pairs = realPairs();
    expect(pairs.length).toBeGreaterThanOrEqual(8);
    for (const [a, b] of pairs) {
      const na = normalizeDsl(a.dsl);
      const nb = normalizeDsl(b.dsl);
      expect(applyDiff(na, diffDsl(na, nb)), `${a.name} -> ${b.name}`).toEqual(nb);
      expect(applyDiff(nb, diffDsl(nb, na)), `${b.name} -> ${a.name}`).toEqual(na);
    }
  });
});

/**
 * Several versions of one app: files from the same source repository with the same app name,
 * or sharing at least half of their node ids.
 */
function realPairs(): [(typeof docs)[number], (typeof docs)[number]][] {
  const repoOf = new Map(corpusManifest().map((row) => [row.file, row.source_repo]));
  const byRepo = new Map<string, typeof docs>();
  for (const d of docs) {
    const repo = repoOf.get(d.name) ?? '';
    byRepo.set(repo, [...(byRepo.get(repo) ?? []), d]);
  }
  const pairs: [(typeof docs)[number], (typeof docs)[number]][] = [];
  for (const group of byRepo.values()) {
    for (let i = 0; i < group.length; i++) {
      for (let j = i + 1; j < group.length; j++) {
        const [a, b] = [group[i]!, group[j]!];
        const ids = (d: DslDocument): Set<string> => new Set((d.workflow?.graph?.nodes ?? []).map((n) => n.id));
        const [ia, ib] = [ids(a.dsl), ids(b.dsl)];
        const shared = [...ia].filter((id) => ib.has(id)).length;
        const overlap = shared / Math.max(1, ia.size + ib.size - shared);
        if (a.dsl.app.name === b.dsl.app.name || overlap >= 0.5) pairs.push([a, b]);
      }
    }
  }
  return pairs;
}
