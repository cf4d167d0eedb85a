// Small DSL documents for tests, written as YAML text (so lint positions are real) from plain
// data: a start → llm → end workflow by default, with overrides per test.

import { stringify } from 'yaml';
import { parseDsl, type ParsedDslOk } from '../../src/dsl/index.js';

export interface NodeSpec {
  id: string;
  type: string;
  title?: string;
  data?: Record<string, unknown>;
  parentId?: string;
  nodeType?: string;
}

export function node(spec: NodeSpec): Record<string, unknown> {
  return {
    id: spec.id,
    type: spec.nodeType ?? 'custom',
    position: { x: 0, y: 0 },
    ...(spec.parentId ? { parentId: spec.parentId } : {}),
    data: { type: spec.type, title: spec.title ?? spec.id, selected: false, ...spec.data },
  };
}

export function edge(source: string, target: string, sourceHandle = 'source'): Record<string, unknown> {
  return { id: `${source}-${sourceHandle}-${target}-target`, source, sourceHandle, target, targetHandle: 'target', type: 'custom' };
}

export const LLM_MODEL = { provider: 'langgenius/openai/openai', name: 'gpt-4o', mode: 'chat', completion_params: { temperature: 0.7 } };

export function basicNodes(): Record<string, unknown>[] {
  return [
    node({ id: 'start', type: 'start', title: 'Start', data: { variables: [{ variable: 'question', label: 'Q', type: 'paragraph', required: true }] } }),
    node({ id: 'llm', type: 'llm', title: 'Answer', data: { model: LLM_MODEL, prompt_template: [{ role: 'user', text: '{{#start.question#}}' }] } }),
    node({ id: 'end', type: 'end', title: 'End', data: { outputs: [{ variable: 'answer', value_selector: ['llm', 'text'] }] } }),
  ];
}

export interface WorkflowSpec {
  mode?: string;
  nodes?: Record<string, unknown>[];
  edges?: Record<string, unknown>[];
  env?: Record<string, unknown>[];
  conversation?: Record<string, unknown>[];
  version?: string;
  extra?: Record<string, unknown>;
}

export function workflowYaml(spec: WorkflowSpec = {}): string {
  const doc = {
    app: { name: 'Test', mode: spec.mode ?? 'workflow', icon: '🤖', icon_background: '#FFEAD5', description: '' },
    kind: 'app',
    version: spec.version ?? '0.6.0',
    workflow: {
      graph: { nodes: spec.nodes ?? basicNodes(), edges: spec.edges ?? [edge('start', 'llm'), edge('llm', 'end')], viewport: { x: 0, y: 0, zoom: 1 } },
      features: {},
      environment_variables: spec.env ?? [],
      conversation_variables: spec.conversation ?? [],
    },
    ...spec.extra,
  };
  return stringify(doc, { version: '1.1' });
}

export function parsed(text: string, file = 'test.dsl.yml'): ParsedDslOk {
  const result = parseDsl(text, file);
  if (!result.ok) throw new Error(`test DSL does not parse: ${JSON.stringify(result.diagnostics)}`);
  return result;
}
