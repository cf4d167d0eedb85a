// A Diagnostic is one problem found in a file the user wrote: validation, lint and parse errors
// all speak this shape, so every command can report ALL problems at once, with positions.

export type Severity = 'error' | 'warning' | 'info';

export interface Diagnostic {
  file: string;
  /** 1-based; 0 when the problem concerns the file as a whole. */
  line: number;
  /** 1-based; 0 when unknown. */
  col: number;
  severity: Severity;
  /** Stable rule or error code, e.g. `DSL001` or `config-schema`. */
  code: string;
  message: string;
  /** JSON-pointer-like path to the offending field, when there is one. */
  path?: string;
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = d.line > 0 ? `${d.file}:${d.line}:${Math.max(d.col, 1)}` : d.file;
  return `${where}: ${d.severity} ${d.code} ${d.message}`;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Sorts by file, line, column, then code, so output is stable across runs. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort(
    (a, b) =>
      a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col || a.code.localeCompare(b.code),
  );
}
