// Placeholder: canonical formatting lands in a later commit.
export type FormatDslResult =
  | { ok: true; text: string; changed: boolean }
  | { ok: false; diagnostics: import('../diagnostics.js').Diagnostic[] };

export function formatDsl(text: string, _file: string): FormatDslResult {
  return { ok: true, text, changed: false };
}
