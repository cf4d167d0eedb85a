// Iteration and loop containers: their child nodes (parentId = container) run as a sub-graph
// from the container's start node. Iteration exposes [id, item] and [id, index] and collects
// [output_selector] per item; loop keeps loop variables at [id, <label>], checks the break
// conditions before the first and after every round, stops at loop_count (≤ 100) or loop-end.

import { ConditionError, processConditions, type Condition } from '../conditions.js';
import type { NodeHandler, NodeOutcome, RunContext } from '../context.js';
import { isRecord, isSelector, lookup, str } from '../variable-pool.js';
import { defaultForType } from './placeholders.js';

export const MAX_LOOP_COUNT = 100;

function bodyStart(data: Record<string, unknown>, containerId: string, ctx: RunContext): string | null {
  const declared = typeof data.start_node_id === 'string' ? data.start_node_id : '';
  if (declared !== '' && ctx.graph.nodes.has(declared)) return declared;
  for (const node of ctx.graph.nodes.values()) {
    if (node.parentId === containerId && (node.type === 'iteration-start' || node.type === 'loop-start')) return node.id;
  }
  return null;
}

export const iteration: NodeHandler = (node, ctx): NodeOutcome => {
  const data = node.data;
  const found = isSelector(data.iterator_selector) ? lookup(ctx.pool, data.iterator_selector) : { found: false as const };
  if (!found.found || found.value === null) return { status: 'succeeded', outputs: { output: [] } };
  if (!Array.isArray(found.value)) return { status: 'failed', error: 'Invalid iterator value: expected a list.' };
  const start = bodyStart(data, node.id, ctx);
  if (start === null) return { status: 'failed', error: 'Iteration has no start node' };
  const mode = typeof data.error_handle_mode === 'string' ? data.error_handle_mode : 'terminated';
  const output: unknown[] = [];
  for (const [index, item] of found.value.entries()) {
    ctx.pool.set(node.id, { item, index });
    const result = ctx.runSubgraph(node.id, start);
    if (result.status === 'failed') {
      if (mode === 'continue-on-error') { output.push(null); continue; }
      if (mode === 'remove-abnormal-output') continue;
      return { status: 'failed', error: result.error };
    }
    const value = isSelector(data.output_selector) ? lookup(ctx.pool, data.output_selector) : { found: false as const };
    output.push(value.found ? value.value : null);
  }
  return { status: 'succeeded', inputs: { iterator_selector: found.value }, outputs: { output } };
};

function initialLoopVariables(raw: unknown, ctx: RunContext): Record<string, unknown> {
  const vars: Record<string, unknown> = {};
  for (const v of Array.isArray(raw) ? raw.filter(isRecord) : []) {
    const label = str(v.label);
    if (v.value_type === 'variable' && isSelector(v.value)) {
      const found = lookup(ctx.pool, v.value);
      vars[label] = found.found ? found.value : null;
    } else {
      vars[label] = coerceConstant(v.value, v.var_type);
    }
  }
  return vars;
}

function coerceConstant(value: unknown, type: unknown): unknown {
  if (type === 'number' && typeof value === 'string') return value.trim() === '' || Number.isNaN(Number(value)) ? 0 : Number(value);
  if (type === 'boolean' && typeof value === 'string') return value === 'true';
  if ((type === 'object' || str(type).startsWith('array')) && typeof value === 'string') {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return defaultForType(type);
    }
  }
  return value ?? defaultForType(type);
}

export const loop: NodeHandler = (node, ctx): NodeOutcome => {
  const data = node.data;
  const start = bodyStart(data, node.id, ctx);
  if (start === null) return { status: 'failed', error: 'Loop has no start node' };
  ctx.pool.set(node.id, initialLoopVariables(data.loop_variables, ctx));
  const conditions = (Array.isArray(data.break_conditions) ? data.break_conditions : []).filter(isRecord) as Condition[];
  const logical = str(data.logical_operator, 'and');
  const shouldBreak = (): boolean => conditions.length > 0 && processConditions(ctx.pool, conditions, logical);
  const count = Math.min(Math.max(0, Number(data.loop_count ?? 1) || 0), MAX_LOOP_COUNT);
  let rounds = 0;
  try {
    if (!shouldBreak()) {
      for (; rounds < count; ) {
        const result = ctx.runSubgraph(node.id, start);
        rounds += 1;
        if (result.status === 'failed') return { status: 'failed', error: result.error };
        if (ctx.loopBreak) { ctx.loopBreak = false; break; }
        if (shouldBreak()) break;
      }
    }
  } catch (error) {
    if (error instanceof ConditionError) return { status: 'failed', error: error.message };
    throw error;
  }
  return { status: 'succeeded', inputs: { loop_count: rounds }, outputs: { ...(ctx.pool.get(node.id) ?? {}) } };
};

export const loopEnd: NodeHandler = (_node, ctx) => {
  ctx.loopBreak = true;
  return { status: 'succeeded', outputs: {} };
};
