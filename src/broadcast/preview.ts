// One answer as a bounded piece of text for reports: the answer itself, or the outputs object as
// compact JSON, cut at a character limit (code points, so no emoji is split). Pure.

import type { Invocation } from './types.js';

export interface OutputPreview {
  kind: 'answer' | 'outputs';
  text: string;
  truncated: boolean;
  /** Length of the whole text, in characters. */
  chars: number;
}

export function previewOutput(invocation: Pick<Invocation, 'answer' | 'outputs'>, limit: number): OutputPreview | null {
  if (invocation.answer !== undefined) return cut('answer', invocation.answer, limit);
  if (invocation.outputs !== undefined && invocation.outputs !== null) return cut('outputs', JSON.stringify(invocation.outputs), limit);
  return null;
}

/** Cuts to `limit` characters, ending with `…` when cut. */
export function truncate(text: string, limit: number): string {
  const chars = [...text];
  return chars.length <= limit ? text : `${chars.slice(0, Math.max(0, limit - 1)).join('')}…`;
}

function cut(kind: OutputPreview['kind'], text: string, limit: number): OutputPreview {
  const chars = [...text].length;
  return { kind, text: truncate(text, limit), truncated: chars > limit, chars };
}
