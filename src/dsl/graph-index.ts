// An index over a workflow graph that the lint rules share: nodes by id, edges, and container
// (iteration/loop) membership. Built once per lint run.

import { isRecord, type DslDocument, type DslEdge, type DslNode, type JsonPath } from './types.js';

export interface IndexedNode {
  node: DslNode;
  index: number;
  path: JsonPath;
  /** data.type, when it is a string. */
  type: string | undefined;
  /** Id of the iteration or loop the node sits in, if any. */
  parent: string | undefined;
}

export interface IndexedEdge {
  edge: DslEdge;
  index: number;
  path: JsonPath;
}

export interface GraphIndex {
  nodes: IndexedNode[];
  /** First node with each id. */
  byId: ReadonlyMap<string, IndexedNode>;
  edges: IndexedEdge[];
}

export const TRIGGER_TYPES: ReadonlySet<string> = new Set(['trigger-webhook', 'trigger-schedule', 'trigger-plugin']);
export const CONTAINER_TYPES: ReadonlySet<string> = new Set(['iteration', 'loop']);
export const LLM_FAMILY: ReadonlySet<string> = new Set(['llm', 'question-classifier', 'parameter-extractor']);

export function indexGraph(dsl: DslDocument): GraphIndex {
  const base: JsonPath = ['workflow', 'graph'];
  const nodes = (dsl.workflow?.graph?.nodes ?? []).map((node, index) => ({
    node,
    index,
    path: [...base, 'nodes', index],
    type: typeof node.data.type === 'string' ? node.data.type : undefined,
    parent: parentOf(node),
  }));
  const byId = new Map<string, IndexedNode>();
  for (const n of nodes) if (!byId.has(n.node.id)) byId.set(n.node.id, n);
  const edges = (dsl.workflow?.graph?.edges ?? []).map((edge, index) => ({ edge, index, path: [...base, 'edges', index] }));
  return { nodes, byId, edges };
}

/** Sticky notes: the engine skips them (contract §5.3). */
export function isNote(n: IndexedNode): boolean {
  return n.node.type === 'custom-note' || (n.type === '' && n.node.type !== 'custom');
}

function parentOf(node: DslNode): string | undefined {
  if (typeof node.parentId === 'string' && node.parentId !== '') return node.parentId;
  const data = node.data;
  if (data.isInIteration === true && typeof data.iteration_id === 'string') return data.iteration_id;
  if (data.isInLoop === true && typeof data.loop_id === 'string') return data.loop_id;
  return undefined;
}

/** Edge source handle as the engine reads it (default `source`). */
export function handleOf(edge: DslEdge): string {
  return typeof edge.sourceHandle === 'string' && edge.sourceHandle !== '' ? edge.sourceHandle : 'source';
}

export function recordAt(value: unknown, ...keys: string[]): Record<string, unknown> | undefined {
  let cur: unknown = value;
  for (const key of keys) cur = isRecord(cur) ? cur[key] : undefined;
  return isRecord(cur) ? cur : undefined;
}
