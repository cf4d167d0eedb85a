import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics.js';
import { LINT_RULES, lintDsl, parseDsl, type LintOptions } from '../../src/dsl/index.js';
import { LLM_MODEL, basicNodes, edge, node, parsed, workflowYaml, type WorkflowSpec } from '../support/dsl-builders.js';
import { corpusFiles } from '../support/dsl-corpus.js';

function lint(spec: WorkflowSpec, options?: LintOptions): Diagnostic[] {
  return lintDsl(parsed(workflowYaml(spec)), options);
}

function codes(spec: WorkflowSpec, options?: LintOptions): string[] {
  return lint(spec, options).map((d) => d.code);
}

describe('lintDsl rules', () => {
  it('finds nothing in a correct workflow', () => {
    expect(lint({})).toEqual([]);
  });

  it('DSL001 dangling edge, with file, line, column and path', () => {
    const [d] = lint({ edges: [edge('start', 'llm'), edge('llm', 'end'), edge('llm', 'ghost')] });
    expect(d).toMatchObject({ file: 'test.dsl.yml', code: 'DSL001', severity: 'error', path: '/workflow/graph/edges/2/target' });
    expect(d!.message).toContain("'ghost'");
    const text = workflowYaml({ edges: [edge('start', 'llm'), edge('llm', 'end'), edge('llm', 'ghost')] });
    expect(text.split('\n')[d!.line - 1]).toContain('target: ghost');
  });

  it('DSL002 duplicate node id and DSL003 duplicate edge id', () => {
    const nodes = [...basicNodes(), node({ id: 'llm', type: 'code', data: { outputs: {} } })];
    const edges = [edge('start', 'llm'), edge('llm', 'end'), edge('llm', 'end')];
    expect(codes({ nodes, edges }).sort()).toEqual(['DSL002', 'DSL003']);
  });

  it('DSL004 no entry node, DSL005 start with a trigger', () => {
    const noStart = basicNodes().slice(1);
    expect(codes({ nodes: noStart, edges: [edge('llm', 'end')] })).toEqual(['DSL004', 'DSL007']);
    const withTrigger = [...basicNodes(), node({ id: 'hook', type: 'trigger-webhook' }), node({ id: 'end2', type: 'end' })];
    expect(codes({ nodes: withTrigger, edges: [edge('start', 'llm'), edge('llm', 'end'), edge('hook', 'end2')] })).toEqual(['DSL005']);
  });

  it('DSL006 workflow without end, chatflow without answer', () => {
    expect(codes({ nodes: basicNodes().slice(0, 2), edges: [edge('start', 'llm')] })).toEqual(['DSL006']);
    expect(codes({ mode: 'advanced-chat' })).toEqual(['DSL006']);
  });

  it('DSL007/008 unknown node or output; conservative for unknown node types', () => {
    const nodes = basicNodes();
    (nodes[2]!.data as Record<string, unknown>).outputs = [
      { variable: 'a', value_selector: ['nope', 'text'] },
      { variable: 'b', value_selector: ['llm', 'txt'] },
      { variable: 'c', value_selector: ['start', 'question'] },
      { variable: 'd', value_selector: ['start', 'sys.query'] },
      { variable: 'e', value_selector: ['tool', 'anything'] },
    ];
    nodes.push(node({ id: 'tool', type: 'tool', data: {} }));
    const found = lint({ nodes, edges: [edge('start', 'llm'), edge('llm', 'end'), edge('start', 'tool')] });
    expect(found.map((d) => [d.code, d.path])).toEqual([
      ['DSL007', '/workflow/graph/nodes/2/data/outputs/0/value_selector'],
      ['DSL008', '/workflow/graph/nodes/2/data/outputs/1/value_selector'],
    ]);
    expect(found[1]!.message).toContain("has no output 'txt'");
  });

  it('DSL007 suggests the id when a template names a node by its title', () => {
    const nodes = basicNodes();
    (nodes[1]!.data as Record<string, unknown>).prompt_template = [{ role: 'user', text: 'Q: {{#Start.question#}}' }];
    const [d] = lint({ nodes });
    expect(d?.code).toBe('DSL007');
    expect(d?.message).toContain("reference it by its id 'start'");
  });

  it('knows error outputs of nodes with an error strategy', () => {
    const nodes = basicNodes();
    (nodes[1]!.data as Record<string, unknown>).error_strategy = 'fail-branch';
    (nodes[2]!.data as Record<string, unknown>).outputs = [{ variable: 'e', value_selector: ['llm', 'error_message'] }];
    expect(codes({ nodes })).toEqual([]);
  });

  it('ignores references in switched-off blocks and knows loop outputs', () => {
    const nodes = basicNodes();
    (nodes[1]!.data as Record<string, unknown>).vision = { enabled: false, configs: { variable_selector: ['deleted_node', 'files'] } };
    nodes.push(node({ id: 'loop', type: 'loop', data: { loop_variables: [{ label: 'acc', var_type: 'string' }], start_node_id: 'loopstart' } }));
    (nodes[2]!.data as Record<string, unknown>).outputs = [
      { variable: 'a', value_selector: ['loop', 'acc'] },
      { variable: 'b', value_selector: ['loop', 'loop_round'] },
      { variable: 'c', value_selector: ['loop', 'nope'] },
    ];
    const found = lint({ nodes, edges: [edge('start', 'llm'), edge('llm', 'loop'), edge('loop', 'end')] });
    expect(found.map((d) => [d.code, d.path])).toEqual([['DSL008', '/workflow/graph/nodes/2/data/outputs/2/value_selector']]);
  });

  it('DSL009 undeclared env/conversation variables, DSL010 unknown sys variable', () => {
    const nodes = basicNodes();
    (nodes[1]!.data as Record<string, unknown>).prompt_template = [
      { role: 'user', text: '{{#env.API_URL#}} {{#env.MISSING#}} {{#conversation.topic#}} {{#sys.user_id#}} {{#sys.nonsense#}}' },
    ];
    const env = [{ name: 'API_URL', value_type: 'string', value: 'https://x' }];
    expect(codes({ nodes, env })).toEqual(['DSL009', 'DSL009', 'DSL010']);
  });

  it('DSL011 template referencing a node whose id has a dash', () => {
    const nodes = basicNodes();
    nodes.push(node({ id: 'my-code', type: 'code', data: { outputs: { result: { type: 'string' } } } }));
    (nodes[1]!.data as Record<string, unknown>).prompt_template = [{ role: 'user', text: '{{#my-code.result#}}' }];
    expect(codes({ nodes, edges: [edge('start', 'my-code'), edge('my-code', 'llm'), edge('llm', 'end')] })).toEqual(['DSL011']);
  });

  it('DSL012 unreachable node (notes ignored), DSL013 cycle', () => {
    const nodes = [...basicNodes(), node({ id: 'lost', type: 'code', data: { outputs: {} } }), node({ id: 'note', type: '', nodeType: 'custom-note' })];
    expect(codes({ nodes })).toEqual(['DSL012']);
    expect(codes({ edges: [edge('start', 'llm'), edge('llm', 'end'), edge('end', 'llm')] })).toEqual(['DSL013']);
  });

  it('handles iteration children through their parent; DSL014 orphan child', () => {
    const nodes = [
      ...basicNodes(),
      node({ id: 'iter', type: 'iteration', data: { start_node_id: 'iterstart', iterator_selector: ['start', 'question'], output_selector: ['inner', 'text'] } }),
      node({ id: 'iterstart', type: 'iteration-start', nodeType: 'custom-iteration-start', parentId: 'iter', data: { isInIteration: true } }),
      node({ id: 'inner', type: 'llm', parentId: 'iter', data: { model: LLM_MODEL, isInIteration: true, iteration_id: 'iter', prompt_template: [{ role: 'user', text: '{{#iter.item#}}' }] } }),
    ];
    const edges = [edge('start', 'iter'), edge('iter', 'llm'), edge('llm', 'end'), edge('iterstart', 'inner')];
    expect(codes({ nodes, edges })).toEqual([]);
    const orphan = [...basicNodes(), node({ id: 'child', type: 'code', parentId: 'gone', data: { outputs: {} } })];
    expect(codes({ nodes: orphan })).toEqual(['DSL014']);
  });

  it('DSL015 LLM-family node without a model', () => {
    const nodes = basicNodes();
    (nodes[1]!.data as Record<string, unknown>).model = { provider: '', name: '', mode: 'chat' };
    expect(codes({ nodes })).toEqual(['DSL015']);
  });

  it('DSL016 plaintext secret: an error that never contains the value', () => {
    const canary = 'sk-CANARY-do-not-print-4242';
    const found = lint({
      env: [
        { name: 'API_KEY', value_type: 'secret', value: canary },
        { name: 'EMPTY', value_type: 'secret', value: '' },
        { name: 'KEPT', value_type: 'secret', value: '[__HIDDEN__]' },
      ],
    });
    expect(found.map((d) => d.code)).toEqual(['DSL016']);
    expect(found[0]!.severity).toBe('error');
    expect(JSON.stringify(found)).not.toContain('CANARY');
  });

  it('DSL017 mode and section mismatch', () => {
    expect(codes({ mode: 'chat' })).toContain('DSL017');
    expect(codes({ mode: 'wizard' })).toContain('DSL017');
  });

  it('DSL018 versions: offline only newer than known; with a target, pending and warnings', () => {
    expect(codes({ version: '0.7.0' })).toEqual(['DSL018']);
    expect(codes({ version: '0.5.0' })).toEqual([]);
    expect(lint({ version: '0.6.0' }, { targetDslVersion: '0.5.0' }).map((d) => d.severity)).toEqual(['error']);
    expect(lint({ version: '0.5.0' }, { targetDslVersion: '0.6.0' }).map((d) => d.severity)).toEqual(['info']);
    expect(lint({ version: '0.1.5' }, { targetDslVersion: '0.1.5' })).toEqual([]);
    expect(lint({ version: 'abc' }).map((d) => [d.code, d.severity])).toEqual([['DSL018', 'error']]);
  });

  it('DSL019 unmapped knowledge base, only when mappings are given', () => {
    const nodes = basicNodes();
    nodes.push(node({ id: 'kb', type: 'knowledge-retrieval', data: { dataset_ids: ['faq', 'manual'], query_variable_selector: ['start', 'question'] } }));
    const edges = [edge('start', 'kb'), edge('kb', 'llm'), edge('llm', 'end')];
    expect(codes({ nodes, edges })).toEqual([]);
    const found = lint({ nodes, edges }, { datasetMappings: { environment: 'prod', mapped: new Set(['faq']) } });
    expect(found.map((d) => [d.code, d.path])).toEqual([['DSL019', '/workflow/graph/nodes/3/data/dataset_ids/1']]);
    expect(found[0]!.message).toContain("'manual'");
    expect(found[0]!.message).toContain("'prod'");
  });

  it('DSL020 node without data.type, DSL022 invalid variables, DSL023 duplicate names', () => {
    const nodes = [...basicNodes()];
    nodes.push({ id: 'untyped', type: 'custom', data: { title: 'x' } });
    expect(codes({ nodes, edges: [edge('start', 'llm'), edge('llm', 'end'), edge('llm', 'untyped')] })).toEqual(['DSL020']);
    expect(
      codes({
        env: [
          { name: 'A', value_type: 'boolean', value: true },
          { name: 'B', value_type: 'string', value: null },
          { name: 'B', value_type: 'string', value: 'x' },
        ],
      }),
    ).toEqual(['DSL022', 'DSL022', 'DSL023']);
  });

  it('DSL021 workflow without graph', () => {
    const text = 'app: {name: x, mode: workflow}\nkind: app\nversion: 0.6.0\nworkflow:\n  nodes: []\n';
    expect(lintDsl(parsed(text)).map((d) => d.code)).toContain('DSL021');
  });

  it('applies per-rule severities by code or name, and turns rules off', () => {
    const spec = { nodes: [...basicNodes(), node({ id: 'lost', type: 'code', data: { outputs: {} } })] };
    expect(lint(spec, { severities: { DSL012: 'error' } })[0]!.severity).toBe('error');
    expect(lint(spec, { severities: { 'unreachable-node': 'off' } })).toEqual([]);
  });
});

