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
  const copy = structuredClone(dsl);
  delete copy.version;
  delete copy.kind;
  delete copy.dependencies;
  copy.app = { description: '', use_icon_as_answer_icon: false, ...copy.app };
  if (copy.workflow !== undefined) {
    delete copy.workflow.rag_pipeline_variables;
    if (Array.isArray(copy.workflow.environment_variables)) copy.workflow.environment_variables = copy.workflow.environment_variables.map(comparableVariable);
    if (Array.isArray(copy.workflow.conversation_variables)) copy.workflow.conversation_variables = copy.workflow.conversation_variables.map(comparableVariable);
    for (const node of copy.workflow.graph?.nodes ?? []) stripCredentials(node.data);
  }
  const tools = (copy.model_config?.agent_mode as { tools?: unknown } | undefined)?.tools;
  if (Array.isArray(tools)) for (const tool of tools) if (isRecord(tool)) delete tool.credential_id;
  return normalizeDsl(copy, { ignore: ignore.map(({ path, nodeType }) => (nodeType === undefined ? { path } : { path, nodeType })) });
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
