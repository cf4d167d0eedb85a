// Deterministic edits of a parsed DSL document, for the diff tests and the diff benchmark: the kinds
// of change a pull request makes (nodes added/removed/changed, edges rewired, prompts and
// variables edited, the app renamed), chosen by a seed so every run makes the same edits.

import type { DslDocument, DslNode } from '../../src/dsl/index.js';

export function moveEveryNode(dsl: DslDocument): DslDocument {
  const copy = structuredClone(dsl);
  for (const [i, node] of (copy.workflow?.graph?.nodes ?? []).entries()) {
    node.position = { x: 1000 + i * 37, y: -300 };
    node.positionAbsolute = node.position;
    node.selected = true;
    node.width = 999;
    node.data._isCandidate = true;
    node.data.selected = true;
  }
  if (copy.workflow?.graph) copy.workflow.graph.viewport = { x: 1, y: 2, zoom: 0.5 };
  return copy;
}

/** A copy of `dsl` with a mix of edits picked by `seed`. */
export function mutateDsl(dsl: DslDocument, seed: number): DslDocument {
  const copy = structuredClone(dsl);
  const rand = lcg(seed);
  copy.app.name = `${copy.app.name ?? 'app'} (edited)`;
  if (rand() < 0.5) copy.app.description = 'A new description\nover two lines';
  const graph = copy.workflow?.graph;
  const nodes = graph?.nodes ?? [];
  const edges = graph?.edges ?? [];
  const real = nodes.filter((n) => n.type !== 'custom-note' && n.data.type !== 'start' && !n.parentId);
  if (graph && real.length > 0) {
    const victim = real[Math.floor(rand() * real.length)]!;
    if (rand() < 0.5) {
      graph.nodes = nodes.filter((n) => n !== victim);
      graph.edges = edges.filter((e) => e.source !== victim.id && e.target !== victim.id);
    } else {
      victim.data.title = `${victim.data.title ?? ''} renamed`;
      editPrompt(victim);
      if (typeof victim.data.model === 'object' && victim.data.model !== null) (victim.data.model as Record<string, unknown>).name = 'gpt-4o-mini';
    }
  }
  if (graph) {
    const from = nodes[0];
    const added: DslNode = {
      id: `9${seed}000001`,
      type: 'custom',
      position: { x: 1, y: 2 },
      data: { type: 'template-transform', title: 'Added', template: 'hello\n{{ x }}', variables: [] },
    };
    graph.nodes = [...(graph.nodes ?? []), added];
    if (from) graph.edges = [...(graph.edges ?? []), { id: 'new-edge', source: from.id, sourceHandle: 'source', target: added.id }];
    const rewire = (graph.edges ?? [])[Math.floor(rand() * (graph.edges?.length ?? 0))];
    if (rewire && rewire.id !== 'new-edge') rewire.target = added.id;
  }
  if (copy.workflow) {
    const env = copy.workflow.environment_variables ?? [];
    copy.workflow.environment_variables = [
      ...env.slice(1),
      { name: `NEW_VAR_${seed}`, value_type: 'string', value: 'v', description: '' },
      { name: 'TOKEN', value_type: 'secret', value: '', description: 'api token' },
    ];
    const first = env[0];
    if (first && rand() < 0.5) copy.workflow.environment_variables.push({ ...first, value: first.value_type === 'secret' ? '' : 'changed' });
    const features = copy.workflow.features;
    if (features) {
      features.opening_statement = 'Hello there';
      // A type change (mapping → boolean) and a list that shrinks from the front.
      if (rand() < 0.5) features.retriever_resource = true;
      if (Array.isArray(features.suggested_questions)) features.suggested_questions = features.suggested_questions.slice(1);
    }
    const start = nodes.find((n) => n.data.type === 'start');
    if (start && Array.isArray(start.data.variables) && start.data.variables.length > 1 && rand() < 0.5) {
      start.data.variables = start.data.variables.slice(1);
    }
  }
  if (copy.model_config) {
    const pre = copy.model_config.pre_prompt;
    copy.model_config.pre_prompt = `${typeof pre === 'string' ? pre : ''}\nBe brief.`;
    copy.model_config.opening_statement = 'Hi';
  }
  if (copy.dependencies && copy.dependencies.length > 1) copy.dependencies = [...copy.dependencies].reverse().slice(1);
  return copy;
}

function editPrompt(node: DslNode): void {
  const prompts = node.data.prompt_template;
  if (Array.isArray(prompts)) {
    const first = prompts[0] as Record<string, unknown> | undefined;
    if (first && typeof first.text === 'string') first.text = `${first.text}\nAlways answer in English.`;
    prompts.push({ role: 'user', text: 'one more message' });
  } else if (typeof node.data.answer === 'string') {
    node.data.answer = `${node.data.answer}\n-- edited`;
  } else if (typeof node.data.code === 'string') {
    node.data.code = node.data.code.replace(/\n/, '\n    # edited\n');
  }
}

/** Small deterministic generator (numerical recipes LCG), values in [0, 1). */
function lcg(seed: number): () => number {
  let state = (seed * 2654435761) >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}
