// Walks a (sub-)graph from its root the way Dify's engine does, deterministically: a node runs
// once every incoming edge is resolved and at least one was taken; a node whose incoming edges
// were all skipped is skipped and skips its own outgoing edges (so branches merge correctly).
// Edges from nodes unreachable from the root are ignored. A node that fails without an
// error_strategy fails the run; fail-branch / default-value turn it into an `exception`.
// Cycles re-run nodes until the step budget is spent ("Max steps 500 reached.").

import { MAX_INNER_STEPS, MAX_STEPS, type NodeOutcome, type RunContext, type SubgraphResult } from './context.js';
import type { GraphEdge, GraphNode } from './graph.js';
import { runNode } from './nodes/index.js';
import { addUsage, ZERO_USAGE } from './stub-model.js';
import { assign, isRecord } from './variable-pool.js';

type EdgeState = 'taken' | 'skipped';

export function executeGraph(ctx: RunContext, parentId: string | null, rootId: string): SubgraphResult {
  const inScope = (id: string): boolean => (ctx.graph.nodes.get(id)?.parentId ?? null) === parentId;
  const scopeEdges = ctx.graph.edges.filter((e) => inScope(e.source) && inScope(e.target));
  const outgoing = groupBy(scopeEdges, (e) => e.source);
  const reachable = reachableFrom(rootId, outgoing);
  const incoming = groupBy(scopeEdges.filter((e) => reachable.has(e.source)), (e) => e.target);
  const state = new Map<GraphEdge, EdgeState>();
  const queue: { id: string; predecessor: string | null }[] = [{ id: rootId, predecessor: null }];

  const settle = (target: string, predecessor: string, seen: Set<string>): void => {
    const edges = incoming.get(target) ?? [];
    if (edges.some((e) => !state.has(e))) return;
    const anyTaken = edges.some((e) => state.get(e) === 'taken');
    for (const e of edges) state.delete(e);
    if (anyTaken) {
      queue.push({ id: target, predecessor });
      return;
    }
    if (seen.has(target)) return;
    seen.add(target);
    for (const e of outgoing.get(target) ?? []) state.set(e, 'skipped');
    for (const next of distinctTargets(outgoing.get(target))) settle(next, target, seen);
  };

  for (;;) {
    const item = queue.shift() ?? unblock(incoming, state);
    if (!item) return { status: 'succeeded' };
    const node = ctx.graph.nodes.get(item.id);
    if (!node) continue;
    const budget = countStep(ctx, parentId);
    if (budget) return budget;
    const handle = runOne(ctx, node, item.predecessor, parentId);
    if (handle.failed !== undefined) return { status: 'failed', error: handle.failed };
    for (const e of outgoing.get(node.id) ?? []) state.set(e, handleMatches(e.sourceHandle, handle.follow) ? 'taken' : 'skipped');
    for (const next of distinctTargets(outgoing.get(node.id))) settle(next, node.id, new Set());
    if (ctx.loopBreak) return { status: 'succeeded' };
  }
}

function countStep(ctx: RunContext, parentId: string | null): SubgraphResult | null {
  if (parentId === null) {
    ctx.steps += 1;
    if (ctx.steps > MAX_STEPS) return { status: 'failed', error: `Max steps ${MAX_STEPS} reached.` };
  } else {
    ctx.innerSteps += 1;
    if (ctx.innerSteps > MAX_INNER_STEPS) return { status: 'failed', error: `Max steps ${MAX_INNER_STEPS} reached.` };
  }
  return null;
}

/** When nothing is ready but some node has a taken edge and an unresolved one (a cycle), run it. */
function unblock(incoming: Map<string, GraphEdge[]>, state: Map<GraphEdge, EdgeState>): { id: string; predecessor: string | null } | undefined {
  for (const [target, edges] of incoming) {
    const taken = edges.find((e) => state.get(e) === 'taken');
    if (taken) {
      for (const e of edges) state.delete(e);
      return { id: target, predecessor: taken.source };
    }
  }
  return undefined;
}

function handleMatches(edgeHandle: string, follow: string): boolean {
  if (edgeHandle === follow) return true;
  return follow === 'source' && edgeHandle === 'success-branch';
}

/** Runs one node, records its events and outputs, and says which handle to follow. */
function runOne(ctx: RunContext, node: GraphNode, predecessor: string | null, parentId: string | null): { follow: string; failed?: string } {
  const index = parentId === null ? ctx.steps : ctx.innerSteps;
  const emit = parentId === null;
  const base = { nodeId: node.id, nodeType: node.type, title: node.title, index, predecessorNodeId: predecessor };
  if (emit) ctx.events.push({ type: 'node_started', ...base, inputs: {} });
  let outcome: NodeOutcome;
  try {
    outcome = runNode(node, ctx);
  } catch (error) {
    // Handlers validate their own data; this guards the "never throw" promise of the engine.
    outcome = { status: 'failed', error: error instanceof Error ? error.message : String(error) };
  }
  const usage = outcome.usage ?? ZERO_USAGE;
  ctx.usage = addUsage(ctx.usage, usage);
  const common = { ...base, inputs: outcome.inputs ?? {}, usage, latencyMs: outcome.latencyMs ?? 0 };
  if (outcome.status === 'succeeded') {
    ctx.pool.set(node.id, outcome.outputs);
    if (emit) ctx.events.push({ type: 'node_finished', ...common, outputs: outcome.outputs, status: 'succeeded', error: null });
    return { follow: outcome.handle ?? 'source' };
  }
  const strategy = node.data.error_strategy;
  if (strategy !== 'fail-branch' && strategy !== 'default-value') {
    if (emit) ctx.events.push({ type: 'node_finished', ...common, outputs: {}, status: 'failed', error: outcome.error });
    return { follow: '', failed: outcome.error };
  }
  const errorOutputs = { error_message: outcome.error, error_type: outcome.errorType ?? 'NodeError' };
  const outputs = strategy === 'default-value' ? { ...defaultValues(node.data.default_value), ...errorOutputs } : errorOutputs;
  ctx.exceptions += 1;
  for (const [key, value] of Object.entries(outputs)) assign(ctx.pool, [node.id, key], value);
  if (emit) ctx.events.push({ type: 'node_finished', ...common, outputs, status: 'exception', error: outcome.error });
  return { follow: strategy === 'fail-branch' ? 'fail-branch' : 'source' };
}

function defaultValues(raw: unknown): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const item of Array.isArray(raw) ? raw : []) {
    if (isRecord(item) && typeof item.key === 'string') values[item.key] = item.value ?? null;
  }
  return values;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) map.set(key(item), [...(map.get(key(item)) ?? []), item]);
  return map;
}

function distinctTargets(edges: readonly GraphEdge[] | undefined): string[] {
  return [...new Set((edges ?? []).map((e) => e.target))];
}

function reachableFrom(rootId: string, outgoing: Map<string, GraphEdge[]>): Set<string> {
  const seen = new Set([rootId]);
  const stack = [rootId];
  while (stack.length > 0) {
    for (const e of outgoing.get(stack.pop() ?? '') ?? []) {
      if (!seen.has(e.target)) { seen.add(e.target); stack.push(e.target); }
    }
  }
  return seen;
}
