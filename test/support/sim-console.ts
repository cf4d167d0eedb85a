// Service-API test helpers over real HTTP: build DSL for a graph, get an app with a PUBLISHED
// workflow and an app key through the console API (import → publish → api-keys), create
// chat-family apps, call /v1 with a Bearer key, and read SSE streams byte for byte.

import type { ConsoleClient } from './simulator-console.js';
import type { Simulator } from '../../src/simulator/server.js';

export interface GraphDslOptions {
  name?: string;
  mode?: 'workflow' | 'advanced-chat';
  nodes: unknown[];
  edges: unknown[];
  env?: unknown[];
  conversationVariables?: unknown[];
  features?: Record<string, unknown>;
}

/** A DSL document (JSON is valid YAML) for a graph given as nodes and edges. */
export function graphDsl(options: GraphDslOptions): string {
  return JSON.stringify({
    app: { name: options.name ?? 'Service test', mode: options.mode ?? 'workflow', icon: '🤖', icon_background: '#FFEAD5', description: 'd', use_icon_as_answer_icon: false },
    kind: 'app',
    version: '0.1.5',
    workflow: {
      conversation_variables: options.conversationVariables ?? [],
      environment_variables: options.env ?? [],
      features: options.features ?? { opening_statement: 'Hello!' },
      graph: { nodes: options.nodes, edges: options.edges, viewport: { x: 0, y: 0, zoom: 1 } },
    },
  });
}

export function n(id: string, type: string, data: Record<string, unknown> = {}): Record<string, unknown> {
  return { id, type: 'custom', position: { x: 0, y: 0 }, data: { type, title: id, ...data } };
}

export function e(source: string, target: string, sourceHandle = 'source'): Record<string, unknown> {
  return { id: `${source}-${sourceHandle}-${target}`, source, target, sourceHandle, targetHandle: 'target', type: 'custom' };
}

/** start(q: text, required) → llm(prompt) → end(answer = llm.text). */
export function llmWorkflow(prompt: string, extra: { maxLength?: number } = {}): GraphDslOptions {
  return {
    nodes: [
      n('start', 'start', { variables: [{ variable: 'q', label: 'Q', type: 'text-input', required: true, max_length: extra.maxLength ?? 48 }] }),
      n('llm', 'llm', { model: { provider: 'langgenius/openai/openai', name: 'gpt-4o', mode: 'chat' }, prompt_template: [{ role: 'user', text: prompt }], context: { enabled: false } }),
      n('end', 'end', { outputs: [{ variable: 'answer', value_selector: ['llm', 'text'] }] }),
    ],
    edges: [e('start', 'llm'), e('llm', 'end')],
  };
}

function expectStatus(res: { status: number; text: string }, status: number, what: string): void {
  if (res.status !== status) throw new Error(`${what}: HTTP ${res.status} ${res.text}`);
}

/** Imports the DSL as a new app (confirming a pending import) and returns the app id. */
export async function importApp(client: ConsoleClient, dsl: string): Promise<string> {
  let res = await client.importYaml(dsl);
  if (res.status === 202) res = await client.post(`/console/api/apps/imports/${String(res.body.id)}/confirm`, {});
  if (res.status !== 200) throw new Error(`import: HTTP ${res.status} ${res.text}`);
  return String(res.body.app_id);
}

export async function publish(client: ConsoleClient, appId: string): Promise<void> {
  expectStatus(await client.post(`/console/api/apps/${appId}/workflows/publish`, {}), 200, 'publish');
}

export async function createKey(client: ConsoleClient, appId: string): Promise<string> {
  const res = await client.post(`/console/api/apps/${appId}/api-keys`, undefined);
  expectStatus(res, 201, 'create api key');
  return String(res.body.token);
}

/** An app with a published workflow and an app key: login is already done on `client`. */
export async function publishedApp(client: ConsoleClient, options: GraphDslOptions): Promise<{ appId: string; key: string }> {
  const appId = await importApp(client, graphDsl(options));
  await publish(client, appId);
  return { appId, key: await createKey(client, appId) };
}

/** A chat / agent-chat / completion app with its model_config patched, plus a key. */
export async function chatApp(client: ConsoleClient, mode: 'chat' | 'agent-chat' | 'completion', modelConfig: Record<string, unknown> = {}): Promise<{ appId: string; key: string }> {
  const created = await client.post('/console/api/apps', { name: `${mode} app`, mode, icon_type: 'emoji', icon: '🤖', icon_background: '#FFEAD5' });
  expectStatus(created, 201, 'create app');
  const appId = String(created.body.id);
  if (Object.keys(modelConfig).length > 0) {
    const detail = await client.get(`/console/api/apps/${appId}`);
    expectStatus(await client.post(`/console/api/apps/${appId}/model-config`, { ...detail.body.model_config, ...modelConfig }), 200, 'model-config');
  }
  return { appId, key: await createKey(client, appId) };
}

/** Response bodies and SSE payloads are arbitrary JSON, asserted field by field in the tests. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type SseEvent = any;

export interface V1Response {
  status: number;
  headers: Headers;
  text: string;
  body: SseEvent;
}

export async function v1(sim: Simulator, key: string | null, method: string, path: string, json?: unknown, headers: Record<string, string> = {}): Promise<V1Response> {
  const all: Record<string, string> = { ...headers };
  if (key !== null) all.Authorization = `Bearer ${key}`;
  if (json !== undefined) all['Content-Type'] = 'application/json';
  const res = await fetch(`${sim.url}${path}`, { method, headers: all, ...(json === undefined ? {} : { body: JSON.stringify(json) }) });
  const text = await res.text();
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, headers: res.headers, text, body };
}

export type SseFrame = { kind: 'data'; raw: string; json: SseEvent } | { kind: 'ping' };

/** Splits an SSE body into frames; throws on anything that is not Dify's exact framing. */
export function parseSse(text: string): SseFrame[] {
  if (!text.endsWith('\n\n')) throw new Error(`stream does not end with a blank line: ${JSON.stringify(text.slice(-40))}`);
  return text
    .slice(0, -2)
    .split('\n\n')
    .map((block): SseFrame => {
      if (block === 'event: ping') return { kind: 'ping' };
      if (!block.startsWith('data: ') || block.includes('\n')) throw new Error(`unexpected SSE block: ${JSON.stringify(block)}`);
      const raw = block.slice('data: '.length);
      return { kind: 'data', raw, json: JSON.parse(raw) };
    });
}

export function dataEvents(frames: SseFrame[]): SseEvent[] {
  return frames.filter((f): f is Extract<SseFrame, { kind: 'data' }> => f.kind === 'data').map((f): SseEvent => f.json);
}
