import { describe, expect, it } from 'vitest';
import { DATASET_MARKER, SECRET_MARKER, normalizeDsl, type DslDocument } from '../../src/dsl/index.js';
import { basicNodes, edge, node, parsed, workflowYaml } from '../support/dsl-builders.js';

function doc(spec: Parameters<typeof workflowYaml>[0] = {}): DslDocument {
  return parsed(workflowYaml(spec)).dsl;
}

describe('normalizeDsl', () => {
  it('keeps a `__proto__` key from the YAML as data, never as a prototype', () => {
    const yaml = workflowYaml().replace('app:\n', 'app:\n  __proto__:\n    polluted: true\n');
    const n = normalizeDsl(parsed(yaml).dsl);
    const app = n.app as Record<string, unknown>;
    expect(Object.getPrototypeOf(app)).toBe(Object.prototype);
    expect(Object.keys(app)).toContain('__proto__');
    expect(Object.getOwnPropertyDescriptor(app, '__proto__')?.value).toEqual({ polluted: true });
    expect((app as { polluted?: unknown }).polluted).toBeUndefined();
    expect(({} as { polluted?: unknown }).polluted).toBeUndefined();
  });

  it('drops editor fields of nodes and edges and keys edges by what they connect', () => {
    const n = normalizeDsl(doc());
    const llm = n.workflow!.graph!.nodes!.find((x) => x.id === 'llm')!;
    expect(Object.keys(llm).sort()).toEqual(['data', 'id', 'type']);
    expect(llm.data.selected).toBeUndefined();
    expect(n.workflow!.graph!.edges).toEqual([
      { id: 'llm-source-end', source: 'llm', sourceHandle: 'source', target: 'end' },
      { id: 'start-source-llm', source: 'start', sourceHandle: 'source', target: 'llm' },
    ]);
    expect(n.workflow!.graph!.viewport).toBeUndefined();
    expect(n.kind).toBeUndefined();
    expect(n.version).toBeUndefined();
  });

  it('masks secrets, merges numeric types, drops variable ids and selectors, keeps the last of a repeated name', () => {
    const n = normalizeDsl(
      doc({
        env: [
          { id: 'u1', name: 'KEY', value_type: 'secret', value: 'plain-text-secret', selector: ['env', 'KEY'] },
          { id: 'u2', name: 'BLANK', value_type: 'secret', value: '' },
          { id: 'u3', name: 'N', value_type: 'integer', value: 3 },
          { id: 'u4', name: 'N', value_type: 'float', value: 4.5 },
        ],
      }),
    );
    expect(n.workflow!.environment_variables).toEqual([
      { name: 'BLANK', value_type: 'secret', value: '', description: '' },
      { name: 'KEY', value_type: 'secret', value: SECRET_MARKER, description: '' },
      { name: 'N', value_type: 'number', value: 4.5, description: '' },
    ]);
    expect(JSON.stringify(n)).not.toContain('plain-text-secret');
  });

  it('removes what the export blanks: trigger urls, schedule config, tool and agent credential ids', () => {
    const nodes = [
      node({ id: 'hook', type: 'trigger-webhook', data: { webhook_url: 'https://x/hook', webhook_debug_url: 'https://x/debug', method: 'POST' } }),
      node({ id: 'cron', type: 'trigger-schedule', data: { config: { mode: 'visual' }, cron_expression: '0 * * * *' } }),
      node({ id: 'plug', type: 'trigger-plugin', data: { subscription_id: 'sub-1', provider_id: 'p' } }),
      node({ id: 'tool', type: 'tool', data: { credential_id: 'cred-1', provider_id: 'google' } }),
      node({ id: 'agent', type: 'agent', data: { agent_parameters: { tools: { type: 'constant', value: [{ provider_name: 'x', credential_id: 'cred-2' }] } } } }),
    ];
    const data = Object.fromEntries(normalizeDsl(doc({ nodes, edges: [] })).workflow!.graph!.nodes!.map((x) => [x.id, x.data]));
    expect(data.hook).toEqual({ type: 'trigger-webhook', title: 'hook', method: 'POST' });
    expect(data.cron).toEqual({ type: 'trigger-schedule', title: 'cron', cron_expression: '0 * * * *' });
    expect(data.plug).toEqual({ type: 'trigger-plugin', title: 'plug', provider_id: 'p' });
    expect(data.tool).toEqual({ type: 'tool', title: 'tool', provider_id: 'google' });
    expect(data.agent).toEqual({ type: 'agent', title: 'agent', agent_parameters: { tools: { type: 'constant', value: [{ provider_name: 'x' }] } } });
  });

  it('treats a missing icon_type as emoji and sorts dependencies whatever their export order', () => {
    const deps = [
      { type: 'marketplace', value: { marketplace_plugin_unique_identifier: 'langgenius/tavily:0.1@a', version: null }, current_identifier: null },
      { type: 'marketplace', value: { marketplace_plugin_unique_identifier: 'langgenius/openai:0.2@b', version: null }, current_identifier: null },
    ];
    const a = normalizeDsl(doc({ extra: { dependencies: deps } }));
    const b = normalizeDsl(doc({ extra: { dependencies: [...deps].reverse(), app: { name: 'Test', mode: 'workflow', icon: '🤖', icon_type: 'emoji', icon_background: '#FFEAD5', description: '' } } }));
    expect(a).toEqual(b);
    expect(a.dependencies!.map((d) => d.value!.marketplace_plugin_unique_identifier)).toEqual(['langgenius/openai:0.2@b', 'langgenius/tavily:0.1@a']);
    expect(a.app.icon_type).toBe('emoji');
  });

  it('makes dataset ids opaque by default, or maps them', () => {
    const nodes = [...basicNodes(), node({ id: 'kb', type: 'knowledge-retrieval', data: { dataset_ids: ['6a1b2c3d-0000-4000-8000-000000000001', 'qZ3vVJb8k2Yt9oJ0Hc5xT1mK4pLw7uRa8sDf2gHj6kLzXc9vBn1mQ0wE3rTy5uIo'] } })];
    const d = doc({ nodes, edges: [edge('start', 'kb'), edge('kb', 'llm'), edge('llm', 'end')] });
    const kb = (n: DslDocument): unknown => n.workflow!.graph!.nodes!.find((x) => x.id === 'kb')!.data.dataset_ids;
    expect(kb(normalizeDsl(d))).toEqual([DATASET_MARKER, DATASET_MARKER]);
    expect(kb(normalizeDsl(d, { datasetRef: (id) => (id.startsWith('6a1b') ? 'faq' : 'manual') }))).toEqual(['faq', 'manual']);
  });

  it('applies ignore rules by path pattern, keyed element and node type', () => {
    const d = doc({ env: [{ name: 'A', value_type: 'string', value: '1' }, { name: 'B', value_type: 'string', value: '2' }] });
    const n = normalizeDsl(d, {
      ignore: [
        { path: '/workflow/graph/nodes/*/data/model/completion_params', nodeType: 'llm' },
        { path: '/workflow/environment_variables/A' },
        { path: '/**/variables/*/required' },
        { path: '/app/description' },
      ],
    });
    const nodes = Object.fromEntries(n.workflow!.graph!.nodes!.map((x) => [x.id, x.data]));
    expect(nodes.llm!.model).toEqual({ provider: 'langgenius/openai/openai', name: 'gpt-4o', mode: 'chat' });
    expect(n.workflow!.environment_variables!.map((v) => v.name)).toEqual(['B']);
    expect(nodes.start!.variables).toEqual([{ variable: 'question', label: 'Q', type: 'paragraph' }]);
    expect(n.app.description).toBeUndefined();
    expect(normalizeDsl(n, { ignore: [{ path: '/app/description' }] })).toEqual(n);
  });

  it('does not modify its input', () => {
    const d = doc();
    const copy = structuredClone(d);
    normalizeDsl(d, { ignore: [{ path: '/**/title' }] });
    expect(d).toEqual(copy);
  });
});
