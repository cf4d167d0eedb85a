// Lint rules about the shape of the workflow graph: edges, ids, entry and output nodes,
// reachability, cycles and container membership (DSL001–006, 012–014, 020, 021).

import { CONTAINER_TYPES, TRIGGER_TYPES, isNote, type GraphIndex, type IndexedNode } from './graph-index.js';
import type { Finding, LintContext } from './lint-dsl.js';

export function checkGraphStructure(ctx: LintContext): Finding[] {
  const { dsl, graph } = ctx;
  const out: Finding[] = [];
  if (dsl.workflow && dsl.workflow.graph === undefined) {
    const flat = 'nodes' in dsl.workflow || 'edges' in dsl.workflow;
    out.push({
      code: 'DSL021',
      path: ['workflow'],
      message: flat
        ? '`workflow` has `nodes`/`edges` but no `graph`: Dify reads only `workflow.graph.nodes` and `workflow.graph.edges` and would import an empty workflow'
        : '`workflow` has no `graph`: Dify would import an empty workflow',
    });
  }
  const seenNodes = new Set<string>();
  for (const n of graph.nodes) {
    if (seenNodes.has(n.node.id)) {
      out.push({ code: 'DSL002', path: [...n.path, 'id'], message: `node id '${n.node.id}' is used by more than one node` });
    }
    seenNodes.add(n.node.id);
    if (n.type === undefined && n.node.type !== 'custom-note') {
      out.push({ code: 'DSL020', path: [...n.path, 'data'], message: `node '${n.node.id}' has no data.type` });
    }
    if (n.parent !== undefined) {
      const parent = graph.byId.get(n.parent);
      if (!parent || !CONTAINER_TYPES.has(parent.type ?? '')) {
        out.push({
          code: 'DSL014',
          path: n.path,
          message: parent
            ? `node '${n.node.id}' sits inside '${n.parent}', which is a ${parent.type ?? 'untyped'} node, not an iteration or loop`
            : `node '${n.node.id}' sits inside iteration/loop '${n.parent}', which does not exist`,
        });
      }
    }
  }
  const seenEdges = new Set<string>();
  for (const e of graph.edges) {
    for (const end of ['source', 'target'] as const) {
      if (!graph.byId.has(e.edge[end])) {
        out.push({ code: 'DSL001', path: [...e.path, end], message: `edge ${end} '${e.edge[end]}' is not a node in this graph` });
      }
    }
    if (typeof e.edge.id === 'string') {
      if (seenEdges.has(e.edge.id)) out.push({ code: 'DSL003', path: [...e.path, 'id'], message: `edge id '${e.edge.id}' is used by more than one edge` });
      seenEdges.add(e.edge.id);
    }
  }
  return out;
}

export function checkEntryAndOutput(ctx: LintContext): Finding[] {
  const { dsl, graph } = ctx;
  const mode = dsl.app.mode;
  if (!dsl.workflow?.graph || (mode !== 'workflow' && mode !== 'advanced-chat')) return [];
  const out: Finding[] = [];
  const top = graph.nodes.filter((n) => n.parent === undefined);
  const starts = top.filter((n) => n.type === 'start');
  const triggers = top.filter((n) => TRIGGER_TYPES.has(n.type ?? ''));
  const nodesPath = ['workflow', 'graph', 'nodes'];
  if (starts.length === 0 && triggers.length === 0) {
    out.push({ code: 'DSL004', path: nodesPath, message: 'the workflow has no start node and no trigger node, so nothing can run it' });
  }
  if (starts.length > 0 && triggers.length > 0) {
    out.push({
      code: 'DSL005',
      path: triggers[0]!.path,
      message: 'a start node and a trigger node in one workflow: Dify rejects this ("Start node and trigger nodes cannot coexist in the same workflow")',
    });
  }
  const needed = mode === 'workflow' ? 'end' : 'answer';
  if (!graph.nodes.some((n) => n.type === needed)) {
    out.push({
      code: 'DSL006',
      path: nodesPath,
      message: mode === 'workflow' ? 'the workflow has no end node, so a run returns no outputs' : 'the chatflow has no answer node, so it never replies',
    });
  }
  return out;
}

