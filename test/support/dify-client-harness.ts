// Starts the Dify simulator and a real Dify client (src/dify) pointed at it, for tests that drive
// the simulator through the client. Also: fault injection over HTTP (POST /_simulator/faults),
// a shared injectable clock, and a small valid workflow DSL. Owned by the Dify-client tests.

import { createDifyClient, type DifyClient, type DifyClientOptions } from '../../src/dify/index.js';
import { Redactor } from '../../src/secrets/redactor.js';
import type { ProfileName } from '../../src/simulator/profiles.js';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../src/simulator/server.js';

export const OWNER_EMAIL = 'owner@example.com';
/** A canary: it must never appear in an error message or log line. */
export const OWNER_PASSWORD = 'Canary-Passw0rd-7731';
export const ADMIN_KEY = 'admin-key-canary-4f9d2c';
export const WORKSPACE_ID = '5b0c4f3e-2a51-4c4b-9f3e-6f1d2a7b8c90';

export interface Harness {
  sim: Simulator;
  client: DifyClient;
  redactor: Redactor;
  /** Waits the client's backoff asked for (the injected sleep). */
  sleeps: number[];
  /** Adds a fault rule through the simulator's HTTP control API. */
  fault(spec: Record<string, unknown>): Promise<void>;
  /** Requests the simulator saw since the harness started, as `METHOD /path status`. */
  seen(): string[];
  /** Starts another client against the same simulator. */
  newClient(options?: Partial<DifyClientOptions>): DifyClient;
  close(): Promise<void>;
}

export interface HarnessOptions {
  profile?: ProfileName;
  auth?: 'password' | 'admin-key';
  simulator?: Partial<SimulatorOptions>;
  client?: Partial<DifyClientOptions>;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const sim = await startSimulator({
    port: 0,
    profile: options.profile ?? '1.14.1',
    email: OWNER_EMAIL,
    password: OWNER_PASSWORD,
    adminApiKey: ADMIN_KEY,
    workspaceId: WORKSPACE_ID,
    onError: (error) => {
      throw error;
    },
    ...options.simulator,
  });
  const redactor = new Redactor();
  const sleeps: number[] = [];
  const clients: DifyClient[] = [];
  const newClient = (overrides: Partial<DifyClientOptions> = {}): DifyClient => {
    const client = createDifyClient({
      baseUrl: sim.url,
      auth:
        options.auth === 'admin-key'
          ? { kind: 'admin-key', apiKey: ADMIN_KEY, workspaceId: WORKSPACE_ID }
          : { kind: 'password', email: OWNER_EMAIL, password: OWNER_PASSWORD },
      redactor,
      timeoutMs: 5_000,
      sleep: (ms) => {
        sleeps.push(ms);
        return Promise.resolve();
      },
      ...options.client,
      ...overrides,
    });
    clients.push(client);
    return client;
  };
  const client = newClient();
  return {
    sim,
    client,
    redactor,
    sleeps,
    async fault(spec) {
      const res = await fetch(`${sim.url}/_simulator/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(spec) });
      if (!res.ok) throw new Error(`fault rejected: ${res.status} ${await res.text()}`);
    },
    seen: () => sim.requests.filter((r) => !r.path.startsWith('/_simulator')).map((r) => `${r.method} ${r.path} ${r.status}`),
    newClient,
    async close() {
      for (const c of clients) await c.close();
      await sim.close();
    },
  };
}

export const START_END_GRAPH = {
  nodes: [
    { id: 'start', type: 'custom', position: { x: 0, y: 0 }, data: { type: 'start', title: 'Start', variables: [] } },
    { id: 'end', type: 'custom', position: { x: 300, y: 0 }, data: { type: 'end', title: 'End', outputs: [] } },
  ],
  edges: [{ id: 'start-source-end-target', source: 'start', target: 'end', sourceHandle: 'source', targetHandle: 'target', type: 'custom' }],
  viewport: { x: 0, y: 0, zoom: 1 },
};

/** A workflow DSL document (JSON is valid YAML; the quoted version stays a string). */
export function workflowYaml(
  options: { name?: string; version?: string; env?: unknown[]; dependencies?: unknown[]; mode?: 'workflow' | 'advanced-chat'; graph?: unknown } = {},
): string {
  return JSON.stringify({
    app: { name: options.name ?? 'Imported', mode: options.mode ?? 'workflow', icon: '🤖', icon_background: '#FFEAD5', description: 'from git' },
    kind: 'app',
    version: options.version ?? '0.6.0',
    ...(options.dependencies === undefined ? {} : { dependencies: options.dependencies }),
    workflow: {
      graph: options.graph ?? START_END_GRAPH,
      features: { opening_statement: '' },
      environment_variables: options.env ?? [],
      conversation_variables: [],
    },
  });
}

/** workflow: input `q` → end output `echo` = q. */
export const ECHO_WORKFLOW_GRAPH = {
  nodes: [
    { id: 'start', type: 'custom', position: { x: 0, y: 0 }, data: { type: 'start', title: 'Start', variables: [{ variable: 'q', label: 'q', type: 'text-input', required: true, max_length: 100 }] } },
    { id: 'end', type: 'custom', position: { x: 300, y: 0 }, data: { type: 'end', title: 'End', outputs: [{ variable: 'echo', value_selector: ['start', 'q'] }] } },
  ],
  edges: [{ id: 'start-source-end-target', source: 'start', target: 'end', sourceHandle: 'source', targetHandle: 'target', type: 'custom' }],
  viewport: { x: 0, y: 0, zoom: 1 },
};

/** advanced-chat: answers `You said <query>`. */
export const ECHO_CHAT_GRAPH = {
  nodes: [
    { id: 'start', type: 'custom', position: { x: 0, y: 0 }, data: { type: 'start', title: 'Start', variables: [] } },
    { id: 'answer', type: 'custom', position: { x: 300, y: 0 }, data: { type: 'answer', title: 'Answer', answer: 'You said {{#sys.query#}}', variables: [] } },
  ],
  edges: [{ id: 'start-source-answer-target', source: 'start', target: 'answer', sourceHandle: 'source', targetHandle: 'target', type: 'custom' }],
  viewport: { x: 0, y: 0, zoom: 1 },
};
