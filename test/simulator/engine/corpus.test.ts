// Runs the engine over every workflow / advanced-chat app in the shared DSL corpus: it must never
// throw or hang, and must return a well-formed result (a failed status is fine for graphs that
// need real tools or data).

import { describe, expect, it } from 'vitest';
import { parseYaml } from '../../../src/yaml/parse-yaml.js';
import { runGraph } from '../../../src/simulator/engine/run-graph.js';
import { runModelConfig } from '../../../src/simulator/engine/model-config-run.js';
import { startVariables, validateInputs, variablesFromUserInputForm } from '../../../src/simulator/engine/inputs.js';
import type { WorkflowGraph } from '../../../src/simulator/engine/types.js';
import { corpusFiles } from '../../support/dsl-corpus.js';

type Variable = { name: string; value: unknown };
type Dsl = {
  app?: { mode?: string };
  workflow?: { graph?: WorkflowGraph; environment_variables?: Variable[]; conversation_variables?: Variable[] };
  model_config?: Record<string, unknown>;
};

function sampleInputs(variables: Record<string, unknown>[]): Record<string, unknown> {
  const inputs: Record<string, unknown> = {};
  for (const v of variables) {
    const name = String(v.variable);
    const options = Array.isArray(v.options) ? v.options : [];
    inputs[name] =
      v.type === 'number' ? 1 : v.type === 'select' ? (options[0] ?? '') : v.type === 'file' ? {} : v.type === 'file-list' ? [] : v.type === 'checkbox' ? true : v.type === 'json_object' ? {} : 'x';
  }
  return inputs;
}

const files = corpusFiles().map((f) => {
  const parsed = parseYaml(f.text, { version: '1.1' });
  return { name: f.name, dsl: (parsed.ok ? parsed.value : null) as Dsl | null };
});
const graphs = files.filter((f) => f.dsl?.workflow?.graph && (f.dsl.app?.mode === 'workflow' || f.dsl.app?.mode === 'advanced-chat'));

describe('engine over the DSL corpus', () => {
  it('finds the corpus', () => {
    expect(graphs.length).toBeGreaterThan(100);
  });

  it('runs every workflow and advanced-chat graph without throwing', () => {
    const statuses: Record<string, number> = {};
    for (const { name, dsl } of graphs) {
      const workflow = dsl?.workflow ?? {};
      const graph = workflow.graph ?? { nodes: [], edges: [] };
      const checked = validateInputs(startVariables(graph), sampleInputs(startVariables(graph)));
      const environment = Object.fromEntries((workflow.environment_variables ?? []).map((e) => [e.name, e.value]));
      const result = runGraph({
        mode: dsl?.app?.mode === 'advanced-chat' ? 'advanced-chat' : 'workflow',
        graph,
        inputs: checked.ok ? checked.inputs : {},
        query: 'hello',
        environment,
        conversation: Object.fromEntries((workflow.conversation_variables ?? []).map((v) => [v.name, v.value])),
        sys: { user_id: 'u', app_id: 'a', workflow_id: 'w', workflow_run_id: 'r', conversation_id: 'c', dialogue_count: 1 },
      });
      expect(['succeeded', 'failed', 'partial-succeeded'], name).toContain(result.status);
      expect(result.status === 'failed' ? typeof result.error : result.error, name).toBe(result.status === 'failed' ? 'string' : null);
      expect(result.totalSteps, name).toBeLessThanOrEqual(501);
      expect(() => JSON.stringify(result), name).not.toThrow();
      statuses[result.status] = (statuses[result.status] ?? 0) + 1;
    }
    // Nearly every real graph completes (179 of 183 when measured): the stub model and placeholders keep them flowing.
    expect(statuses.succeeded ?? 0).toBeGreaterThan(graphs.length * 0.9);
  });

  it('runs every chat / agent-chat / completion model_config without throwing', () => {
    const apps = files.filter((f) => f.dsl?.model_config && ['chat', 'agent-chat', 'completion'].includes(f.dsl.app?.mode ?? ''));
    for (const { name, dsl } of apps) {
      const config = dsl?.model_config ?? {};
      const variables = variablesFromUserInputForm(config.user_input_form);
      const result = runModelConfig({ mode: dsl?.app?.mode as 'chat', modelConfig: config, inputs: sampleInputs(variables), query: 'hello' });
      expect(typeof result.answer, name).toBe('string');
    }
  });
});
