// Line diff of two strings (prompts, templates, code), for reviewers. Longest common subsequence
// over the lines between the common prefix and suffix; when that middle is too large for the
// quadratic table, it falls back to "all removed, all added" (still correct, just coarser).

import type { LineChange } from './diff-types.js';

/** Cells of the LCS table we are willing to fill (about 16 MB of Uint32). */
const MAX_CELLS = 4_000_000;

export function diffLines(before: string, after: string): LineChange[] {
  const a = before.split('\n');
  const b = after.split('\n');
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const out: LineChange[] = a.slice(0, start).map((text) => ({ op: 'same', text }));
  out.push(...middle(a.slice(start, endA), b.slice(start, endB)));
  out.push(...a.slice(endA).map((text) => ({ op: 'same' as const, text })));
  return out;
}

function middle(a: string[], b: string[]): LineChange[] {
  const n = a.length;
  const m = b.length;
  if (n * m > MAX_CELLS) {
    return [...a.map((text) => ({ op: 'remove' as const, text })), ...b.map((text) => ({ op: 'add' as const, text }))];
  }
  // lcs[i][j] = LCS length of a[i:] and b[j:], row-major in one typed array.
  const width = m + 1;
  const lcs = new Uint32Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * width + j] = a[i] === b[j] ? (lcs[(i + 1) * width + j + 1] ?? 0) + 1 : Math.max(lcs[(i + 1) * width + j] ?? 0, lcs[i * width + j + 1] ?? 0);
    }
  }
  const out: LineChange[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      out.push({ op: 'same', text: a[i++] ?? '' });
      j++;
    } else if ((lcs[(i + 1) * width + j] ?? 0) >= (lcs[i * width + j + 1] ?? 0)) {
      out.push({ op: 'remove', text: a[i++] ?? '' });
    } else {
      out.push({ op: 'add', text: b[j++] ?? '' });
    }
  }
  while (i < n) out.push({ op: 'remove', text: a[i++] ?? '' });
  while (j < m) out.push({ op: 'add', text: b[j++] ?? '' });
  return out;
}
