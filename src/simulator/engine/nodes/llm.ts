// LLM-family nodes through the stub model: llm, question-classifier, parameter-extractor and
// agent. Each renders its prompt, calls the stub model and shapes Dify's outputs.

import { jsonrepair } from 'jsonrepair';
import type { NodeHandler } from '../context.js';
import type { PromptMessage } from '../stub-model.js';
import { renderTemplate } from '../template.js';
import { isRecord, isSelector, lookup, str, toText } from '../variable-pool.js';
import { callModel, llmMessages, promptInputs, usageOutput } from './prompt.js';

/**
 * With structured output on and no RESPOND directive, the stub answers the schema's type defaults
 * as JSON (a real model would answer JSON too); a RESPOND reply that is not JSON fails the node.
 */
export const llm: NodeHandler = (node, ctx) => {
  const built = llmMessages(node.data, ctx);
  if (!built.ok) return { status: 'failed', error: built.error };
  const reply = callModel(node.data.model, built.messages, ctx);
  if (!reply.ok) return { ...reply.outcome, inputs: promptInputs(built.messages) };
  const structured = node.data.structured_output_enabled === true || node.data.structured_output_switch_on === true;
  const call = structured && reply.source === 'echo' ? { ...reply, text: JSON.stringify(schemaDefault(schemaOf(node.data.structured_output))) } : reply;
  const outputs: Record<string, unknown> = {
    text: call.text,
    reasoning_content: '',
    usage: usageOutput(call.usage, call.latencyMs),
    finish_reason: 'stop',
  };
  if (structured) {
    const parsed = parseJsonObject(call.text);
    if (parsed === null) {
      return { status: 'failed', error: `Failed to parse structured output: ${call.text}`, usage: call.usage, latencyMs: call.latencyMs };
    }
    outputs.structured_output = parsed;
  }
  if (ctx.mode === 'workflow' && ctx.streamedNodes.has(node.id)) {
    ctx.events.push({ type: 'text_chunk', text: call.text, fromVariableSelector: [node.id, 'text'] });
  }
  return { status: 'succeeded', inputs: promptInputs(built.messages), outputs, usage: call.usage, latencyMs: call.latencyMs };
};

function selectorText(selector: unknown, ctx: Parameters<NodeHandler>[1]): string {
  if (!isSelector(selector)) return '';
  const found = lookup(ctx.pool, selector);
  return found.found ? toText(found.value) : '';
}

/** Picks the class whose name or id equals the reply, else whose name the reply mentions, else the first. */
export const questionClassifier: NodeHandler = (node, ctx) => {
  const classes = (Array.isArray(node.data.classes) ? node.data.classes : []).filter(isRecord).map((c) => ({
    id: str(c.id),
    name: str(c.name),
  }));
  const query = selectorText(node.data.query_variable_selector, ctx);
  const instruction = typeof node.data.instruction === 'string' ? renderTemplate(node.data.instruction, ctx.pool) : '';
  const messages: PromptMessage[] = [
    { role: 'system', text: `Classify the input into one of these categories: ${classes.map((c) => c.name).join(', ')}` },
    ...(instruction ? [{ role: 'system' as const, text: instruction }] : []),
    { role: 'user', text: query },
  ];
  const call = callModel(node.data.model, messages, ctx);
  if (!call.ok) return call.outcome;
  const reply = call.text.trim().toLowerCase();
  const chosen =
    classes.find((c) => c.name.toLowerCase() === reply || c.id.toLowerCase() === reply) ??
    classes.find((c) => c.name !== '' && reply.includes(c.name.toLowerCase())) ??
    classes[0];
  if (!chosen) return { status: 'failed', error: 'Question classifier has no classes' };
  return {
    status: 'succeeded',
    inputs: { query },
    outputs: { class_name: chosen.name, class_id: chosen.id, usage: usageOutput(call.usage, call.latencyMs) },
    handle: chosen.id,
    usage: call.usage,
    latencyMs: call.latencyMs,
  };
};

