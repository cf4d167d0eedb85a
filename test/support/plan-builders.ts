// Plain-data builders for plan, apply and health tests: a small workflow DSL, a DesiredApp around
// it, and LiveApp observations. No servers, no mocks.

import { stringify } from 'yaml';
import { DEFAULT_POLICIES } from '../../src/config/resolve-policies.js';
import type { AppMode, DesiredApp, HealthCheck, HealthExpectation, Policies, SecretBinding } from '../../src/config/types.js';
import { parseDsl, type DslDocument } from '../../src/dsl/index.js';
import type { LiveApp, ServerFacts } from '../../src/plan/types.js';

export interface WorkflowOptions {
  name?: string;
  mode?: AppMode;
  prompt?: string;
  version?: string;
  env?: { id?: string; name: string; value_type: string; value: unknown }[];
  datasetIds?: string[];
}

/** start → llm → end, with env vars; `prompt` is the LLM's user prompt. */
export function workflowDsl(options: WorkflowOptions = {}): DslDocument {
  const nodes: Record<string, unknown>[] = [
    { id: 'start', type: 'custom', position: { x: 0, y: 0 }, data: { type: 'start', title: 'Start', variables: [{ variable: 'topic', label: 'topic', type: 'text-input', required: true }] } },
    {
      id: 'llm',
      type: 'custom',
      position: { x: 300, y: 0 },
      data: {
        type: 'llm',
        title: 'LLM',
        model: { provider: 'langgenius/openai/openai', name: 'gpt-4o-mini', mode: 'chat', completion_params: {} },
        prompt_template: [{ role: 'user', text: options.prompt ?? 'Write about {{#start.topic#}}' }],
        context: { enabled: false, variable_selector: [] },
      },
    },
    { id: 'end', type: 'custom', position: { x: 600, y: 0 }, data: { type: 'end', title: 'End', outputs: [{ variable: 'result', value_selector: ['llm', 'text'] }] } },
  ];
  const edges = [
    { id: 'start-source-llm-target', source: 'start', sourceHandle: 'source', target: 'llm', targetHandle: 'target', type: 'custom' },
    { id: 'llm-source-end-target', source: 'llm', sourceHandle: 'source', target: 'end', targetHandle: 'target', type: 'custom' },
  ];
  if (options.datasetIds) {
    nodes.push({ id: 'kb', type: 'custom', data: { type: 'knowledge-retrieval', title: 'KB', dataset_ids: options.datasetIds, query_variable_selector: ['start', 'topic'], retrieval_mode: 'multiple' } });
  }
  return {
    app: { name: options.name ?? 'demo', mode: options.mode ?? 'workflow', icon: '🤖', icon_background: '#FFEAD5', description: '', use_icon_as_answer_icon: false },
    kind: 'app',
    version: options.version ?? '0.6.0',
    workflow: {
      graph: { nodes: nodes as never, edges, viewport: { x: 0, y: 0, zoom: 1 } },
      features: {},
      environment_variables: (options.env ?? [
        { id: 'git-key-id', name: 'API_KEY', value_type: 'secret', value: '' },
        { id: 'git-region-id', name: 'REGION', value_type: 'string', value: 'eu' },
      ]).map((v) => ({ id: v.id ?? `git-${v.name}`, description: '', selector: ['env', v.name], ...v })),
      conversation_variables: [],
    },
  };
}

export function chatDsl(prePrompt: string, name = 'chatty'): DslDocument {
  return {
    app: { name, mode: 'chat', icon: '🤖', icon_background: '#FFEAD5', description: '', use_icon_as_answer_icon: false },
    kind: 'app',
    version: '0.6.0',
    model_config: {
      pre_prompt: prePrompt,
      model: { provider: 'langgenius/openai/openai', name: 'gpt-4o-mini', mode: 'chat', completion_params: {} },
      user_input_form: [],
      prompt_type: 'simple',
    },
  };
}

