// What each node type puts in the variable pool, for the reference check. Only node types whose
// outputs are fixed or declared in the node itself are listed; for the rest (tool, agent,
// triggers, plugins) the answer is "unknown" and references to them are never flagged.
// Sources: Dify 1.9 api/core/workflow/nodes/*/ (outputs=... of each node's _run).

import { isRecord, type DslNode } from './types.js';

/** `sys.*` keys Dify provides (SystemVariableKey, plus timestamp), including RAG-pipeline ones. */
export const SYSTEM_VARIABLES: ReadonlySet<string> = new Set([
  'query',
  'files',
  'conversation_id',
  'user_id',
  'dialogue_count',
  'app_id',
  'workflow_id',
  'workflow_run_id',
  'timestamp',
  'document_id',
  'original_document_id',
  'batch',
  'dataset_id',
  'datasource_type',
  'datasource_info',
  'invoke_from',
]);

const FIXED: Record<string, readonly string[]> = {
  llm: ['text', 'reasoning_content', 'usage', 'structured_output', 'files'],
  'template-transform': ['output'],
  'http-request': ['body', 'status_code', 'headers', 'files'],
  'knowledge-retrieval': ['result'],
  'question-classifier': ['class_name', 'class_id', 'usage'],
  iteration: ['output', 'item', 'index'],
  'document-extractor': ['text'],
  'list-operator': ['result', 'first_record', 'last_record'],
};

/** The variable names a node outputs, or undefined when they cannot be known from the DSL. */
export function knownOutputs(node: DslNode): ReadonlySet<string> | undefined {
  const outputs = ownOutputs(node);
  const strategy = node.data.error_strategy;
  if (!outputs || (strategy !== 'fail-branch' && strategy !== 'default-value')) return outputs;
  // A node with an error strategy also outputs the error (graph_engine/error_handler.py).
  const withErrors = new Set(outputs);
  withErrors.add('error_message');
  withErrors.add('error_type');
  return withErrors;
}

function ownOutputs(node: DslNode): ReadonlySet<string> | undefined {
  const data = node.data;
  const type = data.type;
  if (type === undefined) return undefined;
  const fixed = FIXED[type];
  if (fixed) return new Set(fixed);
  switch (type) {
    case 'start': {
      // The start node also re-exports the system variables as `sys.<key>` (start_node.py).
      const names = namesOf(data.variables, 'variable');
      if (!names) return undefined;
      for (const key of SYSTEM_VARIABLES) names.add(`sys.${key}`);
      return names;
    }
    case 'code':
      return isRecord(data.outputs) ? new Set(Object.keys(data.outputs)) : undefined;
    case 'parameter-extractor': {
      const names = namesOf(data.parameters, 'name');
      if (!names) return undefined;
      for (const extra of ['__is_success', '__reason', '__usage']) names.add(extra);
      return names;
    }
    case 'loop': {
      // Loop variables by label, the round counter, the index (older releases) and any declared outputs.
      const names = namesOf(data.loop_variables, 'label');
      if (!names) return undefined;
      for (const extra of ['loop_round', 'index']) names.add(extra);
      if (isRecord(data.outputs)) for (const key of Object.keys(data.outputs)) names.add(key);
      return names;
    }
    case 'variable-aggregator':
    case 'variable-assigner': {
      const advanced = data.advanced_settings;
      if (isRecord(advanced) && advanced.group_enabled === true) {
        const groups = namesOf(advanced.groups, 'group_name');
        if (groups) groups.add('output');
        return groups;
      }
      return new Set(['output']);
    }
    default:
      return undefined;
  }
}

function namesOf(list: unknown, key: string): Set<string> | undefined {
  if (list === undefined || list === null) return new Set();
  if (!Array.isArray(list)) return undefined;
  const names = new Set<string>();
  for (const item of list) {
    if (!isRecord(item) || typeof item[key] !== 'string') return undefined;
    names.add(item[key]);
  }
  return names;
}
