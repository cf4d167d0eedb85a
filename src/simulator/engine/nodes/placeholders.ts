// Node types whose real work (sandboxed code, outbound HTTP, plugins, datasets, files) the
// simulator does not perform. Each returns a deterministic result of its declared shape, so a
// graph keeps flowing: code → declared outputs with type defaults; http-request → 200 with an
// empty body; tool → empty text/files/json; knowledge-retrieval → no results; document-extractor
// → empty text. list-operator really filters, sorts, limits and extracts its input array.

import { ConditionError, compare } from '../conditions.js';
import type { NodeHandler } from '../context.js';
import { isRecord, isSelector, lookup, str } from '../variable-pool.js';

export function defaultForType(type: unknown): unknown {
  const t = typeof type === 'string' ? type : 'string';
  if (t.startsWith('array')) return [];
  if (t === 'number' || t === 'integer' || t === 'float') return 0;
  if (t === 'boolean') return false;
  if (t === 'object') return {};
  return '';
}

export const code: NodeHandler = (node) => {
  const outputs: Record<string, unknown> = {};
  const declared = isRecord(node.data.outputs) ? node.data.outputs : {};
  for (const [name, spec] of Object.entries(declared)) outputs[name] = defaultForType(isRecord(spec) ? spec.type : undefined);
  return { status: 'succeeded', outputs };
};

export const httpRequest: NodeHandler = () => ({
  status: 'succeeded',
  outputs: { status_code: 200, body: '', headers: {}, files: [] },
});

export const tool: NodeHandler = () => ({ status: 'succeeded', outputs: { text: '', files: [], json: [] } });

export const knowledgeRetrieval: NodeHandler = () => ({ status: 'succeeded', outputs: { result: [] } });

export const documentExtractor: NodeHandler = (node, ctx) => {
  const found = isSelector(node.data.variable_selector) ? lookup(ctx.pool, node.data.variable_selector) : { found: false as const };
  const isList = found.found && Array.isArray(found.value);
  return { status: 'succeeded', outputs: { text: isList ? (found.value as unknown[]).map(() => '') : '' } };
};

function keyed(item: unknown, key: unknown): unknown {
  return typeof key === 'string' && key !== '' && isRecord(item) ? item[key] : item;
}

export const listOperator: NodeHandler = (node, ctx) => {
  const data = node.data;
  const found = isSelector(data.variable) ? lookup(ctx.pool, data.variable) : { found: false as const };
  if (!found.found) return { status: 'failed', error: `Variable ${isSelector(data.variable) ? data.variable.join('.') : '?'} not found` };
  if (!Array.isArray(found.value)) return { status: 'failed', error: 'Input variable is not an array' };
  let items: unknown[] = [...(found.value as unknown[])];
  const filter = isRecord(data.filter_by) ? data.filter_by : {};
  try {
    if (filter.enabled === true && Array.isArray(filter.conditions)) {
      for (const c of filter.conditions.filter(isRecord)) {
        items = items.filter((item) => compare(str(c.comparison_operator), keyed(item, c.key), c.value ?? null));
      }
    }
  } catch (error) {
    if (error instanceof ConditionError) return { status: 'failed', error: error.message };
    throw error;
  }
  const order = isRecord(data.order_by) ? data.order_by : {};
  if (order.enabled === true) {
    const direction = order.value === 'desc' ? -1 : 1;
    items.sort((a, b) => {
      const x = keyed(a, order.key);
      const y = keyed(b, order.key);
      return (typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y))) * direction;
    });
  }
  const extract = isRecord(data.extract_by) ? data.extract_by : {};
  if (extract.enabled === true) {
    const serial = Number(extract.serial ?? 1);
    items = Number.isInteger(serial) && serial >= 1 && serial <= items.length ? [items[serial - 1]] : [];
  }
  const limit = isRecord(data.limit) ? data.limit : {};
  if (limit.enabled === true && typeof limit.size === 'number') items = items.slice(0, Math.max(0, limit.size));
  return { status: 'succeeded', outputs: { result: items, first_record: items[0] ?? null, last_record: items.at(-1) ?? null } };
};
