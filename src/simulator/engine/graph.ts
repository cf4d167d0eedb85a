// Reads a stored Dify graph into nodes and edges the executor can walk. Sticky notes
// (custom-note) are dropped; container children keep their parent id (parentId, or
// data.iteration_id / data.loop_id) so that iteration and loop bodies run as sub-graphs.

import { isRecord, str } from './variable-pool.js';
import type { WorkflowGraph } from './types.js';

export interface GraphNode {
  id: string;
  type: string;
  title: string;
  data: Record<string, unknown>;
  /** Iteration or loop node that contains this node, or null at top level. */
  parentId: string | null;
  /** Position in the stored node list (stable tie-breaking). */
  order: number;
}

export interface GraphEdge {
  source: string;
  target: string;
  sourceHandle: string;
}

export interface ParsedGraph {
  nodes: Map<string, GraphNode>;
  edges: GraphEdge[];
}

export function parseGraph(graph: WorkflowGraph): ParsedGraph {
  const nodes = new Map<string, GraphNode>();
  const rawNodes = Array.isArray(graph.nodes) ? graph.nodes : [];
  rawNodes.forEach((raw, order) => {
    if (!isRecord(raw) || raw.type === 'custom-note') return;
    const data = isRecord(raw.data) ? raw.data : {};
    const id = typeof raw.id === 'string' || typeof raw.id === 'number' ? String(raw.id) : '';
    const type = typeof data.type === 'string' ? data.type : '';
    if (id === '' || type === '') return;
    nodes.set(id, {
      id,
      type,
      title: typeof data.title === 'string' ? data.title : id,
      data,
      parentId: parentOf(raw, data),
      order,
    });
  });
  const edges: GraphEdge[] = [];
  for (const raw of Array.isArray(graph.edges) ? graph.edges : []) {
    if (!isRecord(raw)) continue;
    const source = str(raw.source);
    const target = str(raw.target);
    if (!nodes.has(source) || !nodes.has(target)) continue;
    const handle = typeof raw.sourceHandle === 'string' && raw.sourceHandle !== '' ? raw.sourceHandle : 'source';
    edges.push({ source, target, sourceHandle: handle });
  }
  return { nodes, edges };
}

function parentOf(raw: Record<string, unknown>, data: Record<string, unknown>): string | null {
  for (const candidate of [raw.parentId, data.iteration_id, data.loop_id]) {
    if (typeof candidate === 'string' && candidate !== '') return candidate;
  }
  return null;
}

export const ROOT_TYPES = new Set(['start', 'trigger-webhook', 'trigger-schedule', 'trigger-plugin', 'datasource']);
