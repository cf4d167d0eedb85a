// Semantic diff of two normalised DSL documents. json-diff-ts computes the changes, matching
// nodes, edges, variables and dependencies by key; this file flattens them into field changes
// with absolute paths and groups those into one DslChange per node, edge, variable or setting.

import { diff as jsonDiff, Operation, type IChange } from 'json-diff-ts';
import type { DslChange, DslDiff, FieldChange } from './diff-types.js';
import { describeChanges } from './describe-changes.js';
import { dependencyKey, uniqueKeys } from './keyed-lists.js';
import type { NormalizedDsl } from './normalize-dsl.js';
import { toPointer, type JsonPath } from './types.js';

export function diffDsl(oldDoc: NormalizedDsl, newDoc: NormalizedDsl): DslDiff {
  const changeset = jsonDiff(oldDoc, newDoc, { embeddedObjKeys: embeddedKeys(oldDoc, newDoc), treatTypeChangeAsReplace: true });
  const fields: FieldChange[] = [];
  for (const change of mergeReplacements(changeset)) walk(change, [change.key], fields);
  const changes = describeChanges(fields, oldDoc, newDoc);
  return { formatVersion: 1, summary: summarize(changes), changes };
}

/**
 * Keys for the keyed lists. Dependencies have no id field, so their keys (plugin id, made
 * unique) are computed per element up front and looked up by identity.
 */
function embeddedKeys(oldDoc: NormalizedDsl, newDoc: NormalizedDsl): Map<string, string | ((obj: unknown, keyName?: boolean) => unknown)> {
  const depKeys = new WeakMap<object, string>();
  for (const doc of [oldDoc, newDoc]) {
    const deps = doc.dependencies ?? [];
    uniqueKeys(deps, dependencyKey).forEach((key, i) => depKeys.set(deps[i] as object, key));
  }
  const depKey = (obj: unknown, keyName?: boolean): unknown => (keyName ? 'plugin' : depKeys.get(obj as object));
  return new Map<string, string | ((obj: unknown, keyName?: boolean) => unknown)>([
    ['workflow.graph.nodes', 'id'],
    ['workflow.graph.edges', 'id'],
    ['workflow.environment_variables', 'name'],
    ['workflow.conversation_variables', 'name'],
    ['dependencies', depKey],
  ]);
}

/** Turns json-diff-ts's tree of changes into flat field changes, in an order applyDiff can replay. */
function walk(change: IChange, path: JsonPath, out: FieldChange[]): void {
  if (!change.changes) {
    out.push(leaf(change, path));
    return;
  }
  if (change.embeddedKey === undefined) {
    for (const sub of mergeReplacements(change.changes)) walk(sub, [...path, sub.key], out);
    return;
  }
  // A list: elements by key, or by index ($index). Index removals replay from the end.
  const byIndex = change.embeddedKey === '$index';
  const subs = mergeReplacements(change.changes);
  const ordered = byIndex
    ? [
        ...subs.filter((s) => s.type !== Operation.REMOVE && s.type !== Operation.ADD),
        ...subs.filter((s) => s.type === Operation.REMOVE).sort((a, b) => Number(b.key) - Number(a.key)),
        ...subs.filter((s) => s.type === Operation.ADD).sort((a, b) => Number(a.key) - Number(b.key)),
      ]
    : subs;
  for (const sub of ordered) walk(sub, [...path, byIndex ? Number(sub.key) : String(sub.key)], out);
}

function leaf(change: IChange, path: JsonPath): FieldChange {
  const pointer = toPointer(path);
  const value: unknown = change.value;
  const oldValue: unknown = change.oldValue;
  switch (change.type) {
    case Operation.ADD:
      return { op: 'add', path, pointer, after: value };
    case Operation.REMOVE:
      return { op: 'remove', path, pointer, before: value };
    default:
      return { op: 'replace', path, pointer, before: oldValue, after: value };
  }
}

/** A type change comes as REMOVE then ADD of the same key: one replacement. */
function mergeReplacements(changes: IChange[]): IChange[] {
  const out: IChange[] = [];
  for (const c of changes) {
    const prev = out[out.length - 1];
    if (prev && prev.type === Operation.REMOVE && c.type === Operation.ADD && String(prev.key) === String(c.key) && !prev.changes && !c.changes) {
      const value: unknown = c.value;
      const oldValue: unknown = prev.value;
      out[out.length - 1] = { type: Operation.UPDATE, key: c.key, value, oldValue };
    } else {
      out.push(c);
    }
  }
  return out;
}

function summarize(changes: DslChange[]): DslDiff['summary'] {
  const count = (subject: DslChange['subject'][], kind: DslChange['kind'], rewired?: boolean): number =>
    changes.filter((c) => subject.includes(c.subject) && c.kind === kind && (rewired === undefined || (c.edge?.previousTarget !== undefined) === rewired)).length;
  const vars: DslChange['subject'][] = ['environment-variable', 'conversation-variable'];
  const summary = {
    nodes: { added: count(['node'], 'added'), removed: count(['node'], 'removed'), changed: count(['node'], 'changed') },
    edges: { added: count(['edge'], 'added'), removed: count(['edge'], 'removed'), rewired: count(['edge'], 'changed', true) },
    variables: { added: count(vars, 'added'), removed: count(vars, 'removed'), changed: count(vars, 'changed') },
    other: 0,
    total: changes.length,
  };
  const counted =
    summary.nodes.added + summary.nodes.removed + summary.nodes.changed +
    summary.edges.added + summary.edges.removed + summary.edges.rewired +
    summary.variables.added + summary.variables.removed + summary.variables.changed;
  summary.other = changes.length - counted;
  return summary;
}
