// Placeholder renderers; replaced by render-diff-text/markdown/json.
import type { DslDiff } from './diff-types.js';

export function renderDiffText(diff: DslDiff, _options: { color?: boolean } = {}): string {
  return `${diff.summary.total} changes\n`;
}
export function renderDiffMarkdown(diff: DslDiff): string {
  return `${diff.summary.total} changes\n`;
}
export function renderDiffJson(diff: DslDiff): string {
  return `${JSON.stringify(diff, null, 2)}\n`;
}