export interface DesiredOptions {
  environment?: string;
  name?: string;
  secrets?: SecretBinding[];
  datasets?: Record<string, string>;
  policies?: Partial<Policies>;
  healthChecks?: HealthCheck[];
  target?: DesiredApp['target'];
  overrides?: DesiredApp['overrides'];
}

export function desiredApp(dsl: DslDocument, options: DesiredOptions = {}): DesiredApp {
  const text = stringify(dsl);
  const parsed = parseDsl(text, 'workflows/demo/app.dsl.yml');
  if (!parsed.ok) throw new Error(`fixture DSL does not parse: ${JSON.stringify(parsed.diagnostics)}`);
  const mode = dsl.app.mode as AppMode;
  return {
    name: options.name ?? 'demo',
    environment: options.environment ?? 'staging',
    source: {
      name: options.name ?? 'demo',
      manifestFile: 'workflows/demo/app.yaml',
      dslFile: 'workflows/demo/app.dsl.yml',
      mode,
      dslVersion: dsl.version ?? '0.1.0',
      description: undefined,
      tags: [],
      dsl: parsed,
      environments: [options.environment ?? 'staging'],
    },
    target: options.target ?? { kind: 'adopt', name: dsl.app.name ?? 'demo' },
    overrides: options.overrides ?? [],
    datasets: options.datasets ?? {},
    toolCredentials: {},
    secrets: options.secrets ?? [],
    healthChecks: options.healthChecks ?? [],
    policies: { ...DEFAULT_POLICIES, ...options.policies },
  };
}

/** What Dify would hold after importing and publishing `dsl`: live ids, secrets blanked. */
export function liveFrom(dsl: DslDocument, options: { appId?: string; draft?: DslDocument | null; publishedWorkflowId?: string | null; mode?: string } = {}): LiveApp {
  const blank = (doc: DslDocument): DslDocument => {
    const copy = structuredClone(doc);
    for (const v of copy.workflow?.environment_variables ?? []) {
      v.id = `live-${v.name}`;
      if (v.value_type === 'secret') v.value = '';
    }
    return copy;
  };
  const published = blank(dsl);
  const isWorkflow = (options.mode ?? dsl.app.mode) === 'workflow' || (options.mode ?? dsl.app.mode) === 'advanced-chat';
  return {
    appId: options.appId ?? 'app-1',
    name: dsl.app.name ?? 'demo',
    mode: options.mode ?? String(dsl.app.mode),
    updatedAt: 1_700_000_000,
    publishedWorkflowId: options.publishedWorkflowId === undefined ? (isWorkflow ? 'wf-1' : null) : options.publishedWorkflowId,
    published,
    draft: isWorkflow ? (options.draft === undefined ? published : options.draft === null ? null : blank(options.draft)) : null,
    draftEnvironmentVariables: (published.workflow?.environment_variables ?? []).map((v) => ({ id: v.id!, name: v.name, value_type: v.value_type ?? 'string' })),
  };
}

export const SERVER_1_14: ServerFacts = {
  version: '1.14.1',
  dslVersion: '0.6.0',
  versionRule: 'relaxed',
  restoreEndpoint: true,
  exportWorkflowId: true,
  runWorkflowById: true,
  checkDependencies: true,
};

export const SERVER_1_12: ServerFacts = { ...SERVER_1_14, version: '1.12.1', dslVersion: '0.5.0', restoreEndpoint: false };

export function healthCheck(expect: Partial<HealthExpectation> = {}, options: Partial<HealthCheck> = {}): HealthCheck {
  return {
    name: 'smoke',
    description: undefined,
    mode: 'workflow',
    inputs: { topic: 'x' },
    query: undefined,
    responseMode: 'blocking',
    attempts: 1,
    minPasses: 1,
    timeoutMs: 10_000,
    ...options,
    expect: {
      status: 'succeeded',
      subject: { kind: 'outputs' },
      json: false,
      schema: undefined,
      contains: [],
      notContains: [],
      regex: undefined,
      maxLatencyMs: undefined,
      maxTokens: undefined,
      ...expect,
    },
  };
}
