// Groups field changes into what a reviewer thinks in: this node was added, that node's prompt
// changed, this edge now points elsewhere, that secret changed. Adds titles, renames, model
// call-outs and line diffs of multi-line text.

import type { DslChange, DslChangeSubject, FieldChange, ModelRef } from './diff-types.js';
import { diffLines } from './line-diff.js';
import type { NormalizedDsl } from './normalize-dsl.js';
import { compareKeys } from './normalize-graph.js';
import { isRecord, toPointer, type DslEdge, type DslNode, type JsonPath } from './types.js';

const SUBJECT_ORDER: DslChangeSubject[] = [
  'app', 'node', 'edge', 'environment-variable', 'conversation-variable', 'feature', 'model-config', 'dependency', 'workflow', 'other',
];

export function describeChanges(fields: FieldChange[], oldDoc: NormalizedDsl, newDoc: NormalizedDsl): DslChange[] {
  const groups = new Map<string, DslChange>();
  for (const field of fields) {
    const { subject, key, depth } = classify(field.path);
    const id = `${subject}\u0000${key}`;
    let change = groups.get(id);
    if (!change) {
      change = { subject, kind: 'changed', key, pointer: toPointer(field.path.slice(0, depth)), fields: [] };
      groups.set(id, change);
    }
    if (field.path.length === depth && field.op !== 'replace') change.kind = field.op === 'add' ? 'added' : 'removed';
    if (field.op === 'replace' && typeof field.before === 'string' && typeof field.after === 'string' && (field.before.includes('\n') || field.after.includes('\n'))) {
      field.lines = diffLines(field.before, field.after);
    }
    change.fields.push(field);
  }
  const changes = pairRewiredEdges([...groups.values()]);
  for (const change of changes) enrich(change, oldDoc, newDoc);
  return changes.sort((a, b) => SUBJECT_ORDER.indexOf(a.subject) - SUBJECT_ORDER.indexOf(b.subject) || compareKeys(a.key, b.key));
}

/** Subject, key and the path depth of the subject itself. */
function classify(path: JsonPath): { subject: DslChangeSubject; key: string; depth: number } {
  const [a, b, c, d] = path.map(String);
  if (a === 'app') return b === undefined ? { subject: 'app', key: 'app', depth: 1 } : { subject: 'app', key: b, depth: 2 };
  if (a === 'dependencies') return b === undefined ? { subject: 'dependency', key: '*', depth: 1 } : { subject: 'dependency', key: b, depth: 2 };
  if (a === 'model_config') return b === undefined ? { subject: 'model-config', key: '*', depth: 1 } : { subject: 'model-config', key: b, depth: 2 };
  if (a !== 'workflow') return { subject: 'other', key: a ?? '', depth: 1 };
  if (b === 'graph' && (c === 'nodes' || c === 'edges') && d !== undefined) return { subject: c === 'nodes' ? 'node' : 'edge', key: d, depth: 4 };
  if (b === 'environment_variables' && c !== undefined) return { subject: 'environment-variable', key: c, depth: 3 };
  if (b === 'conversation_variables' && c !== undefined) return { subject: 'conversation-variable', key: c, depth: 3 };
  if (b === 'features' && c !== undefined) return { subject: 'feature', key: c, depth: 3 };
  return b === undefined ? { subject: 'workflow', key: 'workflow', depth: 1 } : { subject: 'workflow', key: b, depth: 2 };
}

