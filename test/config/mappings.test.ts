// Knowledge bases and tool credentials are mapped per environment by logical name. An unmapped
// knowledge base fails validation for that environment only (lint rule DSL019, fed by the
// manifest's `datasets`), and rendering swaps logical names for the environment's ids.

import { describe, expect, it } from 'vitest';
import { loadRepository, renderEnvironmentDsl, type LoadedRepository } from '../../src/config/index.js';
import { formatDiagnostic } from '../../src/diagnostics.js';
import { BASE_CONFIG, lineOf, makeRepo } from '../support/config-repo.js';

const FAQ_PROD = '6a1f0c2e-8d3b-4b7a-9c1d-2e3f4a5b6c7d';

const RAG_DSL = `app: { mode: advanced-chat, name: Help }
kind: app
version: 0.6.0
workflow:
  graph:
    nodes:
    - id: start
      data: { type: start, title: Start, variables: [] }
    - id: kb
      data:
        type: knowledge-retrieval
        title: Search the FAQ
        dataset_ids: [faq]
        query_variable_selector: [sys, query]
        retrieval_mode: multiple
    - id: search
      data:
        type: tool
        title: Web search
        provider_id: langgenius/tavily/tavily
        provider_type: builtin
        tool_name: tavily_search
        tool_parameters: {}
    - id: answer
      data: { type: answer, title: Answer, answer: '{{#kb.result#}}{{#search.text#}}' }
    edges:
    - { id: e1, source: start, target: kb }
    - { id: e2, source: kb, target: search }
    - { id: e3, source: search, target: answer }
`;

const RAG_MANIFEST = `apiVersion: dify-gitops.dev/v1
kind: App
name: help
dsl: help.dsl.yml
environments:
  dev:
    target: { create: true }
  prod:
    target: { create: true }
    datasets:
      faq: ${FAQ_PROD}
    toolCredentials:
      langgenius/tavily/tavily: 0d9e8f7a-6b5c-4d3e-8f2a-1b0c9d8e7f6a
`;

async function load(onlyEnvironment?: string): Promise<LoadedRepository> {
  const root = makeRepo({ 'dify-gitops.yaml': BASE_CONFIG, 'workflows/help/app.yaml': RAG_MANIFEST, 'workflows/help/help.dsl.yml': RAG_DSL }, { base: false });
  return loadRepository({ cwd: root, env: {}, onlyEnvironment });
}

describe('knowledge-base and tool mappings', () => {
  it('an unmapped knowledge base is an error for that environment only, at the dataset id', async () => {
    const repo = await load();
    const unmapped = repo.diagnostics.filter((d) => d.code === 'DSL019');
    expect(unmapped).toHaveLength(1);
    expect(formatDiagnostic(unmapped[0]!)).toMatch(
      new RegExp(`^workflows/help/help\\.dsl\\.yml:${lineOf(RAG_DSL, 'dataset_ids')}:23: error DSL019 knowledge base 'faq' .* not mapped for environment 'dev'`),
    );
    expect(repo.valid).toBe(false);
    // Validating prod alone: the mapping exists, nothing to report.
    const prod = await load('prod');
    expect(prod.diagnostics.map(formatDiagnostic)).toEqual([]);
  });

  it('rendering replaces logical names with the environment dataset ids and sets tool credentials', async () => {
    const repo = await load('prod');
    const desired = repo.desired.find((d) => d.environment === 'prod')!;
    expect(desired.datasets).toEqual({ faq: FAQ_PROD });
    const rendered = renderEnvironmentDsl(desired);
    const nodes = rendered.workflow?.graph?.nodes ?? [];
    expect(nodes.find((n) => n.id === 'kb')?.data.dataset_ids).toEqual([FAQ_PROD]);
    expect(nodes.find((n) => n.id === 'search')?.data.credential_id).toBe('0d9e8f7a-6b5c-4d3e-8f2a-1b0c9d8e7f6a');
    // git's document is untouched
    expect(desired.source.dsl.dsl.workflow?.graph?.nodes?.find((n) => n.id === 'kb')?.data.dataset_ids).toEqual(['faq']);
    expect(desired.source.dsl.dsl.workflow?.graph?.nodes?.find((n) => n.id === 'search')?.data.credential_id).toBeUndefined();
  });

  it('chat apps map model_config datasets and agent tools the same way', async () => {
    const chat = `app: { mode: agent-chat, name: Agent }
kind: app
version: 0.6.0
model_config:
  model: { provider: langgenius/openai/openai, name: gpt-4o, mode: chat }
  pre_prompt: Help.
  agent_mode:
    enabled: true
    tools:
    - { provider_id: langgenius/tavily/tavily, provider_type: builtin, tool_name: tavily_search, tool_parameters: {} }
  dataset_configs:
    datasets:
      datasets:
      - dataset: { enabled: true, id: faq }
`;
    const manifest = RAG_MANIFEST.replace('name: help', 'name: agent').replace('help.dsl.yml', 'agent.dsl.yml').replace('  dev:\n    target: { create: true }\n', '');
    const root = makeRepo({ 'dify-gitops.yaml': BASE_CONFIG, 'workflows/agent/app.yaml': manifest, 'workflows/agent/agent.dsl.yml': chat }, { base: false });
    const repo = await loadRepository({ cwd: root, env: {} });
    expect(repo.diagnostics.map(formatDiagnostic)).toEqual([]);
    const rendered = renderEnvironmentDsl(repo.desired[0]!);
    expect(rendered.model_config).toMatchObject({
      agent_mode: { tools: [{ provider_id: 'langgenius/tavily/tavily', credential_id: '0d9e8f7a-6b5c-4d3e-8f2a-1b0c9d8e7f6a' }] },
      dataset_configs: { datasets: { datasets: [{ dataset: { enabled: true, id: FAQ_PROD } }] } },
    });
  });
});
