// A user-written YAML file as the config layer sees it: its repo-relative name, the parsed value,
// and the Document + LineCounter that turn a field path into a line and column. Parse problems
// (syntax, size, depth, alias bombs) become Diagnostics that name the file.

import type { Document, LineCounter } from 'yaml';
import type { Diagnostic, Severity } from '../diagnostics.js';
import { parseYaml, positionOf, type YamlLimits } from '../yaml/parse-yaml.js';
import { formatFieldPath, segmentsToPointer, type PathSegment } from './field-path.js';

export interface YamlSource {
  /** Repo-relative, forward slashes: what diagnostics print. */
  file: string;
  doc: Document;
  lines: LineCounter;
}

/** Config files and manifests are small; 1 MiB leaves room for long prompts in overrides. */
export const CONFIG_YAML_LIMITS: YamlLimits = { maxBytes: 1024 * 1024, maxDepth: 64, maxAliasCount: 200 };

export type ParsedYamlSource =
  | { ok: true; value: unknown; source: YamlSource; diagnostics: Diagnostic[] }
  | { ok: false; diagnostics: Diagnostic[] };

export function parseYamlSource(text: string, file: string, limits: YamlLimits = CONFIG_YAML_LIMITS): ParsedYamlSource {
  const parsed = parseYaml(text, { version: '1.2', limits });
  if (!parsed.ok) {
    return {
      ok: false,
      diagnostics: parsed.problems.map((p) => ({
        file,
        line: p.line,
        col: p.col,
        severity: 'error',
        code: p.code,
        message: p.message,
      })),
    };
  }
  const warnings = parsed.warnings.map(
    (w): Diagnostic => ({ file, line: w.line, col: w.col, severity: 'warning', code: w.code, message: w.message }),
  );
  if (parsed.value === null || parsed.value === undefined) {
    return {
      ok: false,
      diagnostics: [{ file, line: 1, col: 1, severity: 'error', code: 'yaml-empty', message: `${file} is empty` }],
    };
  }
  return { ok: true, value: parsed.value, source: { file, doc: parsed.doc, lines: parsed.lines }, diagnostics: warnings };
}

/** A diagnostic at a field; with `key`, at the field's key rather than its value. */
export function diagnosticAt(
  source: YamlSource,
  segments: readonly PathSegment[],
  severity: Severity,
  code: string,
  message: string,
  options: { key?: boolean; withPath?: boolean } = {},
): Diagnostic {
  const pos = positionOf(source.doc, source.lines, segments, { key: options.key === true && segments.length > 0 });
  const text = options.withPath === false ? message : `${formatFieldPath(segments)}: ${message}`;
  return {
    file: source.file,
    line: pos.line,
    col: pos.col,
    severity,
    code,
    message: text,
    path: segmentsToPointer(segments),
  };
}

/** A diagnostic about a whole file (missing, unreadable, too large). */
export function fileDiagnostic(file: string, code: string, message: string, severity: Severity = 'error'): Diagnostic {
  return { file, line: 0, col: 0, severity, code, message };
}
