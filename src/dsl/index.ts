// Public API of the DSL core (pure): parse, lint, normalise, diff, render, format.
// Other modules import from here, not from the files behind it.

export type {
  AppMode,
  DslApp,
  DslDependency,
  DslDocument,
  DslEdge,
  DslGraph,
  DslNode,
  DslNodeData,
  DslSource,
  DslVariable,
  DslWorkflow,
  JsonPath,
  ParsedDsl,
  ParsedDslFailed,
  ParsedDslOk,
} from './types.js';
export { APP_MODES, WORKFLOW_MODES, edgesOf, nodesOf, toPointer } from './types.js';
export { DSL_PARSE_CODE, looksLikeDsl, parseDsl, type ParseDslOptions } from './parse-dsl.js';
export { lintDsl, type LintOptions } from './lint-dsl.js';
export { LINT_RULES, lintRule, type LintCode, type LintRule } from './lint-rules.js';
export { normalizeDsl, type IgnoreRule, type NormalizeOptions, type NormalizedDsl } from './normalize-dsl.js';
export { applyDiff, diffDsl } from './diff-dsl.js';
export type {
  ChangeOp,
  DslChange,
  DslChangeSubject,
  DslDiff,
  DslDiffSummary,
  FieldChange,
  LineChange,
  ModelRef,
} from './diff-types.js';
export { renderDiffJson, renderDiffMarkdown, renderDiffText } from './render-diff.js';
export { formatDsl, type FormatDslResult } from './format-dsl.js';
