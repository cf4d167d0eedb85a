// The shape of a semantic DSL diff, shared by the plan, the PR comment, the `diff` command and
// `--format json`. It is a public, versioned contract (docs/dsl.md "Diff JSON"): add fields, never
// rename or remove them without bumping `formatVersion`.

import type { JsonPath } from './types.js';

export type ChangeOp = 'add' | 'remove' | 'replace';

/** One line of a line diff of a multi-line string (a prompt, a template, code). */
export interface LineChange {
  op: 'same' | 'add' | 'remove';
  text: string;
}

/**
 * One field-level change. `path` is absolute in the normalised document; elements of keyed lists
 * (nodes by id, edges by id, variables by name, dependencies by plugin id) are addressed by key,
 * elements of other lists by index. Applying every FieldChange of a diff in order to the old
 * normalised document gives the new one (applyDiff).
 */
export interface FieldChange {
  op: ChangeOp;
  path: JsonPath;
  /** RFC 6901 rendering of `path`. */
  pointer: string;
  /** Absent for `add`. Secret values are never here: normalisation masked them. */
  before?: unknown;
  /** Absent for `remove`. */
  after?: unknown;
  /** For a string changed across lines: the line diff (before → after). */
  lines?: LineChange[];
}

export type DslChangeSubject =
  | 'app'
  | 'node'
  | 'edge'
  | 'environment-variable'
  | 'conversation-variable'
  | 'feature'
  | 'dependency'
  | 'model-config'
  | 'workflow'
  | 'other';

export interface ModelRef {
  provider: string;
  name: string;
  mode?: string;
  completion_params?: Record<string, unknown>;
}

export interface DslChange {
  subject: DslChangeSubject;
  kind: 'added' | 'removed' | 'changed';
  /** Node id, edge id, variable name, plugin id, feature name, or the app/model_config field. */
  key: string;
  /** Pointer to the subject in the normalised document. */
  pointer: string;
  /** Nodes: the title (new if present, else old). */
  title?: string;
  /** Nodes: data.type. */
  nodeType?: string;
  /** Nodes: the title changed. */
  renamed?: { from: string; to: string };
  /** Nodes of the LLM family: the model changed (provider, name or completion params). */
  model?: { before?: ModelRef; after?: ModelRef };
  /** Edges: endpoints. For a rewired edge (same source and handle, new target) both targets. */
  edge?: { source: string; sourceHandle: string; target: string; previousTarget?: string };
  /** Variables: value_type is secret on either side; values are never shown. */
  secret?: boolean;
  fields: FieldChange[];
}

export interface DslDiffSummary {
  nodes: { added: number; removed: number; changed: number };
  edges: { added: number; removed: number; rewired: number };
  variables: { added: number; removed: number; changed: number };
  /** App metadata, features, dependencies, model_config and other workflow fields. */
  other: number;
  /** Number of DslChange entries. */
  total: number;
}

export interface DslDiff {
  formatVersion: 1;
  summary: DslDiffSummary;
  changes: DslChange[];
}