export function checkReachability(ctx: LintContext): Finding[] {
  const { graph } = ctx;
  const entries = graph.nodes.filter((n) => n.parent === undefined && (n.type === 'start' || n.type === 'datasource' || TRIGGER_TYPES.has(n.type ?? '')));
  if (entries.length === 0) return [];
  const next = successors(graph);
  const reached = new Set<string>();
  const queue = entries.map((n) => n.node.id);
  while (queue.length > 0) {
    const id = queue.pop()!;
    if (reached.has(id)) continue;
    reached.add(id);
    for (const t of next.get(id) ?? []) queue.push(t);
    const node = graph.byId.get(id);
    if (node && CONTAINER_TYPES.has(node.type ?? '')) {
      const start = node.node.data.start_node_id;
      if (typeof start === 'string' && graph.byId.has(start)) queue.push(start);
      else for (const child of graph.nodes) if (child.parent === id) queue.push(child.node.id);
    }
  }
  return graph.nodes
    // Children of an unreachable or missing container are covered by their parent's finding.
    .filter((n) => !reached.has(n.node.id) && !isNote(n) && (n.parent === undefined || reached.has(n.parent)))
    .map((n) => ({
      code: 'DSL012' as const,
      path: n.path,
      message: `node ${label(n)} cannot be reached from the ${entries.some((e) => e.type === 'start') ? 'start' : 'trigger'} node; it never runs`,
    }));
}

export function checkCycles(ctx: LintContext): Finding[] {
  const { graph } = ctx;
  const next = successors(graph);
  const state = new Map<string, 'open' | 'done'>();
  const out: Finding[] = [];
  const reported = new Set<string>();
  for (const root of graph.nodes) {
    if (state.has(root.node.id)) continue;
    // Iterative DFS: a 10,000-node chain must not overflow the stack.
    const stack: { id: string; children: string[]; i: number }[] = [{ id: root.node.id, children: next.get(root.node.id) ?? [], i: 0 }];
    state.set(root.node.id, 'open');
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      if (top.i >= top.children.length) {
        state.set(top.id, 'done');
        stack.pop();
        continue;
      }
      const child = top.children[top.i++]!;
      const s = state.get(child);
      if (s === 'open') {
        const key = `${top.id}->${child}`;
        if (reported.has(key)) continue;
        reported.add(key);
        const from = stack.findIndex((f) => f.id === child);
        const cycle = [...stack.slice(from).map((f) => f.id), child];
        const edge = graph.edges.find((e) => e.edge.source === top.id && e.edge.target === child);
        out.push({
          code: 'DSL013',
          path: edge?.path ?? ['workflow', 'graph', 'edges'],
          message: `edges form a cycle: ${cycle.map((id) => `'${id}'`).join(' → ')}; use an iteration or loop node to repeat work`,
        });
      } else if (s === undefined && graph.byId.has(child)) {
        state.set(child, 'open');
        stack.push({ id: child, children: next.get(child) ?? [], i: 0 });
      }
    }
  }
  return out;
}

function successors(graph: GraphIndex): Map<string, string[]> {
  const next = new Map<string, string[]>();
  for (const { edge } of graph.edges) {
    if (!graph.byId.has(edge.source) || !graph.byId.has(edge.target)) continue;
    const list = next.get(edge.source) ?? [];
    list.push(edge.target);
    next.set(edge.source, list);
  }
  return next;
}

/** `'Title' (id)` or `'id'`, for messages. */
export function label(n: IndexedNode): string {
  const title = n.node.data.title;
  return typeof title === 'string' && title !== '' && title !== n.node.id ? `'${title}' (${n.node.id})` : `'${n.node.id}'`;
}
