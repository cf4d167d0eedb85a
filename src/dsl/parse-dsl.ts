// Text → DslDocument. Reads YAML the way Dify does (PyYAML, YAML 1.1), refuses hostile input with
// the limits of parseYaml, and turns every problem into a Diagnostic with a line and column.

import type { Diagnostic } from '../diagnostics.js';
import { DEFAULT_YAML_LIMITS, parseYaml, positionOf, type YamlLimits } from '../yaml/parse-yaml.js';
import { checkDslShape } from './check-dsl-shape.js';
import { alignScalarsWithPyYaml, repairQuotedIndentation } from './pyyaml-compat.js';
import { toPointer, type DslDocument, type ParsedDsl } from './types.js';

export interface ParseDslOptions {
  limits?: Partial<YamlLimits>;
}

/** Code of every problem that stops a file from being read as a DSL document. */
export const DSL_PARSE_CODE = 'DSL000';

export function parseDsl(text: string, file: string, options: ParseDslOptions = {}): ParsedDsl {
  const limits = { ...DEFAULT_YAML_LIMITS, ...options.limits };
  const diagnostics: Diagnostic[] = [];
  let parsed = parseYaml(text, { version: '1.1', limits });
  let usedText = text;

  if (!parsed.ok && parsed.problems.every((p) => p.code === 'yaml-syntax')) {
    // PyYAML accepts unindented continuation lines in quoted strings; so do we, with a warning.
    const repaired = repairQuotedIndentation(text);
    const retry = repaired && parseYaml(repaired.text, { version: '1.1', limits });
    if (repaired && retry && retry.ok) {
      parsed = retry;
      usedText = repaired.text;
      diagnostics.push({
        file,
        line: repaired.firstLine,
        col: 1,
        severity: 'warning',
        code: 'yaml-pyyaml-compat',
        message: 'a quoted string continues on a line that is not indented: PyYAML (Dify) accepts this, YAML does not; `dify-gitops fmt` rewrites it',
      });
    }
  }
  if (!parsed.ok) {
    return {
      ok: false,
      file,
      diagnostics: parsed.problems.map((p) => ({
        file,
        line: p.line,
        col: p.col,
        severity: 'error' as const,
        code: p.code,
        message: explain(p.message),
      })),
    };
  }

  const { doc, lines } = parsed;
  let value = parsed.value;
  if (alignScalarsWithPyYaml(doc)) value = doc.toJS({ maxAliasCount: limits.maxAliasCount });
  for (const w of parsed.warnings) {
    diagnostics.push({ file, line: w.line, col: w.col, severity: 'warning', code: w.code, message: w.message });
  }

  const shape = checkDslShape(value);
  if (shape.length > 0) {
    return {
      ok: false,
      file,
      diagnostics: [
        ...diagnostics,
        ...shape.map((p) => {
          const pos = positionOf(doc, lines, p.path, { key: p.path.length > 0 && p.path[0] === 'data' });
          return {
            file,
            line: pos.line,
            col: pos.col,
            severity: 'error' as const,
            code: DSL_PARSE_CODE,
            message: p.message,
            path: toPointer(p.path),
          };
        }),
      ],
    };
  }
  return { ok: true, file, dsl: value as DslDocument, source: { doc, lines, text: usedText }, diagnostics };
}

/** yaml's messages name parser states; add what the writer of the file can do about the common ones. */
function explain(message: string): string {
  if (/Unexpected (flow-seq-start|flow-map-start|flow-seq-end|flow-map-end)|Missing , between flow/.test(message)) {
    return `${message} (inside { … } or [ … ], quote values that contain [ ] { } or ,)`;
  }
  if (/Missing closing "?'?quote|Missing closing/.test(message)) return `${message} (a quoted string is not closed)`;
  return message;
}

/**
 * True when a parsed YAML value is a Dify DSL file: top-level `app`, `workflow` or `model_config`,
 * and `kind` or `version`. fmt and validate use it to skip other YAML (app manifests, configs).
 */
export function looksLikeDsl(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  return typeof v.app === 'object' && v.app !== null && ('workflow' in v || 'model_config' in v) && ('kind' in v || 'version' in v);
}
