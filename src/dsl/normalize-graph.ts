// Normalises graph nodes and edges (shallow: the caller deep-copies the result): drops what only the editor reads (contract §5.3, §5.4) and
// what Dify blanks or rewrites on export (§3), so a node that only moved is no change and an
// export compares equal to the file it came from.

import { isRecord, type DslEdge, type DslNode, type DslNodeData } from './types.js';

/** React Flow fields on a node: layout and selection state. */
const NODE_UI_KEYS = new Set([
  'position', 'positionAbsolute', 'width', 'height', 'selected', 'dragging', 'zIndex', 'sourcePosition',
  'targetPosition', 'draggable', 'selectable', 'extent', 'measured', 'resizing', 'focusable', 'deletable',
]);

export type DatasetRef = (id: string) => string;

export function normalizeNode(node: DslNode, datasetRef: DatasetRef): DslNode {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (NODE_UI_KEYS.has(key) || key === 'data') continue;
    out[key] = value;
  }
  out.type = typeof node.type === 'string' ? node.type : 'custom';
  out.data = normalizeNodeData(node.data, datasetRef);
  return out as DslNode;
}

function normalizeNodeData(data: DslNodeData, datasetRef: DatasetRef): DslNodeData {
  const out: Record<string, unknown> = {};
  const type = data.type;
  const container = type === 'iteration' || type === 'loop';
  for (const [key, value] of Object.entries(data)) {
    // `_*` keys are editor state the web client strips before syncing; `selected` is selection.
    if (key.startsWith('_') || key === 'selected') continue;
    if (container && (key === 'width' || key === 'height')) continue;
    if ((key === 'isInIteration' || key === 'isInLoop') && value === false) continue;
    out[key] = value;
  }
  switch (type) {
    case 'trigger-webhook':
      delete out.webhook_url;
      delete out.webhook_debug_url;
      break;
    case 'trigger-plugin':
      delete out.subscription_id;
      break;
    case 'trigger-schedule':
      // Export overwrites data.config with a default; the real schedule is in top-level data fields.
      delete out.config;
      break;
    case 'tool':
      delete out.credential_id;
      break;
    case 'agent':
      out.agent_parameters = withoutToolCredentials(out.agent_parameters);
      break;
    case 'knowledge-retrieval':
      if (Array.isArray(out.dataset_ids)) out.dataset_ids = (out.dataset_ids as unknown[]).map((id) => (typeof id === 'string' ? datasetRef(id) : id));
      break;
  }
  return out;
}

/** A copy of agent_parameters without tools[].credential_id (removed on export since 1.7.0). */
function withoutToolCredentials(parameters: unknown): unknown {
  const tools = isRecord(parameters) && isRecord(parameters.tools) ? parameters.tools.value : undefined;
  if (!Array.isArray(tools)) return parameters;
  const copy = structuredClone(parameters) as { tools: { value: unknown[] } };
  for (const tool of copy.tools.value) if (isRecord(tool)) delete tool.credential_id;
  return copy;
}

/**
 * An edge as the engine reads it: source, source handle (default `source`) and target. Its id
 * becomes `<source>-<sourceHandle>-<target>`, so a rewired edge is keyed by what it connects,
 * not by the editor's id.
 */
export function normalizeEdge(edge: DslEdge): DslEdge {
  const sourceHandle = typeof edge.sourceHandle === 'string' && edge.sourceHandle !== '' ? edge.sourceHandle : 'source';
  return { id: `${edge.source}-${sourceHandle}-${edge.target}`, source: edge.source, sourceHandle, target: edge.target };
}

/** Makes ids unique (`#2`, `#3`… for repeats) and sorts by id. */
export function uniqueById<T extends { id: string }>(items: T[]): T[] {
  const seen = new Map<string, number>();
  const out = items.map((item) => {
    const n = (seen.get(item.id) ?? 0) + 1;
    seen.set(item.id, n);
    return n === 1 ? item : { ...item, id: `${item.id}#${n}` };
  });
  return out.sort((a, b) => compareKeys(a.id, b.id));
}

/** Code-unit order: deterministic and locale-independent. */
export function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
