// Wording shared by the diff renderers: subject headings, one-line labels for changes, field
// paths relative to their subject, and short value previews. Secret values are never rendered.

import type { DslChange, DslDiff, FieldChange, ModelRef } from './diff-types.js';

export const SUBJECT_HEADINGS: Record<DslChange['subject'], string> = {
  app: 'App',
  node: 'Nodes',
  edge: 'Edges',
  'environment-variable': 'Environment variables',
  'conversation-variable': 'Conversation variables',
  feature: 'Features',
  'model-config': 'Model config',
  dependency: 'Dependencies',
  workflow: 'Workflow',
  other: 'Other',
};

/** `'Title' (llm, 1718…)` for nodes, `a -[handle]-> b` for edges, the key for the rest. */
export function changeLabel(c: DslChange): string {
  if (c.subject === 'node') {
    const what = [c.nodeType, c.key].filter(Boolean).join(', ');
    return c.title !== undefined ? `'${c.title}' (${what})` : `'${c.key}'${c.nodeType ? ` (${c.nodeType})` : ''}`;
  }
  if (c.subject === 'edge' && c.edge) {
    const arrow = `${c.edge.source} -[${c.edge.sourceHandle}]-> ${c.edge.target}`;
    return c.edge.previousTarget !== undefined ? `${arrow} (was -> ${c.edge.previousTarget})` : arrow;
  }
  return c.key;
}

/** Notes on a changed node or variable: rename, model, secret. */
export function changeNotes(c: DslChange): string[] {
  const notes: string[] = [];
  if (c.renamed) notes.push(`renamed '${c.renamed.from}' -> '${c.renamed.to}'`);
  if (c.model) {
    const m = (r: ModelRef | undefined): string => (r ? `${r.provider}/${r.name}` : '(none)');
    const params = JSON.stringify(c.model.before?.completion_params ?? {}) !== JSON.stringify(c.model.after?.completion_params ?? {});
    const names = m(c.model.before) !== m(c.model.after) ? `model ${m(c.model.before)} -> ${m(c.model.after)}` : `model ${m(c.model.after)}`;
    notes.push(params ? `${names} (completion params changed)` : names);
  }
  if (c.secret && c.kind === 'changed') notes.push('secret: value not shown');
  return notes;
}

/** Field path below its subject, e.g. `data.prompt_template[0].text`. */
export function relativePath(c: DslChange, f: FieldChange): string {
  const depth = c.pointer.split('/').length - 1;
  const rest = f.path.slice(depth);
  return rest.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('') || c.key;
}

/** A change whose one field is the subject itself (e.g. app.name): shown on one line. */
export function singleValueChange(c: DslChange): FieldChange | undefined {
  const [only] = c.fields;
  if (c.kind !== 'changed' || c.fields.length !== 1 || !only || only.lines || only.op !== 'replace') return undefined;
  return only.pointer === c.pointer ? only : undefined;
}

/** True when a field holds a secret's value (masked already; still never shown). */
export function isSecretValue(c: DslChange, f: FieldChange): boolean {
  return c.secret === true && (f.path[f.path.length - 1] === 'value' || f.path.length <= 3);
}

export function preview(value: unknown, max = 100): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : JSON.stringify(value) ?? 'undefined';
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function summaryLine(diff: DslDiff): string {
  const s = diff.summary;
  if (s.total === 0) return 'No differences.';
  const parts: string[] = [];
  const add = (n: number, what: string): void => {
    if (n > 0) parts.push(`${n} ${what}`);
  };
  add(s.nodes.added, `node${s.nodes.added === 1 ? '' : 's'} added`);
  add(s.nodes.changed, `node${s.nodes.changed === 1 ? '' : 's'} changed`);
  add(s.nodes.removed, `node${s.nodes.removed === 1 ? '' : 's'} removed`);
  add(s.edges.added, `edge${s.edges.added === 1 ? '' : 's'} added`);
  add(s.edges.rewired, `edge${s.edges.rewired === 1 ? '' : 's'} rewired`);
  add(s.edges.removed, `edge${s.edges.removed === 1 ? '' : 's'} removed`);
  add(s.variables.added, `variable${s.variables.added === 1 ? '' : 's'} added`);
  add(s.variables.changed, `variable${s.variables.changed === 1 ? '' : 's'} changed`);
  add(s.variables.removed, `variable${s.variables.removed === 1 ? '' : 's'} removed`);
  add(s.other, `other change${s.other === 1 ? '' : 's'}`);
  return `${parts.join(', ')}.`;
}

export function groupBySubject(diff: DslDiff): [DslChange['subject'], DslChange[]][] {
  const groups = new Map<DslChange['subject'], DslChange[]>();
  for (const c of diff.changes) groups.set(c.subject, [...(groups.get(c.subject) ?? []), c]);
  return [...groups.entries()];
}