describe('lint rules table and docs', () => {
  it('has unique codes and names and is documented in docs/dsl.md', () => {
    expect(new Set(LINT_RULES.map((r) => r.code)).size).toBe(LINT_RULES.length);
    expect(new Set(LINT_RULES.map((r) => r.name)).size).toBe(LINT_RULES.length);
    const docs = readFileSync(path.resolve(import.meta.dirname, '../../docs/dsl.md'), 'utf8');
    for (const rule of LINT_RULES) expect(docs).toContain(`| ${rule.code} | ${rule.name} | ${rule.severity} | ${rule.description} |`);
  });
});

describe('lintDsl over the corpus', () => {
  it('runs on every file without throwing and gives every finding a position and path', () => {
    let findings = 0;
    for (const f of corpusFiles()) {
      const p = parseDsl(f.text, f.name);
      if (!p.ok) throw new Error(f.name);
      for (const d of lintDsl(p, { targetDslVersion: '0.6.0', datasetMappings: { environment: 'ci', mapped: new Set() } })) {
        findings++;
        expect(d.line, `${f.name} ${d.code}`).toBeGreaterThan(0);
        expect(d.path, `${f.name} ${d.code}`).toMatch(/^(\/|$)/);
      }
    }
    expect(findings).toBeGreaterThan(0);
  });
});
