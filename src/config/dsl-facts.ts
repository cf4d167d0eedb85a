// The few facts about a DSL that manifests are checked against: env vars and their types, node
// ids, input variables, end-node outputs, knowledge-base and tool references. Read defensively:
// the DSL's own shape problems are lint's job (src/dsl), not ours.

import { isRecord, nodesOf, type AppMode, type DslDocument, type DslNode } from '../dsl/types.js';

export interface DslFacts {
  mode: AppMode | undefined;
  version: string | undefined;
  /** Env var name → its `value_type` (`secret`, `string`, `number`, `integer`, `float`). */
  envVars: Map<string, string>;
  nodes: Map<string, DslNode>;
  /** chat, agent-chat and completion apps. */
  modelConfig: Record<string, unknown> | undefined;
  /** Input variables (start node or user input form) → required? */
  inputs: Map<string, boolean>;
  /** Named outputs of end nodes (workflow apps). */
  outputs: Set<string>;
  /** Logical knowledge-base references (knowledge-retrieval `dataset_ids`, chat dataset configs). */
  datasets: Set<string>;
  /** Tool provider ids used by tool nodes, agent nodes and chat agent tools. */
  toolProviders: Set<string>;
}

const MODES = new Set<string>(['workflow', 'advanced-chat', 'chat', 'agent-chat', 'completion']);

export function collectDslFacts(dsl: DslDocument): DslFacts {
  const mode = typeof dsl.app.mode === 'string' && MODES.has(dsl.app.mode) ? (dsl.app.mode as AppMode) : undefined;
  const facts: DslFacts = {
    mode,
    version: typeof dsl.version === 'string' ? dsl.version : undefined,
    envVars: new Map(),
    nodes: new Map(),
    modelConfig: isRecord(dsl.model_config) ? dsl.model_config : undefined,
    inputs: new Map(),
    outputs: new Set(),
    datasets: new Set(),
    toolProviders: new Set(),
  };
  for (const variable of arrayOf(dsl.workflow?.environment_variables)) {
    if (isRecord(variable) && typeof variable.name === 'string') facts.envVars.set(variable.name, typeof variable.value_type === 'string' ? variable.value_type : 'string');
  }
  for (const node of nodesOf(dsl)) {
    if (!isRecord(node) || typeof node.id !== 'string' || !isRecord(node.data)) continue;
    facts.nodes.set(String(node.id), node);
    collectNode(node, facts);
  }
  if (isRecord(dsl.model_config)) collectModelConfig(dsl.model_config, facts);
  return facts;
}

function collectNode(node: DslNode, facts: DslFacts): void {
  const data = node.data;
  switch (data.type) {
    case 'start':
      for (const v of arrayOf(data.variables)) {
        if (isRecord(v) && typeof v.variable === 'string') facts.inputs.set(v.variable, v.required === true);
      }
      break;
    case 'end':
      for (const o of arrayOf(data.outputs)) {
        if (isRecord(o) && typeof o.variable === 'string') facts.outputs.add(o.variable);
      }
      break;
    case 'knowledge-retrieval':
      for (const id of arrayOf(data.dataset_ids)) if (typeof id === 'string') facts.datasets.add(id);
      break;
    case 'tool':
      if (typeof data.provider_id === 'string') facts.toolProviders.add(data.provider_id);
      break;
    case 'agent': {
      const params = isRecord(data.agent_parameters) ? data.agent_parameters : {};
      const tools = isRecord(params.tools) ? arrayOf(params.tools.value) : [];
      for (const tool of tools) {
        if (isRecord(tool) && typeof tool.provider_name === 'string') facts.toolProviders.add(tool.provider_name);
      }
      break;
    }
    default:
      break;
  }
}

function collectModelConfig(config: Record<string, unknown>, facts: DslFacts): void {
  // user_input_form is a list of one-key maps: [{ 'text-input': { variable, required, ... } }].
  for (const item of arrayOf(config.user_input_form)) {
    if (!isRecord(item)) continue;
    for (const field of Object.values(item)) {
      if (isRecord(field) && typeof field.variable === 'string') facts.inputs.set(field.variable, field.required === true);
    }
  }
  const datasetConfigs = isRecord(config.dataset_configs) ? config.dataset_configs : {};
  const datasets = isRecord(datasetConfigs.datasets) ? arrayOf(datasetConfigs.datasets.datasets) : [];
  for (const entry of datasets) {
    const dataset = isRecord(entry) && isRecord(entry.dataset) ? entry.dataset : undefined;
    if (dataset !== undefined && typeof dataset.id === 'string') facts.datasets.add(dataset.id);
  }
  const agentMode = isRecord(config.agent_mode) ? config.agent_mode : {};
  for (const tool of arrayOf(agentMode.tools)) {
    if (isRecord(tool) && typeof tool.provider_id === 'string') facts.toolProviders.add(tool.provider_id);
  }
}

function arrayOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** Env var types whose values are numbers. */
export function isNumericVarType(valueType: string): boolean {
  return valueType === 'number' || valueType === 'integer' || valueType === 'float';
}
