// Lint rules about variable references (DSL007–011): `{{#node.var#}}` templates and value
// selectors must name an existing node and, where the node's outputs are known, one of them;
// `env.*`, `conversation.*` and `sys.*` must name declared or built-in variables.

import { isNote, type IndexedNode } from './graph-index.js';
import { label } from './lint-graph-rules.js';
import type { Finding, LintContext } from './lint-dsl.js';
import { SYSTEM_VARIABLES, knownOutputs } from './node-outputs.js';
import { collectReferences, type Reference } from './references.js';
import type { DslDocument } from './types.js';

const NODE_ID_IN_TEMPLATE = /^[a-zA-Z0-9_]{1,50}$/;

export function checkReferences(ctx: LintContext): Finding[] {
  const { dsl, graph } = ctx;
  const env = declared(dsl, 'environment_variables');
  const conversation = declared(dsl, 'conversation_variables');
  const outputs = new Map<string, ReadonlySet<string> | undefined>();
  const outputsOf = (n: IndexedNode): ReadonlySet<string> | undefined => {
    if (!outputs.has(n.node.id)) outputs.set(n.node.id, knownOutputs(n.node));
    return outputs.get(n.node.id);
  };
  const out: Finding[] = [];
  for (const n of graph.nodes) {
    if (isNote(n)) continue;
    for (const ref of collectReferences(n.node, n.path)) {
      const finding = checkOne(ref, n, { env, conversation, graph: graph.byId, outputsOf, mode: dsl.app.mode });
      if (finding) out.push(finding);
    }
  }
  return out;
}

interface Scope {
  env: ReadonlySet<string>;
  conversation: ReadonlySet<string>;
  graph: ReadonlyMap<string, IndexedNode>;
  outputsOf: (n: IndexedNode) => ReadonlySet<string> | undefined;
  mode: string | undefined;
}

function checkOne(ref: Reference, from: IndexedNode, scope: Scope): Finding | undefined {
  const where = `in node ${label(from)}`;
  const at = { path: ref.path };
  switch (ref.head) {
    case 'sys':
      if (SYSTEM_VARIABLES.has(ref.variable)) return undefined;
      return { ...at, code: 'DSL010', message: `${ref.raw} ${where}: Dify has no system variable 'sys.${ref.variable}'` };
    case 'env':
      if (scope.env.has(ref.variable)) return undefined;
      return { ...at, code: 'DSL009', message: `${ref.raw} ${where}: no environment variable '${ref.variable}' is declared` };
    case 'conversation':
      if (scope.conversation.has(ref.variable)) return undefined;
      return {
        ...at,
        code: 'DSL009',
        message:
          scope.mode === 'workflow'
            ? `${ref.raw} ${where}: workflow apps have no conversation variables`
            : `${ref.raw} ${where}: no conversation variable '${ref.variable}' is declared`,
      };
  }
  const target = scope.graph.get(ref.head);
  if (!target) {
    const byTitle = [...scope.graph.values()].find((n) => n.node.data.title === ref.head);
    const hint = byTitle ? ` (a node is titled '${ref.head}': reference it by its id '${byTitle.node.id}')` : '';
    return { ...at, code: 'DSL007', message: `${ref.raw} ${where}: no node has the id '${ref.head}'${hint}` };
  }
  if (ref.kind === 'template' && !ref.expandable) {
    const reason = NODE_ID_IN_TEMPLATE.test(ref.head)
      ? 'its variable path is not of the form [a-zA-Z_][a-zA-Z0-9_]{0,29}'
      : `node id '${ref.head}' does not match [a-zA-Z0-9_]{1,50}`;
    return { ...at, code: 'DSL011', message: `${ref.raw} ${where}: Dify leaves this template unexpanded because ${reason}` };
  }
  const known = scope.outputsOf(target);
  if (!known || known.has(ref.variable) || known.has(ref.segments.slice(0, 2).join('.'))) return undefined;
  const list = [...known].filter((k) => !k.startsWith('sys.')).slice(0, 8).join(', ');
  return {
    ...at,
    code: 'DSL008',
    message: `${ref.raw} ${where}: ${target.type ?? 'the'} node ${label(target)} has no output '${ref.variable}' (it has: ${list || 'none'})`,
  };
}

function declared(dsl: DslDocument, key: 'environment_variables' | 'conversation_variables'): Set<string> {
  return new Set((dsl.workflow?.[key] ?? []).map((v) => v.name));
}
