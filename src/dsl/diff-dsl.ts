// Placeholder: the semantic diff lands in the next commit.
import type { DslDiff } from './diff-types.js';
import type { NormalizedDsl } from './normalize-dsl.js';

export function diffDsl(_old: NormalizedDsl, _new: NormalizedDsl): DslDiff {
  return {
    formatVersion: 1,
    summary: { nodes: { added: 0, removed: 0, changed: 0 }, edges: { added: 0, removed: 0, rewired: 0 }, variables: { added: 0, removed: 0, changed: 0 }, other: 0, total: 0 },
    changes: [],
  };
}

export function applyDiff(old: NormalizedDsl, _diff: DslDiff): NormalizedDsl {
  return structuredClone(old);
}
