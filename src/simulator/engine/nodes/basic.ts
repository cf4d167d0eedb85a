// Start, end, answer and template-transform nodes, plus the pass-through node types
// (iteration-start, loop-start, trigger-*, datasource, knowledge-index, human-input).

import type { NodeHandler, NodeOutcome } from '../context.js';
import { JinjaError, renderJinja } from '../jinja/render.js';
import { splitTemplate } from '../template.js';
import { isRecord, isSelector, lookup, type VariablePool } from '../variable-pool.js';

export const MAX_TEMPLATE_OUTPUT = 400_000;

export const start: NodeHandler = (_node, ctx) => {
  const inputs = { ...ctx.inputs };
  return { status: 'succeeded', inputs, outputs: inputs };
};

/** Trigger roots expose the run inputs (webhook payload); schedule/plugin triggers have none declared. */
export const trigger: NodeHandler = start;

export const passThrough: NodeHandler = () => ({ status: 'succeeded', outputs: {} });

export const end: NodeHandler = (node, ctx) => {
  const outputs: Record<string, unknown> = {};
  for (const item of Array.isArray(node.data.outputs) ? node.data.outputs : []) {
    if (!isRecord(item) || typeof item.variable !== 'string') continue;
    const found = isSelector(item.value_selector) ? lookup(ctx.pool, item.value_selector) : { found: false as const };
    outputs[item.variable] = found.found ? found.value : null;
  }
  Object.assign(ctx.endOutputs, outputs);
  return { status: 'succeeded', inputs: outputs, outputs };
};

/** Answer nodes stream their template part by part (variables carry their selector). */
export const answer: NodeHandler = (node, ctx) => {
  const template = typeof node.data.answer === 'string' ? node.data.answer : '';
  let text = '';
  for (const part of splitTemplate(template, ctx.pool)) {
    if (part.text === '') continue;
    text += part.text;
    const selector = part.kind === 'variable' ? part.selector : null;
    if (ctx.mode === 'advanced-chat') ctx.events.push({ type: 'message', answer: part.text, fromVariableSelector: selector });
    else ctx.events.push({ type: 'text_chunk', text: part.text, fromVariableSelector: selector ?? [node.id, 'answer'] });
  }
  ctx.answer += text;
  return { status: 'succeeded', outputs: { answer: text, files: [] } };
};

/** Values of a node's `variables: [{variable, value_selector}]` list (missing → null, as Dify's None). */
export function selectorVariables(raw: unknown, pool: VariablePool): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const item of Array.isArray(raw) ? raw : []) {
    if (!isRecord(item) || typeof item.variable !== 'string') continue;
    const found = isSelector(item.value_selector) ? lookup(pool, item.value_selector) : { found: false as const };
    values[item.variable] = found.found ? found.value : null;
  }
  return values;
}

export function renderJinjaOutcome(template: string, variables: Record<string, unknown>): { ok: true; text: string } | { ok: false; error: string } {
  try {
    return { ok: true, text: renderJinja(template, variables) };
  } catch (error) {
    if (error instanceof JinjaError) return { ok: false, error: `Template error: ${error.message}` };
    throw error;
  }
}

export const templateTransform: NodeHandler = (node, ctx): NodeOutcome => {
  const variables = selectorVariables(node.data.variables, ctx.pool);
  const template = typeof node.data.template === 'string' ? node.data.template : '';
  const rendered = renderJinjaOutcome(template, variables);
  if (!rendered.ok) return { status: 'failed', error: rendered.error, inputs: variables };
  if (rendered.text.length > MAX_TEMPLATE_OUTPUT) {
    return { status: 'failed', error: `Output length exceeds ${MAX_TEMPLATE_OUTPUT} characters`, inputs: variables };
  }
  return { status: 'succeeded', inputs: variables, outputs: { output: rendered.text } };
};

/** Human input cannot pause a simulated run: the first user action is taken, with empty form fields. */
export const humanInput: NodeHandler = (node) => {
  const actions = Array.isArray(node.data.user_actions) ? node.data.user_actions : [];
  const first = actions.find(isRecord);
  const actionId = first && typeof first.id === 'string' ? first.id : null;
  return {
    status: 'succeeded',
    outputs: { __action_id: actionId },
    ...(actionId === null ? {} : { handle: actionId }),
  };
};
