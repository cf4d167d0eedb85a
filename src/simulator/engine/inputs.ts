// Start-node input validation with Dify's messages (base_app_generator._validate_inputs) and the
// old-style `user_input_form` list that /v1/parameters returns (contract §8.5).

import { parseGraph } from './graph.js';
import type { WorkflowGraph } from './types.js';
import { isRecord, str } from './variable-pool.js';

export type InputValidation = { ok: true; inputs: Record<string, unknown> } | { ok: false; message: string };

/** Declared variables of the graph's start node (`data.variables`), or []. */
export function startVariables(graph: WorkflowGraph): Record<string, unknown>[] {
  for (const node of parseGraph(graph).nodes.values()) {
    if (node.type === 'start' && node.parentId === null) {
      return (Array.isArray(node.data.variables) ? node.data.variables : []).filter(isRecord);
    }
  }
  return [];
}

/** `[{"text-input": {...variable}}]`, as Workflow.user_input_form(to_old_structure=True). */
export function buildUserInputForm(variables: readonly Record<string, unknown>[]): Record<string, unknown>[] {
  return variables.map((v) => ({ [str(v.type, 'text-input')]: v }));
}

/** The reverse, for chat/completion apps whose model_config carries the old-style list. */
export function variablesFromUserInputForm(form: unknown): Record<string, unknown>[] {
  const variables: Record<string, unknown>[] = [];
  for (const item of Array.isArray(form) ? form : []) {
    if (!isRecord(item)) continue;
    const [type, config] = Object.entries(item)[0] ?? [];
    if (type !== undefined && isRecord(config)) variables.push({ ...config, type: str(config.type, type) });
  }
  return variables;
}

function pyList(values: readonly unknown[]): string {
  return `[${values.map((v) => (typeof v === 'string' ? `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'` : JSON.stringify(v))).join(', ')}]`;
}

function validateOne(variable: Record<string, unknown>, raw: unknown): { ok: true; value: unknown } | { ok: false; message: string } {
  const name = str(variable.variable);
  const type = str(variable.type, 'text-input');
  const maxLength = typeof variable.max_length === 'number' ? variable.max_length : 0;
  let value = raw;
  if (value === undefined || value === null) {
    if (variable.required === true) return { ok: false, message: `${name} is required in input form` };
    value = variable.default;
    if (value === undefined || value === null) return { ok: true, value: null };
  }
  if ((type === 'file' || type === 'file-list') && variable.required !== true && value === '') return { ok: true, value: null };
  if ((type === 'text-input' || type === 'select' || type === 'paragraph') && typeof value !== 'string') {
    return { ok: false, message: `(type '${type}') ${name} in input form must be a string` };
  }
  switch (type) {
    case 'number': {
      if (typeof value === 'number') return { ok: true, value };
      if (typeof value === 'string') {
        if (value.trim() === '') return { ok: true, value: null };
        const n = Number(value);
        if (Number.isNaN(n) || (!value.includes('.') && !/^\s*[+-]?\d+\s*$/.test(value))) {
          return { ok: false, message: `${name} in input form must be a valid number` };
        }
        return { ok: true, value: n };
      }
      return { ok: false, message: `${name} in input form must be a valid number` };
    }
    case 'select': {
      const options = Array.isArray(variable.options) ? variable.options : [];
      if (!options.includes(value)) return { ok: false, message: `${name} in input form must be one of the following: ${pyList(options)}` };
      return { ok: true, value };
    }
    case 'text-input':
    case 'paragraph':
      if (maxLength > 0 && [...(value as string)].length > maxLength) {
        return { ok: false, message: `${name} in input form must be less than ${maxLength} characters` };
      }
      return { ok: true, value: (value as string).replace(/\0/g, '') };
    case 'file':
      return isRecord(value) ? { ok: true, value } : { ok: false, message: `${name} in input form must be a file` };
    case 'file-list':
      if (!Array.isArray(value) || !value.every(isRecord)) return { ok: false, message: `${name} in input form must be a list of files` };
      if (maxLength > 0 && value.length > maxLength) return { ok: false, message: `${name} in input form must be less than ${maxLength} files` };
      return { ok: true, value };
    case 'checkbox':
      return { ok: true, value: toCheckbox(value) };
    case 'json_object':
      if (value && !isRecord(value)) return { ok: false, message: `${name} in input form must be a dict` };
      return { ok: true, value };
  }
  return { ok: true, value };
}

function toCheckbox(value: unknown): unknown {
  if (typeof value === 'string') {
    const v = value.trim().toLowerCase();
    if (['true', '1', 'yes', 'on'].includes(v)) return true;
    if (['false', '0', 'no', 'off'].includes(v)) return false;
  }
  if (value === 1) return true;
  if (value === 0) return false;
  return value;
}

/** Validates `inputs` against the declared variables; only declared variables are kept. */
export function validateInputs(variables: readonly Record<string, unknown>[], inputs: unknown): InputValidation {
  const given = isRecord(inputs) ? inputs : {};
  const result: Record<string, unknown> = {};
  for (const variable of variables) {
    const name = str(variable.variable);
    if (name === '') continue;
    const checked = validateOne(variable, Object.hasOwn(given, name) ? given[name] : undefined);
    if (!checked.ok) return checked;
    result[name] = checked.value;
  }
  return { ok: true, inputs: result };
}
