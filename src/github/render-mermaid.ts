// A Mermaid flowchart of one app's workflow graph for the PR comment, coloured by what the plan
// changes: nodes and edges of the desired DSL, plus the nodes and edges the diff removes (taken
// from the diff, which carries their titles and endpoints from the live side). Pure.
//
// Mermaid is picky and GitHub renders whatever we write, so the output keeps to a small subset:
// node ids are our own (`n_` + a sanitised Dify id, never a keyword such as `end`), every label is
// a quoted string whose risky characters are Mermaid entity codes (`#quot;`, `#35;`, …), and big
// graphs are cut down to the changed nodes and their neighbours, with a note saying so.

import type { DslChange, DslDiff, DslDocument, DslEdge, DslNode } from '../dsl/index.js';
import { edgesOf, nodesOf } from '../dsl/index.js';

export type GraphStatus = 'added' | 'changed' | 'removed' | 'unchanged';

export interface MermaidOptions {
  /** More nodes than this: only changed nodes and their neighbours are drawn (default 60). */
  maxNodes?: number;
  /** More edges than this among the drawn nodes: the rest are left out (default 150). */
  maxEdges?: number;
  /** Characters of a title kept in a label (default 60). */
  maxLabel?: number;
}

export interface MermaidGraph {
  /** The flowchart source, without the ```mermaid fence. */
  source: string;
  /** Set when the graph was cut down: what was left out, for a line under the diagram. */
  note: string | undefined;
  nodes: { shown: number; total: number };
  edges: { shown: number; total: number };
}

interface GraphNode {
  id: string;
  title: string;
  type: string;
  status: GraphStatus;
}

interface GraphEdge {
  source: string;
  target: string;
  handle: string;
  status: 'added' | 'removed' | 'unchanged';
}

/** Fill, stroke and text colours GitHub's light and dark themes both read well. */
export const CLASS_DEFS: Record<GraphStatus, string> = {
  added: 'fill:#dafbe1,stroke:#1a7f37,color:#0f5323',
  changed: 'fill:#fff8c5,stroke:#9a6700,color:#4d2d00',
  removed: 'fill:#ffebe9,stroke:#cf222e,color:#82071e,stroke-dasharray: 5 5',
  unchanged: 'fill:#f6f8fa,stroke:#8c959f,color:#57606a',
};

const ARROWS: Record<GraphEdge['status'], string> = { added: '==>', removed: '-.->', unchanged: '-->' };

/**
 * @param desired the desired DSL (any form: as in git, rendered or normalised); null when unknown,
 *   in which case only the nodes and edges the diff mentions are drawn.
 */
export function renderMermaid(desired: DslDocument | null, diff: DslDiff, options: MermaidOptions = {}): MermaidGraph {
  const maxNodes = options.maxNodes ?? 60;
  const maxEdges = options.maxEdges ?? 150;
  const { nodes, edges } = collectGraph(desired, diff);

  let shownNodes = nodes;
  const notes: string[] = [];
  if (nodes.length > maxNodes) {
    shownNodes = neighbourhood(nodes, edges, maxNodes);
    notes.push(`${shownNodes.length} of ${nodes.length} nodes shown (changed nodes and their neighbours first)`);
  }
  const shownIds = new Set(shownNodes.map((n) => n.id));
  const candidateEdges = edges.filter((e) => shownIds.has(e.source) && shownIds.has(e.target));
  // Changes first, so a cut never hides what the plan is about.
  const ordered = [...candidateEdges.filter((e) => e.status !== 'unchanged'), ...candidateEdges.filter((e) => e.status === 'unchanged')];
  const shownEdges = ordered.slice(0, maxEdges);
  if (ordered.length > maxEdges) notes.push(`${maxEdges} of ${ordered.length} edges shown`);

  const ids = mermaidIds(shownNodes.map((n) => n.id));
  const maxLabel = options.maxLabel ?? 60;
  const lines = ['flowchart LR'];
  for (const node of shownNodes) lines.push(`  ${ids.get(node.id)!}["${escapeMermaidLabel(nodeLabel(node, maxLabel))}"]`);
  for (const edge of shownEdges) {
    const label = edge.handle === 'source' ? '' : `|"${escapeMermaidLabel(truncate(edge.handle, 30))}"|`;
    lines.push(`  ${ids.get(edge.source)!} ${ARROWS[edge.status]}${label} ${ids.get(edge.target)!}`);
  }
  for (const status of Object.keys(CLASS_DEFS) as GraphStatus[]) lines.push(`  classDef ${status} ${CLASS_DEFS[status]}`);
  for (const status of Object.keys(CLASS_DEFS) as GraphStatus[]) {
    const members = shownNodes.filter((n) => n.status === status).map((n) => ids.get(n.id)!);
    if (members.length > 0) lines.push(`  class ${members.join(',')} ${status}`);
  }
  return {
    source: lines.join('\n'),
    note: notes.length === 0 ? undefined : `${notes.join('; ')}.`,
    nodes: { shown: shownNodes.length, total: nodes.length },
    edges: { shown: shownEdges.length, total: edges.length },
  };
}

