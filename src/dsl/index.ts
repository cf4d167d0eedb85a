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
export { lazyDslSource, releaseDslSource } from './lazy-source.js';
export { LINT_RULES, lintRule, type LintCode, type LintRule } from './lint-rules.js';
export {
  DATASET_MARKER,
  SECRET_MARKER,
  isEncryptedDatasetId,
  normalizeDsl,
  type NormalizeOptions,
  type NormalizedDsl,
} from './normalize-dsl.js';
export { validateIgnoreRule, type IgnoreRule } from './ignore-rules.js';
export { LATEST_KNOWN_DSL_VERSION, importStatus, parseDslVersion, type ImportStatus } from './dsl-version.js';
export { diffDsl } from './diff-dsl.js';
export { DiffApplyError, applyDiff } from './apply-diff.js';
export { diffLines } from './line-diff.js';
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
export { renderDiffText, type RenderTextOptions } from './render-diff-text.js';
export { renderDiffMarkdown } from './render-diff-markdown.js';
export { renderDiffJson } from './render-diff-json.js';
export { formatDsl, type FormatDslResult } from './format-dsl.js';
export { datasetIdsOf } from './dataset-ids.js';
