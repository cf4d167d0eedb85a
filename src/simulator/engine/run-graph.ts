// runGraph: executes a workflow or advanced-chat graph from its start node with the built-in stub
// model and returns every event plus the run result. Pure and synchronous; never throws.

import type { RunContext, SubgraphResult } from './context.js';
import { executeGraph } from './executor.js';
import { parseGraph, ROOT_TYPES, type ParsedGraph } from './graph.js';
import { ZERO_USAGE } from './stub-model.js';
import type { GraphRunRequest, GraphRunResult } from './types.js';
import { createPool, isRecord, isSelector } from './variable-pool.js';

/** LLM-family nodes whose `text` an end node outputs: their reply streams as text_chunk. */
function streamedNodes(graph: ParsedGraph): Set<string> {
  const ids = new Set<string>();
  for (const node of graph.nodes.values()) {
    if (node.type !== 'end') continue;
    for (const output of Array.isArray(node.data.outputs) ? node.data.outputs : []) {
      if (isRecord(output) && isSelector(output.value_selector) && output.value_selector[1] === 'text') {
        ids.add(output.value_selector[0] ?? '');
      }
    }
  }
  return ids;
}

function findRoot(graph: ParsedGraph): string | null {
  const tops = [...graph.nodes.values()].filter((n) => n.parentId === null && ROOT_TYPES.has(n.type));
  return (tops.find((n) => n.type === 'start') ?? tops[0])?.id ?? null;
}

export function runGraph(request: GraphRunRequest): GraphRunResult {
  const graph = parseGraph(request.graph);
  // Dify always sets these sys variables; defaults keep graphs that read them runnable.
  const sys: Record<string, unknown> = { files: [], user_id: '', app_id: '', workflow_id: '', workflow_run_id: '', timestamp: 0, ...request.sys };
  if (request.mode === 'advanced-chat') {
    sys.query = request.query ?? '';
    sys.conversation_id ??= '';
    sys.dialogue_count ??= 0;
  }
  const ctx: RunContext = {
    mode: request.mode,
    graph,
    pool: createPool({ sys, env: request.environment, conversation: request.conversation }),
    inputs: { ...request.inputs },
    events: [],
    usage: ZERO_USAGE,
    steps: 0,
    innerSteps: 0,
    exceptions: 0,
    answer: '',
    endOutputs: {},
    unavailableProviders: new Set(request.unavailableProviders ?? []),
    streamedNodes: streamedNodes(graph),
    loopBreak: false,
    runSubgraph: (parentId, rootId): SubgraphResult => executeGraph(ctx, parentId, rootId),
  };
  const root = findRoot(graph);
  const result: SubgraphResult = root === null ? { status: 'failed', error: 'Graph has no start node' } : executeGraph(ctx, null, root);
  const failed = result.status === 'failed';
  return {
    status: failed ? 'failed' : ctx.exceptions > 0 ? 'partial-succeeded' : 'succeeded',
    outputs: failed || request.mode === 'advanced-chat' ? {} : ctx.endOutputs,
    answer: request.mode === 'advanced-chat' ? ctx.answer : '',
    error: failed ? result.error : null,
    events: ctx.events,
    usage: ctx.usage,
    totalSteps: ctx.steps,
    conversation: { ...(ctx.pool.get('conversation') ?? {}) },
  };
}
