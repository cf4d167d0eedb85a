// Environment and conversation variables the way Dify's variable factory and Workflow model treat
// them (contract §5.2): validation messages, number → integer/float, selector auto-fill, the
// [__HIDDEN__] sentinel that keeps a stored value, name-keyed storage (duplicates collapse), and
// the three outward shapes: export, draft GET (secrets masked per era) and env-var GET (plaintext).

import { randomUUID } from 'node:crypto';
import { invalidParam } from '../http/errors.js';
import type { SimProfile } from '../profiles.js';
import type { SimVariable } from '../state.js';

export const HIDDEN_VALUE = '[__HIDDEN__]';
export const FULL_MASK = '*'.repeat(20);

export type VariableKind = 'env' | 'conversation';

const ENV_TYPES = new Set(['string', 'secret', 'number', 'integer', 'float']);
const CONVERSATION_TYPES = new Set([
  'string', 'secret', 'number', 'integer', 'float', 'boolean', 'object',
  'array[string]', 'array[number]', 'array[object]', 'array[boolean]',
]);

/** Dify's VariableError / pydantic failures are ValueErrors: 400 invalid_param, or an import's `error`. */
export class VariableError extends Error {}

export function buildVariable(mapping: unknown, kind: VariableKind): SimVariable {
  if (typeof mapping !== 'object' || mapping === null || Array.isArray(mapping)) {
    throw new VariableError(`'${pythonTypeOf(mapping)}' object has no attribute 'get'`);
  }
  const m = mapping as Record<string, unknown>;
  if (typeof m.name !== 'string' || m.name === '') throw new VariableError('missing name');
  const valueType = m.value_type;
  if (valueType === undefined || valueType === null) throw new VariableError('missing value type');
  const value = m.value;
  if (value === undefined || value === null) throw new VariableError('missing value');
  const allowed = kind === 'env' ? ENV_TYPES : CONVERSATION_TYPES;
  const type = typeof valueType === 'string' ? valueType : JSON.stringify(valueType);
  if (!allowed.has(type)) throw new VariableError(`not supported value type ${type}`);
  const storedType = checkValue(type, value);
  if (m.id === '' && kind === 'env') throw new VariableError('environment variable require a unique id');
  const selector = Array.isArray(m.selector) && m.selector.length > 0 ? m.selector.map(String) : [kind === 'env' ? 'env' : 'conversation', m.name];
  return {
    id: typeof m.id === 'string' && m.id !== '' ? m.id : randomUUID(),
    name: m.name,
    description: typeof m.description === 'string' ? m.description : '',
    selector,
    value_type: storedType,
    value,
  };
}

/** Returns the stored value_type; JS cannot tell 3.0 from 3, so `float` accepts integral numbers. */
function checkValue(type: string, value: unknown): string {
  const fail = (cls: string, expected: string): never => {
    throw new VariableError(`1 validation error for ${cls}\nvalue\n  Input should be a valid ${expected} [type=${expected}_type, input_type=${pythonTypeOf(value)}]`);
  };
  switch (type) {
    case 'string':
      return typeof value === 'string' ? type : fail('StringVariable', 'string');
    case 'secret':
      return typeof value === 'string' ? type : fail('SecretVariable', 'string');
    case 'number':
      if (typeof value !== 'number') throw new VariableError(`invalid number value ${pythonRepr(value)}`);
      return Number.isInteger(value) ? 'integer' : 'float';
    case 'integer':
      if (typeof value === 'number' && Number.isInteger(value)) return 'integer';
      throw new VariableError(`not supported value type ${type}`);
    case 'float':
      if (typeof value === 'number') return 'float';
      throw new VariableError(`not supported value type ${type}`);
    case 'boolean':
      return typeof value === 'boolean' ? type : fail('BooleanVariable', 'boolean');
    case 'object':
      if (typeof value === 'object' && value !== null && !Array.isArray(value)) return type;
      throw new VariableError(`not supported value type ${type}`);
    default:
      if (Array.isArray(value)) return type;
      throw new VariableError(`not supported value type ${type}`);
  }
}

/**
 * The Workflow model's setter: a [__HIDDEN__] value whose id matches a stored variable keeps the
 * stored variable (only the name is taken from the input); then variables are keyed by name, so
 * a repeated name keeps its first position and its last value.
 */
export function mergeVariables(incoming: SimVariable[], stored: SimVariable[]): SimVariable[] {
  const byId = new Map(stored.map((v) => [v.id, v]));
  const resolved = incoming.map((v) => {
    const old = byId.get(v.id);
    return old && v.value === HIDDEN_VALUE ? { ...structuredClone(old), name: v.name } : v;
  });
  const byName = new Map<string, SimVariable>();
  for (const v of resolved) byName.set(v.name, v);
  return [...byName.values()];
}

/** Draft sync in ≥1.13.3: a secret equal to the 20-asterisk mask becomes [__HIDDEN__]. */
export function normaliseMaskedSecrets(mappings: unknown[]): unknown[] {
  return mappings.map((m) => {
    if (typeof m !== 'object' || m === null) return m;
    const r = m as Record<string, unknown>;
    return r.value_type === 'secret' && r.value === FULL_MASK ? { ...r, value: HIDDEN_VALUE } : m;
  });
}

export function buildVariables(mappings: unknown, kind: VariableKind): SimVariable[] {
  if (mappings === undefined || mappings === null) return [];
  if (!Array.isArray(mappings)) throw invalidParam(`${kind === 'env' ? 'environment' : 'conversation'}_variables must be a list`);
  return mappings.map((m) => buildVariable(m, kind));
}

/** Console GET shapes expose integer/float as `number`. */
export function exposedType(valueType: string): string {
  return valueType === 'integer' || valueType === 'float' ? 'number' : valueType;
}

export function maskSecret(value: unknown, profile: SimProfile): string {
  if (profile.secretMask === 'asterisks') return FULL_MASK;
  const text = typeof value === 'string' ? value : String(value);
  return text.length <= 8 ? FULL_MASK : `${text.slice(0, 6)}${'*'.repeat(12)}${text.slice(-2)}`;
}

/** `environment_variables` item of the draft/published Workflow object. */
export function draftEnvView(v: SimVariable, profile: SimProfile): Record<string, unknown> {
  if (v.value_type === 'secret') {
    return { id: v.id, name: v.name, value: maskSecret(v.value, profile), value_type: 'secret', description: v.description };
  }
  return { id: v.id, name: v.name, value: v.value, value_type: exposedType(v.value_type), description: v.description };
}

export function conversationView(v: SimVariable): Record<string, unknown> {
  return { id: v.id, name: v.name, value_type: exposedType(v.value_type), value: v.value, description: v.description };
}

/** Export shape (`model_dump(mode="json")`); secrets blanked unless include_secret. */
export function exportVariable(v: SimVariable, profile: SimProfile, includeSecret: boolean): Record<string, unknown> {
  const numeric = v.value_type === 'integer' || v.value_type === 'float';
  return {
    id: v.id,
    name: v.name,
    description: v.description,
    selector: v.selector,
    value_type: numeric && profile.numericEnvExport === 'number' ? 'number' : v.value_type,
    value: v.value_type === 'secret' && !includeSecret ? '' : v.value,
  };
}

export function pythonTypeOf(value: unknown): string {
  if (value === null || value === undefined) return 'NoneType';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return Number.isInteger(value) ? 'int' : 'float';
  if (typeof value === 'string') return 'str';
  if (Array.isArray(value)) return 'list';
  return 'dict';
}

function pythonRepr(value: unknown): string {
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}