/** One edge removed and one added from the same source and handle: the edge was rewired. */
function pairRewiredEdges(changes: DslChange[]): DslChange[] {
  const slot = (c: DslChange): string | undefined => {
    const edge = edgeValue(c);
    return edge ? `${edge.source}\u0000${edge.sourceHandle ?? 'source'}` : undefined;
  };
  const removed = new Map<string, DslChange[]>();
  const added = new Map<string, DslChange[]>();
  for (const c of changes) {
    if (c.subject !== 'edge' || c.kind === 'changed') continue;
    const key = slot(c);
    if (key === undefined) continue;
    const map = c.kind === 'removed' ? removed : added;
    map.set(key, [...(map.get(key) ?? []), c]);
  }
  const merged = new Set<DslChange>();
  const out: DslChange[] = [];
  for (const [key, rem] of removed) {
    const add = added.get(key);
    if (rem.length !== 1 || add?.length !== 1) continue;
    const [before, after] = [rem[0]!, add[0]!];
    const from = edgeValue(before)!;
    const to = edgeValue(after)!;
    merged.add(before).add(after);
    out.push({
      subject: 'edge',
      kind: 'changed',
      key: `${to.source}-${to.sourceHandle ?? 'source'}`,
      pointer: after.pointer,
      edge: { source: to.source, sourceHandle: to.sourceHandle ?? 'source', target: to.target, previousTarget: from.target },
      fields: [...before.fields, ...after.fields],
    });
  }
  return [...changes.filter((c) => !merged.has(c)), ...out];
}

function edgeValue(change: DslChange): DslEdge | undefined {
  const field = change.fields.find((f) => f.path.length === 4);
  const value = field?.op === 'remove' ? field.before : field?.after;
  return isRecord(value) && typeof value.source === 'string' && typeof value.target === 'string' ? (value as DslEdge) : undefined;
}

function enrich(change: DslChange, oldDoc: NormalizedDsl, newDoc: NormalizedDsl): void {
  if (change.subject === 'edge' && !change.edge) {
    const edge = edgeValue(change);
    if (edge) change.edge = { source: edge.source, sourceHandle: edge.sourceHandle ?? 'source', target: edge.target };
  }
  if (change.subject === 'environment-variable' || change.subject === 'conversation-variable') {
    const list = change.subject === 'environment-variable' ? 'environment_variables' : 'conversation_variables';
    const find = (doc: NormalizedDsl): unknown => doc.workflow?.[list]?.find((v) => v.name === change.key)?.value_type;
    if (find(oldDoc) === 'secret' || find(newDoc) === 'secret') change.secret = true;
  }
  if (change.subject !== 'node') return;
  const before = nodeById(oldDoc, change.key);
  const after = nodeById(newDoc, change.key);
  const node = after ?? before;
  if (typeof node?.data.title === 'string') change.title = node.data.title;
  if (typeof node?.data.type === 'string') change.nodeType = node.data.type;
  const oldTitle = before?.data.title;
  const newTitle = after?.data.title;
  if (before && after && typeof oldTitle === 'string' && typeof newTitle === 'string' && oldTitle !== newTitle) {
    change.renamed = { from: oldTitle, to: newTitle };
  }
  if (before && after && change.fields.some((f) => isModelPath(f.path))) {
    const model: DslChange['model'] = {};
    const m0 = modelOf(before);
    const m1 = modelOf(after);
    if (m0) model.before = m0;
    if (m1) model.after = m1;
    change.model = model;
  }
}

function nodeById(doc: NormalizedDsl, id: string): DslNode | undefined {
  return doc.workflow?.graph?.nodes?.find((n) => n.id === id);
}

function isModelPath(path: JsonPath): boolean {
  return (path[4] === 'data' && path[5] === 'model') || (path[5] === 'agent_parameters' && path[6] === 'model');
}

function modelOf(node: DslNode): ModelRef | undefined {
  const data = node.data;
  const agent = isRecord(data.agent_parameters) && isRecord(data.agent_parameters.model) ? data.agent_parameters.model.value : undefined;
  const raw = isRecord(data.model) ? data.model : isRecord(agent) ? { ...agent, name: agent.model } : undefined;
  if (!raw) return undefined;
  const ref: ModelRef = { provider: typeof raw.provider === 'string' ? raw.provider : '', name: typeof raw.name === 'string' ? raw.name : '' };
  if (typeof raw.mode === 'string') ref.mode = raw.mode;
  if (isRecord(raw.completion_params)) ref.completion_params = raw.completion_params;
  return ref;
}
