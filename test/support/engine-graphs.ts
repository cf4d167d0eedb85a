// Small builders for engine tests: graphs as Dify stores them (nodes with data.type, edges with
// sourceHandle) and a runGraph call with sensible defaults.

import { runGraph } from '../../src/simulator/engine/run-graph.js';
import type { GraphRunRequest, GraphRunResult } from '../../src/simulator/engine/types.js';

export function node(id: string, type: string, data: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { id, type: 'custom', data: { type, title: id, ...data }, ...extra };
}

export function edge(source: string, target: string, sourceHandle = 'source'): Record<string, unknown> {
  return { id: `${source}-${sourceHandle}-${target}-target`, source, target, sourceHandle, targetHandle: 'target', type: 'custom' };
}

export function startNode(variables: Record<string, unknown>[] = []): Record<string, unknown> {
  return node('start', 'start', { variables });
}

export function endNode(id: string, outputs: Record<string, string[]>): Record<string, unknown> {
  return node(id, 'end', { outputs: Object.entries(outputs).map(([variable, value_selector]) => ({ variable, value_selector })) });
}

export function llmNode(id: string, messages: { role: string; text: string }[], data: Record<string, unknown> = {}): Record<string, unknown> {
  return node(id, 'llm', {
    model: { provider: 'langgenius/openai/openai', name: 'gpt-4o-mini', mode: 'chat', completion_params: {} },
    prompt_template: messages,
    context: { enabled: false, variable_selector: [] },
    ...data,
  });
}

export function run(nodes: unknown[], edges: unknown[], options: Partial<GraphRunRequest> = {}): GraphRunResult {
  return runGraph({
    mode: 'workflow',
    graph: { nodes, edges },
    inputs: {},
    environment: {},
    conversation: {},
    sys: { user_id: 'u1', app_id: 'a1' },
    ...options,
  });
}

export function eventTypes(result: GraphRunResult): string[] {
  return result.events.map((e) => (e.type === 'node_started' || e.type === 'node_finished' ? `${e.type}:${e.nodeId}` : e.type));
}
