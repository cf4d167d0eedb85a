// Branching and variable plumbing: if-else (cases and the legacy true/false form),
// variable-aggregator / legacy variable-assigner, and the assigner (v1 and v2) that writes
// conversation variables and loop variables.

import { ConditionError, processConditions, type Condition } from '../conditions.js';
import type { NodeHandler, NodeOutcome } from '../context.js';
import { assign, isRecord, isSelector, lookup, str, type VariablePool } from '../variable-pool.js';

export const ifElse: NodeHandler = (node, ctx) => {
  const data = node.data;
  try {
    if (Array.isArray(data.cases)) {
      for (const c of data.cases.filter(isRecord)) {
        const conditions = (Array.isArray(c.conditions) ? c.conditions : []).filter(isRecord) as Condition[];
        if (conditions.length > 0 && processConditions(ctx.pool, conditions, str(c.logical_operator, 'and'))) {
          const caseId = str(c.case_id, str(c.id, 'true'));
          return { status: 'succeeded', outputs: { result: true, selected_case_id: caseId }, handle: caseId };
        }
      }
      return { status: 'succeeded', outputs: { result: false, selected_case_id: 'false' }, handle: 'false' };
    }
    const conditions = (Array.isArray(data.conditions) ? data.conditions : []).filter(isRecord) as Condition[];
    const result = processConditions(ctx.pool, conditions, str(data.logical_operator, 'and'));
    return { status: 'succeeded', outputs: { result }, handle: result ? 'true' : 'false' };
  } catch (error) {
    if (error instanceof ConditionError) return { status: 'failed', error: error.message };
    throw error;
  }
};

function firstAvailable(selectors: unknown, pool: VariablePool): unknown {
  for (const selector of Array.isArray(selectors) ? selectors : []) {
    if (!isSelector(selector)) continue;
    const found = lookup(pool, selector);
    if (found.found && found.value !== null && found.value !== undefined) return found.value;
  }
  return null;
}

/** The value of the first variable that exists (i.e. whose branch ran); grouped mode per group. */
export const variableAggregator: NodeHandler = (node, ctx) => {
  const settings = isRecord(node.data.advanced_settings) ? node.data.advanced_settings : {};
  if (settings.group_enabled === true && Array.isArray(settings.groups)) {
    const outputs: Record<string, unknown> = {};
    for (const group of settings.groups.filter(isRecord)) {
      outputs[str(group.group_name)] = { output: firstAvailable(group.variables, ctx.pool) };
    }
    return { status: 'succeeded', outputs };
  }
  return { status: 'succeeded', outputs: { output: firstAvailable(node.data.variables, ctx.pool) } };
};

function emptyLike(current: unknown): unknown {
  if (Array.isArray(current)) return [];
  if (typeof current === 'number') return 0;
  if (typeof current === 'boolean') return false;
  if (isRecord(current)) return {};
  return '';
}

function applyOperation(operation: string, current: unknown, value: unknown): { ok: true; value: unknown } | { ok: false; error: string } {
  const numeric = (f: (a: number, b: number) => number): { ok: true; value: unknown } | { ok: false; error: string } =>
    typeof current === 'number' && typeof value === 'number'
      ? { ok: true, value: f(current, value) }
      : { ok: false, error: `Operation ${operation} needs number values` };
  switch (operation) {
    case 'over-write': case 'set': return { ok: true, value };
    case 'clear': return { ok: true, value: emptyLike(current) };
    case 'append': return Array.isArray(current) ? { ok: true, value: [...(current as unknown[]), value] } : { ok: false, error: 'Operation append needs an array variable' };
    case 'extend':
      return Array.isArray(current) && Array.isArray(value) ? { ok: true, value: [...(current as unknown[]), ...(value as unknown[])] } : { ok: false, error: 'Operation extend needs array values' };
    case 'remove-first': return Array.isArray(current) ? { ok: true, value: current.slice(1) } : { ok: false, error: 'Operation remove-first needs an array variable' };
    case 'remove-last': return Array.isArray(current) ? { ok: true, value: current.slice(0, -1) } : { ok: false, error: 'Operation remove-last needs an array variable' };
    case '+=': return numeric((a, b) => a + b);
    case '-=': return numeric((a, b) => a - b);
    case '*=': return numeric((a, b) => a * b);
    case '/=': return value === 0 ? { ok: false, error: 'Division by zero' } : numeric((a, b) => a / b);
  }
  return { ok: false, error: `Unsupported operation: ${operation}` };
}

function write(pool: VariablePool, selector: string[], operation: string, value: unknown, conversation: Record<string, unknown>): string | null {
  const current = lookup(pool, selector);
  if (!current.found) return `Variable ${selector.join('.')} not found`;
  const next = applyOperation(operation, current.value, value);
  if (!next.ok) return next.error;
  assign(pool, selector, next.value);
  if (selector[0] === 'conversation' && selector[1] !== undefined) conversation[selector[1]] = next.value;
  return null;
}

/** v2 (`items`) and v1 (`assigned_variable_selector` + `write_mode`) variable assigners. */
export const assigner: NodeHandler = (node, ctx): NodeOutcome => {
  const conversation = ctx.pool.get('conversation') ?? {};
  const updates: Record<string, unknown> = {};
  const items = Array.isArray(node.data.items)
    ? node.data.items.filter(isRecord)
    : [{ variable_selector: node.data.assigned_variable_selector, operation: node.data.write_mode, input_type: 'variable', value: node.data.input_variable_selector }];
  for (const item of items) {
    if (!isSelector(item.variable_selector)) return { status: 'failed', error: 'Assigner item has no variable selector' };
    let value: unknown = item.value;
    if (item.input_type === 'variable' && item.operation !== 'clear' && !str(item.operation).startsWith('remove-')) {
      if (!isSelector(item.value)) return { status: 'failed', error: 'Assigner input variable is missing' };
      const found = lookup(ctx.pool, item.value);
      if (!found.found) return { status: 'failed', error: `Variable ${item.value.join('.')} not found` };
      value = found.value;
    }
    const error = write(ctx.pool, item.variable_selector, str(item.operation, 'over-write'), value, conversation);
    if (error) return { status: 'failed', error };
    const written = lookup(ctx.pool, item.variable_selector);
    updates[item.variable_selector.join('.')] = written.found ? written.value : null;
  }
  return { status: 'succeeded', outputs: {}, inputs: updates };
};
