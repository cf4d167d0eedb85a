// The view of a DSL document that plan compares and digests: what Dify rewrites on every import
// and export is taken out first, so a round trip through Dify compares equal. Removed: the DSL
// `version` and `kind` (format, not content), `dependencies` (install-specific identifiers; the
// preflight checks them instead), variable ids and selectors (Dify-internal; variables are keyed
// by name), secret values (never compared, never shown), tool `credential_id` (dropped by exports
// without secrets), `rag_pipeline_variables` (ignored by app import). Numeric env var types are
// spelled as Dify ≥ 1.7 exports them. Then the DSL core's normalizeDsl removes UI noise and
// applies the user's ignore rules. Pure.

import type { IgnoreRule } from '../config/types.js';
import { normalizeDsl, type DslDocument, type DslVariable, type NormalizedDsl } from '../dsl/index.js';

export function comparableDsl(dsl: DslDocument, ignore: readonly IgnoreRule[] = []): NormalizedDsl {
  // Shallow copies only: normalizeDsl never mutates its input and returns a fresh deep copy, so
  // credentials are stripped from that copy afterwards (a deep clone first cost more than the rest).
  const { version: _version, kind: _kind, dependencies: _dependencies, ...rest } = dsl;
  const copy: DslDocument = { ...rest, app: { description: '', use_icon_as_answer_icon: false, ...dsl.app } };
  if (dsl.workflow !== undefined) {
    const { rag_pipeline_variables: _rag, ...workflow } = dsl.workflow;
    if (Array.isArray(workflow.environment_variables)) workflow.environment_variables = workflow.environment_variables.map(comparableVariable);
    if (Array.isArray(workflow.conversation_variables)) workflow.conversation_variables = workflow.conversation_variables.map(comparableVariable);
    copy.workflow = workflow;
  }
  const normalized = normalizeDsl(copy, { ignore: ignore.map(({ path, nodeType }) => (nodeType === undefined ? { path } : { path, nodeType })) });
  for (const node of normalized.workflow?.graph?.nodes ?? []) stripCredentials(node.data);
  const tools = (normalized.model_config?.agent_mode as { tools?: unknown } | undefined)?.tools;
  if (Array.isArray(tools)) for (const tool of tools) if (isRecord(tool)) delete tool.credential_id;
  return normalized;
}

/**
 * The canonical JSON of a comparable view. normalizeDsl sorts keys at every level and the steps
 * after it only delete keys, so JSON.stringify already writes canonical JSON (test/plan proves it
 * equal to canonicalJson over the corpus) at a fraction of the cost.
 */
export function comparableJson(view: NormalizedDsl): string {
  return JSON.stringify(view);
}

function comparableVariable(variable: DslVariable): DslVariable {
  const { id: _id, selector: _selector, ...rest } = variable;
  if (rest.value_type === 'secret') return { ...rest, value: '' };
  if (rest.value_type === 'number' && typeof rest.value === 'number') {
    return { ...rest, value_type: Number.isInteger(rest.value) ? 'integer' : 'float' };
  }
  return rest;
}

function stripCredentials(data: unknown): void {
  if (!isRecord(data)) return;
  if (data.type === 'tool') delete data.credential_id;
  if (data.type === 'agent') {
    const params = data.agent_parameters;
    const tools = isRecord(params) && isRecord(params.tools) ? params.tools.value : undefined;
    if (Array.isArray(tools)) for (const tool of tools) if (isRecord(tool)) delete tool.credential_id;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
