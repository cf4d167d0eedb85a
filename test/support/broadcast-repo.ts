// Apps of every mode for broadcast and run tests, as DSL documents whose stub-model prompts
// decide the answer (RESPOND / FAIL / SLEEP_MS, docs/simulator.md), plus manifests with tags and
// targets written into a fixture repository (gitops-repo.ts). Also a real HTTP forwarding proxy
// that counts service-API requests in flight, to check concurrency bounds from the outside.

import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { DslDocument } from '../../src/dsl/index.js';
import type { FixtureRepo } from './gitops-repo.js';

const MODEL = { provider: 'langgenius/openai/openai', name: 'gpt-4o-mini', mode: 'chat', completion_params: {} };

function node(id: string, data: Record<string, unknown>): Record<string, unknown> {
  return { id, type: 'custom', position: { x: 0, y: 0 }, data: { title: id, ...data } };
}

function edge(source: string, target: string): Record<string, unknown> {
  return { id: `${source}-source-${target}-target`, source, sourceHandle: 'source', target, targetHandle: 'target', type: 'custom' };
}

/** workflow: start(topic) → llm(prompt) → end(result = llm.text). */
export function workflowApp(name: string, prompt: string): DslDocument {
  return graphApp(name, 'workflow', prompt, node('end', { type: 'end', outputs: [{ variable: 'result', value_selector: ['llm', 'text'] }] }));
}

/** advanced-chat: start(topic) → llm(prompt) → answer node (default: the LLM's text alone). */
export function advancedChatApp(name: string, prompt: string, answer = '{{#llm.text#}}'): DslDocument {
  return graphApp(name, 'advanced-chat', prompt, node('end', { type: 'answer', answer, variables: [] }));
}

function graphApp(name: string, mode: 'workflow' | 'advanced-chat', prompt: string, last: Record<string, unknown>): DslDocument {
  const start = node('start', { type: 'start', variables: [{ variable: 'topic', label: 'topic', type: 'text-input', required: false }] });
  const llm = node('llm', { type: 'llm', model: MODEL, prompt_template: [{ role: 'user', text: prompt }], context: { enabled: false, variable_selector: [] } });
  return {
    app: { name, mode, icon: '🤖', icon_background: '#FFEAD5', description: '', use_icon_as_answer_icon: false },
    kind: 'app',
    version: '0.6.0',
    workflow: {
      graph: { nodes: [start, llm, last] as never, edges: [edge('start', 'llm'), edge('llm', 'end')] as never, viewport: { x: 0, y: 0, zoom: 1 } },
      features: {},
      environment_variables: [],
      conversation_variables: [],
    },
  };
}

/** chat, agent-chat or completion: the pre-prompt holds the stub-model directives. */
export function modelConfigApp(name: string, mode: 'chat' | 'agent-chat' | 'completion', prePrompt: string): DslDocument {
  return {
    app: { name, mode, icon: '🤖', icon_background: '#FFEAD5', description: '', use_icon_as_answer_icon: false },
    kind: 'app',
    version: '0.6.0',
    model_config: {
      pre_prompt: prePrompt,
      model: MODEL,
      user_input_form: [],
      prompt_type: 'simple',
      ...(mode === 'agent-chat' ? { agent_mode: { enabled: true, strategy: 'function_call', tools: [] } } : {}),
    },
  };
}

export interface ManifestOptions {
  tags?: string[];
  /** Default `{ create: true }` in every environment of the repository. */
  target?: Record<string, unknown>;
}

/** Writes the app's DSL and a manifest (with tags) deploying it to `environments`. */
export async function writeTaggedApp(repo: FixtureRepo, environments: readonly string[], dsl: DslDocument, options: ManifestOptions = {}): Promise<void> {
  const name = dsl.app.name!;
  const dir = join(repo.dir, 'workflows', name);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, `${name}.dsl.yml`), stringify(dsl));
  const manifest = {
    apiVersion: 'dify-gitops.dev/v1',
    kind: 'App',
    name,
    dsl: `${name}.dsl.yml`,
    ...(options.tags ? { tags: options.tags } : {}),
    environments: Object.fromEntries(environments.map((env) => [env, { target: options.target ?? { create: true } }])),
  };
  await writeFile(join(dir, 'app.yaml'), stringify(manifest));
}

export interface CountingProxy {
  url: string;
  /** Most service-API calls (`POST /v1/…`: runs) in flight at once so far. */
  maxInFlight(): number;
  /** Service-API calls forwarded so far. */
  count(): number;
  /** Every request forwarded, as `METHOD /path`. */
  paths(): string[];
  reset(): void;
  close(): Promise<void>;
}

/** Forwards every request to `target`; counts `POST /v1/…` calls from arrival to the end of the response. */
export async function startCountingProxy(target: string): Promise<CountingProxy> {
  const upstream = new URL(target);
  let inFlight = 0;
  let max = 0;
  let count = 0;
  const paths: string[] = [];
  const server = createServer((req, res) => {
    const counted = req.method === 'POST' && (req.url ?? '').startsWith('/v1/');
    paths.push(`${req.method} ${req.url}`);
    if (counted) {
      count += 1;
      inFlight += 1;
      max = Math.max(max, inFlight);
    }
    let done = false;
    const finish = (): void => {
      if (counted && !done) inFlight -= 1;
      done = true;
    };
    res.on('close', finish);
    const forward = httpRequest(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    maxInFlight: () => max,
    count: () => count,
    paths: () => paths,
    reset() {
      max = inFlight;
      count = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