/** Extracts parameters from the reply parsed as a JSON object, else from the query as JSON. */
export const parameterExtractor: NodeHandler = (node, ctx) => {
  const params = (Array.isArray(node.data.parameters) ? node.data.parameters : []).filter(isRecord);
  const query = selectorText(node.data.query, ctx);
  const instruction = typeof node.data.instruction === 'string' ? renderTemplate(node.data.instruction, ctx.pool) : '';
  const messages: PromptMessage[] = [
    { role: 'system', text: `Extract the parameters ${params.map((p) => str(p.name)).join(', ')} from the input as a JSON object.` },
    ...(instruction ? [{ role: 'system' as const, text: instruction }] : []),
    { role: 'user', text: query },
  ];
  const call = callModel(node.data.model, messages, ctx);
  if (!call.ok) return call.outcome;
  const source = parseJsonObject(call.text, false) ?? parseJsonObject(query, false);
  const outputs: Record<string, unknown> = {};
  let reason: string | null = source === null ? `Failed to parse result: ${call.text}` : null;
  for (const param of params) {
    const name = str(param.name);
    const type = str(param.type, 'string');
    const present = source !== null && Object.hasOwn(source, name) && source[name] !== null;
    if (!present && param.required === true && reason === null) reason = `Parameter ${name} is required`;
    outputs[name] = coerceParameter(present && source ? source[name] : undefined, type, param.options);
  }
  outputs.__is_success = reason === null ? 1 : 0;
  outputs.__reason = reason;
  outputs.__usage = usageOutput(call.usage, call.latencyMs);
  return { status: 'succeeded', inputs: { query }, outputs, usage: call.usage, latencyMs: call.latencyMs };
};

function coerceParameter(value: unknown, type: string, options: unknown): unknown {
  if (type === 'number') {
    const n = typeof value === 'number' ? value : Number(value);
    return value === undefined || Number.isNaN(n) ? 0 : n;
  }
  if (type === 'bool' || type === 'boolean') return value === true || value === 'true' || value === 1;
  if (type.startsWith('array')) return Array.isArray(value) ? value : [];
  if (type === 'select') {
    const allowed = Array.isArray(options) ? options.map(String) : [];
    return typeof value === 'string' && allowed.includes(value) ? value : '';
  }
  return value === undefined ? '' : toText(value);
}

/** Agent nodes run one model call: instruction as system, query (or sys.query) as user. */
export const agent: NodeHandler = (node, ctx) => {
  const params = isRecord(node.data.agent_parameters) ? node.data.agent_parameters : {};
  const text = (key: string): string | null => {
    const param = params[key];
    const value = isRecord(param) ? param.value : undefined;
    return typeof value === 'string' ? renderTemplate(value, ctx.pool) : null;
  };
  const modelParam = params.model;
  const model = isRecord(modelParam) && isRecord(modelParam.value) ? modelParam.value : {};
  const instruction = text('instruction');
  const query = text('query') ?? toText(ctx.pool.get('sys')?.query);
  const messages: PromptMessage[] = [
    ...(instruction ? [{ role: 'system' as const, text: instruction }] : []),
    { role: 'user', text: query },
  ];
  const call = callModel(model, messages, ctx);
  if (!call.ok) return { ...call.outcome, inputs: promptInputs(messages) };
  if (ctx.mode === 'workflow' && ctx.streamedNodes.has(node.id)) {
    ctx.events.push({ type: 'text_chunk', text: call.text, fromVariableSelector: [node.id, 'text'] });
  }
  return {
    status: 'succeeded',
    inputs: promptInputs(messages),
    outputs: { text: call.text, usage: usageOutput(call.usage, call.latencyMs), files: [], json: [] },
    usage: call.usage,
    latencyMs: call.latencyMs,
  };
};

function schemaOf(raw: unknown): unknown {
  return isRecord(raw) && isRecord(raw.schema) ? raw.schema : { type: 'object', properties: {} };
}

/** The type-default value of a JSON schema (objects recurse into their properties). */
export function schemaDefault(schema: unknown): unknown {
  if (!isRecord(schema)) return null;
  switch (schema.type) {
    case 'object': {
      const properties = isRecord(schema.properties) ? schema.properties : {};
      return Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, schemaDefault(v)]));
    }
    case 'array': return [];
    case 'string': return Array.isArray(schema.enum) && typeof schema.enum[0] === 'string' ? schema.enum[0] : '';
    case 'number': case 'integer': return 0;
    case 'boolean': return false;
  }
  return null;
}

/** Parses a JSON object, optionally repairing it first (Dify repairs structured output too). */
export function parseJsonObject(text: string, repair = true): Record<string, unknown> | null {
  const attempts = [text.trim()];
  if (repair) {
    try {
      attempts.push(jsonrepair(text));
    } catch {
      // unrepairable: fall through to "not an object"
    }
  }
  for (const attempt of attempts) {
    try {
      const value: unknown = JSON.parse(attempt);
      if (isRecord(value)) return value;
    } catch {
      // try the next form
    }
  }
  return null;
}
