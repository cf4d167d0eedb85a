// Runs the DSL lint rules over a parsed document and turns findings into Diagnostics with file,
// line, column and JSON path. Severities come from the rule table, overridable per rule.

import type { Diagnostic, Severity } from '../diagnostics.js';
import { positionOf } from '../yaml/parse-yaml.js';
import { indexGraph, type GraphIndex } from './graph-index.js';
import { checkDatasets, checkModeSection, checkModels, checkVariables, checkVersion } from './lint-config-rules.js';
import { checkCycles, checkEntryAndOutput, checkGraphStructure, checkReachability } from './lint-graph-rules.js';
import { checkReferences } from './lint-reference-rules.js';
import { lintRule, type LintCode } from './lint-rules.js';
import { toPointer, type DslDocument, type JsonPath, type ParsedDslOk } from './types.js';

export interface LintOptions {
  /** Per rule (code like `DSL012` or name like `unreachable-node`): a severity, or 'off'. */
  severities?: Record<string, Severity | 'off'>;
  /** The target Dify's current DSL version (e.g. `0.6.0`), when known. */
  targetDslVersion?: string;
  /** Dataset ids or logical names mapped for the target environment; absent = offline. */
  datasetMappings?: { environment: string; mapped: ReadonlySet<string> };
}

/** One problem a rule found, before it gets a position. */
export interface Finding {
  code: LintCode;
  message: string;
  path: JsonPath;
  /** Overrides the rule's default severity for this finding (e.g. an old DSL version is only info). */
  severity?: Severity;
}

export interface LintContext {
  dsl: DslDocument;
  graph: GraphIndex;
  options: LintOptions;
}

export type LintCheck = (ctx: LintContext) => Finding[];

const CHECKS: LintCheck[] = [
  checkModeSection,
  checkVersion,
  checkGraphStructure,
  checkEntryAndOutput,
  checkReachability,
  checkCycles,
  checkReferences,
  checkModels,
  checkVariables,
  checkDatasets,
];

export function lintDsl(parsed: ParsedDslOk, options: LintOptions = {}): Diagnostic[] {
  const ctx: LintContext = { dsl: parsed.dsl, graph: indexGraph(parsed.dsl), options };
  const overrides = resolveOverrides(options.severities ?? {});
  const out: Diagnostic[] = [];
  for (const check of CHECKS) {
    for (const f of check(ctx)) {
      const override = overrides.get(f.code);
      if (override === 'off') continue;
      const rule = lintRule(f.code);
      const severity = override ?? f.severity ?? rule?.severity ?? 'error';
      const pos = positionOf(parsed.source.doc, parsed.source.lines, f.path);
      out.push({ file: parsed.file, line: pos.line, col: pos.col, severity, code: f.code, message: f.message, path: toPointer(f.path) });
    }
  }
  return out;
}

function resolveOverrides(severities: Record<string, Severity | 'off'>): Map<string, Severity | 'off'> {
  const map = new Map<string, Severity | 'off'>();
  for (const [key, value] of Object.entries(severities)) {
    const rule = lintRule(key);
    if (rule) map.set(rule.code, value);
  }
  return map;
}

