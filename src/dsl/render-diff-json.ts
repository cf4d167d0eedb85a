// `--format json`: the DslDiff as documented in docs/dsl.md ("Diff JSON"), pretty-printed. The
// object is built with a fixed key order and normalised (key-sorted) values, so output is stable.

import type { DslDiff } from './diff-types.js';

export function renderDiffJson(diff: DslDiff): string {
  return `${JSON.stringify(diff, null, 2)}\n`;
}