/** Desired nodes and edges, classified by the diff, plus what the diff removes. */
function collectGraph(desired: DslDocument | null, diff: DslDiff): { nodes: GraphNode[]; edges: GraphEdge[] } {
  const nodeChanges = new Map<string, DslChange>();
  for (const change of diff.changes) if (change.subject === 'node') nodeChanges.set(change.key, change);

  const nodes = new Map<string, GraphNode>();
  for (const node of desired === null ? [] : nodesOf(desired)) {
    if (isNote(node) || typeof node.id !== 'string' || nodes.has(node.id)) continue;
    const change = nodeChanges.get(node.id);
    const status: GraphStatus = change === undefined ? 'unchanged' : change.kind === 'removed' ? 'changed' : change.kind;
    nodes.set(node.id, { id: node.id, title: stringOr(node.data.title, node.id), type: stringOr(node.data.type, 'node'), status });
  }
  // Removed nodes come from the diff (it read them from the live side); added or changed nodes
  // missing from `desired` (none given) too.
  for (const change of nodeChanges.values()) {
    if (nodes.has(change.key) || change.nodeType === '' || (change.kind !== 'removed' && desired !== null)) continue;
    nodes.set(change.key, { id: change.key, title: change.title ?? change.key, type: change.nodeType ?? 'node', status: change.kind });
  }

  const edges = new Map<string, GraphEdge>();
  const addEdge = (edge: GraphEdge): void => {
    const key = `${edge.source}\u0000${edge.handle}\u0000${edge.target}`;
    if (!edges.has(key) && nodes.has(edge.source) && nodes.has(edge.target)) edges.set(key, edge);
  };
  const addedEdges = new Set<string>();
  for (const change of diff.changes) {
    if (change.subject !== 'edge' || change.edge === undefined) continue;
    const { source, sourceHandle, target, previousTarget } = change.edge;
    if (change.kind === 'removed') addEdge({ source, target, handle: sourceHandle, status: 'removed' });
    if (change.kind === 'added' || previousTarget !== undefined) addedEdges.add(`${source}\u0000${sourceHandle}\u0000${target}`);
    if (previousTarget !== undefined) addEdge({ source, target: previousTarget, handle: sourceHandle, status: 'removed' });
    if (desired === null && change.kind !== 'removed') addEdge({ source, target, handle: sourceHandle, status: 'added' });
  }
  for (const edge of desired === null ? [] : edgesOf(desired)) {
    const handle = handleOf(edge);
    const added = addedEdges.has(`${edge.source}\u0000${handle}\u0000${edge.target}`);
    addEdge({ source: edge.source, target: edge.target, handle, status: added ? 'added' : 'unchanged' });
  }
  return { nodes: [...nodes.values()], edges: [...edges.values()] };
}

/** Changed nodes first, then their neighbours, then the rest, up to `max`; in graph order. */
function neighbourhood(nodes: readonly GraphNode[], edges: readonly GraphEdge[], max: number): GraphNode[] {
  const changed = new Set(nodes.filter((n) => n.status !== 'unchanged').map((n) => n.id));
  const near = new Set<string>();
  for (const edge of edges) {
    if (changed.has(edge.source)) near.add(edge.target);
    if (changed.has(edge.target)) near.add(edge.source);
  }
  const rank = (n: GraphNode): number => (changed.has(n.id) ? 0 : near.has(n.id) ? 1 : 2);
  const keep = new Set([...nodes].sort((a, b) => rank(a) - rank(b)).slice(0, max).map((n) => n.id));
  return nodes.filter((n) => keep.has(n.id));
}

/**
 * `n_` + the Dify id with anything but letters, digits and `_` replaced; a numeric suffix keeps
 * two ids that sanitise alike apart. The prefix keeps ids off Mermaid's keywords (`end`,
 * `subgraph`, `class`) and off the `o`/`x` edge-head letters.
 */
export function mermaidIds(difyIds: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  const used = new Set<string>();
  for (const id of difyIds) {
    if (out.has(id)) continue;
    const base = `n_${id.replace(/[^A-Za-z0-9_]/g, '_')}`;
    let candidate = base;
    for (let i = 2; used.has(candidate); i++) candidate = `${base}_${i}`;
    used.add(candidate);
    out.set(id, candidate);
  }
  return out;
}

const ENTITIES: Record<string, string> = { '"': '#quot;', '#': '#35;', '&': '#amp;', '<': '#lt;', '>': '#gt;' };

/**
 * Text safe inside a quoted Mermaid label `["…"]`: quotes, `#` (which starts an entity), brackets,
 * braces, parentheses, pipes, backticks (which would open a Markdown string, or close the comment's
 * code fence), semicolons and HTML-significant characters become entity codes; newlines, tabs and
 * other control characters become spaces.
 */
export function escapeMermaidLabel(text: string): string {
  return text
    .replace(/\p{Cc}|[\u2028\u2029]/gu, ' ')
    .replace(/ {2,}/g, ' ')
    .replace(/["#&<>[\](){}|`;\\*_~]/g, (ch) => ENTITIES[ch] ?? `#${ch.codePointAt(0)!};`);
}

function nodeLabel(node: GraphNode, maxLabel: number): string {
  const title = truncate(node.title.trim() === '' ? node.id : node.title, maxLabel);
  return `${title} (${truncate(node.type, 40)})`;
}

function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

function isNote(node: DslNode): boolean {
  return node.type === 'custom-note' || node.data?.type === '';
}

function handleOf(edge: DslEdge): string {
  return typeof edge.sourceHandle === 'string' && edge.sourceHandle !== '' ? edge.sourceHandle : 'source';
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' && value !== '' ? value : fallback;
}
