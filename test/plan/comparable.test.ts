// The comparable view over every parsable corpus file: its JSON.stringify is canonical JSON (so
// plan's fast serialisation gives the digests canonicalJson gave), the input is left untouched
// (no deep clone is taken any more), and what Dify rewrites on a round trip is gone.
import { describe, expect, it } from 'vitest';
import { parseDsl, type DslDocument } from '../../src/dsl/index.js';
import { comparableDsl, comparableJson } from '../../src/plan/comparable.js';
import { canonicalJson } from '../../src/plan/digest.js';
import { corpusFiles } from '../support/dsl-corpus.js';

const docs = corpusFiles()
  .map((f) => ({ name: f.name, parsed: parseDsl(f.text, f.name) }))
  .filter((f): f is { name: string; parsed: Extract<ReturnType<typeof parseDsl>, { ok: true }> } => f.parsed.ok)
  .map((f) => ({ name: f.name, dsl: f.parsed.dsl }));

describe('comparableDsl over the corpus', () => {
  it('reads most of the corpus', () => {
    expect(docs.length).toBeGreaterThan(150);
  });

  it('serialises to canonical JSON, leaves its input unchanged and is idempotent', () => {
    const ignore = [{ path: '/workflow/graph/nodes/*/position' }, { path: '/app/description' }];
    for (const { name, dsl } of docs) {
      const before = JSON.stringify(dsl);
      for (const rules of [[], ignore]) {
        const view = comparableDsl(dsl, rules);
        expect(comparableJson(view), name).toBe(canonicalJson(view));
        expect(comparableJson(comparableDsl(view, rules)), name).toBe(comparableJson(view));
      }
      expect(JSON.stringify(dsl), name).toBe(before);
    }
  });

  it('drops format fields, dependencies, variable ids, secret values and tool credential ids', () => {
    const dsl: DslDocument = {
      version: '0.6.0',
      kind: 'app',
      app: { name: 'a', mode: 'workflow' },
      dependencies: [{ type: 'marketplace', value: { marketplace_plugin_unique_identifier: 'langgenius/tavily:0.1@x' } }],
      workflow: {
        graph: {
          nodes: [
            { id: 't', type: 'custom', data: { type: 'tool', title: 'T', provider_id: 'langgenius/tavily/tavily', credential_id: 'cred-1' } },
            { id: 'g', type: 'custom', data: { type: 'agent', title: 'G', agent_parameters: { tools: { value: [{ provider_name: 'x', credential_id: 'cred-2' }] } } } },
          ],
          edges: [],
        },
        features: {},
        environment_variables: [{ id: 'v1', name: 'TOKEN', value_type: 'secret', value: 'canary-secret-1', selector: ['env', 'TOKEN'] }],
        conversation_variables: [],
        rag_pipeline_variables: [{ variable: 'x' }],
      },
    };
    const json = comparableJson(comparableDsl(dsl));
    for (const gone of ['0.6.0', 'tavily:0.1', 'cred-1', 'cred-2', 'canary-secret-1', '"v1"', 'rag_pipeline_variables']) expect(json).not.toContain(gone);
    expect(json).toContain('"TOKEN"');
    // The input still holds everything.
    expect(JSON.stringify(dsl)).toContain('cred-1');
  });
});
