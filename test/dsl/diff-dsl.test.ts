import { describe, expect, it } from 'vitest';
import { applyDiff, diffDsl, normalizeDsl, renderDiffJson, renderDiffMarkdown, renderDiffText } from '../../src/dsl/index.js';
import { basicNodes, edge, node, parsed, workflowYaml, type WorkflowSpec } from '../support/dsl-builders.js';

function diffOf(a: WorkflowSpec, b: WorkflowSpec) {
  const before = normalizeDsl(parsed(workflowYaml(a)).dsl);
  const after = normalizeDsl(parsed(workflowYaml(b)).dsl);
  const diff = diffDsl(before, after);
  expect(applyDiff(before, diff)).toEqual(after);
  return diff;
}

describe('diffDsl', () => {
  it('is empty for the same document', () => {
    expect(diffOf({}, {}).changes).toEqual([]);
  });

  it('reports a rename, a model change and a prompt line diff on one node', () => {
    const nodes = basicNodes();
    const data = nodes[1]!.data as Record<string, unknown>;
    data.title = 'Summarise';
    data.model = { provider: 'langgenius/openai/openai', name: 'gpt-4o-mini', mode: 'chat', completion_params: { temperature: 0.2 } };
    data.prompt_template = [{ role: 'user', text: 'Summarise:\n{{#start.question#}}' }];
    const before = basicNodes();
    (before[1]!.data as Record<string, unknown>).prompt_template = [{ role: 'user', text: 'Answer:\n{{#start.question#}}' }];
    const diff = diffOf({ nodes: before }, { nodes });
    expect(diff.summary.nodes).toEqual({ added: 0, removed: 0, changed: 1 });
    const [change] = diff.changes;
    expect(change).toMatchObject({ subject: 'node', kind: 'changed', key: 'llm', nodeType: 'llm', title: 'Summarise', renamed: { from: 'Answer', to: 'Summarise' } });
    expect(change!.model?.before?.name).toBe('gpt-4o');
    expect(change!.model?.after?.name).toBe('gpt-4o-mini');
    const prompt = change!.fields.find((f) => f.pointer.endsWith('/prompt_template/0/text'));
    expect(prompt?.lines).toEqual([
      { op: 'remove', text: 'Answer:' },
      { op: 'add', text: 'Summarise:' },
      { op: 'same', text: '{{#start.question#}}' },
    ]);
    const text = renderDiffText(diff);
    expect(text).toContain("~ 'Summarise' (llm, llm)  [renamed 'Answer' -> 'Summarise'; model langgenius/openai/openai/gpt-4o -> langgenius/openai/openai/gpt-4o-mini (completion params changed)]");
    expect(text).toContain('        - Answer:\n        + Summarise:');
  });

  it('keys edges by source, handle and target: a new target is one rewired edge', () => {
    const nodes = [...basicNodes(), node({ id: 'alt', type: 'end', data: { outputs: [] } })];
    const diff = diffOf({ nodes, edges: [edge('start', 'llm'), edge('llm', 'end')] }, { nodes, edges: [edge('start', 'llm'), edge('llm', 'alt')] });
    expect(diff.summary.edges).toEqual({ added: 0, removed: 0, rewired: 1 });
    expect(diff.changes[0]).toMatchObject({ subject: 'edge', kind: 'changed', edge: { source: 'llm', sourceHandle: 'source', target: 'alt', previousTarget: 'end' } });
    expect(renderDiffText(diff)).toContain('~ llm -[source]-> alt (was -> end)');
  });

  it('does not see a change when only the editor edge id or targetHandle differ', () => {
    const other = [edge('start', 'llm'), { ...edge('llm', 'end'), id: 'whatever', targetHandle: 'x', zIndex: 9 }];
    expect(diffOf({}, { edges: other }).changes).toEqual([]);
  });

  it('shows a changed secret only as changed, in every format', () => {
    const diff = diffOf(
      { env: [{ name: 'TOKEN', value_type: 'secret', value: '' }] },
      { env: [{ name: 'TOKEN', value_type: 'secret', value: 'new-CANARY-secret' }] },
    );
    expect(diff.changes).toHaveLength(1);
    expect(diff.changes[0]).toMatchObject({ subject: 'environment-variable', kind: 'changed', key: 'TOKEN', secret: true });
    for (const out of [renderDiffText(diff), renderDiffMarkdown(diff), renderDiffJson(diff)]) expect(out).not.toContain('CANARY');
    expect(renderDiffText(diff)).toContain('(secret value changed)');
  });

  it('counts added and removed nodes, variables and app changes', () => {
    const nodes = [...basicNodes(), node({ id: 'x', type: 'code', title: 'Extra', data: { outputs: {} } })];
    const diff = diffOf(
      { env: [{ name: 'OLD', value_type: 'string', value: 'a' }] },
      { nodes, edges: [edge('start', 'llm'), edge('llm', 'end'), edge('llm', 'x')], env: [{ name: 'NEW', value_type: 'string', value: 'b' }], extra: { app: { name: 'Renamed', mode: 'workflow' } } },
    );
    expect(diff.summary).toMatchObject({
      nodes: { added: 1, removed: 0, changed: 0 },
      edges: { added: 1, removed: 0, rewired: 0 },
      variables: { added: 1, removed: 1, changed: 0 },
    });
    expect(diff.changes.filter((c) => c.subject === 'app').map((c) => c.key).sort()).toEqual(['description', 'icon', 'icon_background', 'name']);
    const md = renderDiffMarkdown(diff);
    expect(md).toContain('| nodes | 1 | 0 | 0 |');
    expect(md).toContain("- **added** `'Extra' (code, x)`");
  });
});

describe('applyDiff', () => {
  it('refuses a diff made from another document', () => {
    const a = normalizeDsl(parsed(workflowYaml()).dsl);
    const nodes = basicNodes().filter((n) => n.id !== 'llm');
    const b = normalizeDsl(parsed(workflowYaml({ nodes, edges: [edge('start', 'end')] })).dsl);
    const removeLlm = diffDsl(a, b);
    expect(() => applyDiff(b, removeLlm)).toThrow(/no element with key 'llm'/);
  });
});
