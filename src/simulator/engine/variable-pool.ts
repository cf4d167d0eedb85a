// The run's variable pool: node outputs keyed by node id plus the `sys`, `env` and `conversation`
// namespaces, addressed by Dify selectors such as ["1754683442688", "result", "field"].

export type VariablePool = Map<string, Record<string, unknown>>;

export type Lookup = { found: true; value: unknown } | { found: false };

export function createPool(seed: {
  sys: Record<string, unknown>;
  env: Record<string, unknown>;
  conversation: Record<string, unknown>;
}): VariablePool {
  const pool: VariablePool = new Map();
  pool.set('sys', { ...seed.sys });
  pool.set('env', { ...seed.env });
  pool.set('conversation', { ...seed.conversation });
  return pool;
}

/** Reads a selector; the path after the variable walks into objects (and array indexes). */
export function lookup(pool: VariablePool, selector: readonly unknown[]): Lookup {
  const [nodeId, name, ...rest] = selector.map((s) => String(s));
  if (nodeId === undefined || name === undefined) return { found: false };
  const scope = pool.get(nodeId);
  if (scope === undefined || !Object.hasOwn(scope, name)) return { found: false };
  let value: unknown = scope[name];
  for (const key of rest) {
    if (Array.isArray(value) && /^\d+$/.test(key)) value = value[Number(key)];
    else if (isRecord(value) && Object.hasOwn(value, key)) value = value[key];
    else return { found: false };
  }
  return { found: true, value };
}

/** Writes a two-part selector [scope, name]; deeper paths are not writable (as in Dify). */
export function assign(pool: VariablePool, selector: readonly unknown[], value: unknown): boolean {
  const [nodeId, name] = selector.map((s) => String(s));
  if (nodeId === undefined || name === undefined || selector.length !== 2) return false;
  const scope = pool.get(nodeId) ?? {};
  scope[name] = value;
  pool.set(nodeId, scope);
  return true;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isSelector(value: unknown): value is string[] {
  return Array.isArray(value) && value.length >= 2 && value.every((s) => typeof s === 'string');
}

/** Text form of a value as Dify's segments print it into templates. */
export function toText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** A config field as a string: strings and numbers as written, anything else → `fallback`. */
export function str(value: unknown, fallback = ''): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return fallback;
}
