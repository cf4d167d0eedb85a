// A real world for rotation tests: a Dify simulator, a throwaway dify-gitops repository with one
// published workflow app (target by app id) and a `rotation:` section, a state directory, and a
// sink directory outside the repository. Every `rotate()` builds fresh dependencies (new redactor,
// new Dify connection), like a new process would, so a "crash" loses everything but disk and Dify.

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { createConnector } from '../../src/apply/connect.js';
import { loadRepository } from '../../src/config/index.js';
import type { LoadedRepository } from '../../src/config/types.js';
import type { DifyClient } from '../../src/dify/index.js';
import type { DslDocument } from '../../src/dsl/index.js';
import { createGitHubClient } from '../../src/github/client.js';
import { readLedger, rotateDue, type LedgerEntry, type RotateDueOptions, type RotateDueReport, type RotationDeps } from '../../src/rotation/index.js';
import { Redactor } from '../../src/secrets/redactor.js';
import type { ProfileName } from '../../src/simulator/profiles.js';
import type { Simulator } from '../../src/simulator/server.js';
import type { FakeGitHub } from './fake-github.js';
import { createFixtureRepo, seedApp, simClient, startSim, type FixtureRepo } from './gitops-repo.js';

export const APP = 'gated';
export const TOKEN_VAR = 'UPSTREAM_TOKEN';
/** The app's health check passes iff UPSTREAM_TOKEN starts with `tok-` (an if-else node decides). */
export const HEALTH = [{ name: 'token-accepted', inputs: { topic: 'ping' }, expect: { output: 'result', contains: 'ok' } }];

const node = (id: string, data: Record<string, unknown>, x: number): Record<string, unknown> => ({ id, type: 'custom', position: { x, y: 0 }, data: { title: id, ...data } });
const llm = (id: string, text: string): Record<string, unknown> =>
  node(id, { type: 'llm', model: { provider: 'langgenius/openai/openai', name: 'gpt-4o-mini', mode: 'chat', completion_params: {} }, prompt_template: [{ role: 'user', text }], context: { enabled: false, variable_selector: [] } }, 600);
const edge = (source: string, target: string, handle = 'source'): Record<string, unknown> => ({ id: `${source}-${handle}-${target}`, source, sourceHandle: handle, target, targetHandle: 'target', type: 'custom' });

/** start → if UPSTREAM_TOKEN starts with `tok-` → llm answers `ok` → end; else an llm that fails. */
export function gatedDsl(version = '0.6.0'): DslDocument {
  const nodes = [
    node('start', { type: 'start', variables: [{ variable: 'topic', label: 'topic', type: 'text-input', required: true }] }, 0),
    node('gate', { type: 'if-else', cases: [{ case_id: 'true', logical_operator: 'and', conditions: [{ id: 'c1', variable_selector: ['env', TOKEN_VAR], comparison_operator: 'start with', value: 'tok-' }] }] }, 300),
    llm('accept', 'RESPOND: ok'),
    llm('reject', 'FAIL: the upstream service refused the token'),
    node('end', { type: 'end', outputs: [{ variable: 'result', value_selector: ['accept', 'text'] }] }, 900),
  ];
  const edges = [edge('start', 'gate'), edge('gate', 'accept', 'true'), edge('gate', 'reject', 'false'), edge('accept', 'end'), edge('reject', 'end')];
  return {
    app: { name: APP, mode: 'workflow', icon: '🤖', icon_background: '#FFEAD5', description: '', use_icon_as_answer_icon: false },
    kind: 'app',
    version,
    workflow: {
      graph: { nodes: nodes as never, edges: edges as never, viewport: { x: 0, y: 0, zoom: 1 } },
      features: {},
      environment_variables: [{ id: 'var-upstream-token', name: TOKEN_VAR, value_type: 'secret', value: '', description: '', selector: ['env', TOKEN_VAR] }],
      conversation_variables: [],
    },
  };
}

export interface WorldOptions {
  profile?: ProfileName;
  /** The `rotation:` section of dify-gitops.yaml (a function receives the sink directory). */
  rotation: Record<string, unknown> | ((sinkDir: string) => Record<string, unknown>);
  /** UPSTREAM_TOKEN's value in Dify at the start (published). */
  initialToken?: string;
  github?: FakeGitHub;
}

export interface RotationWorld {
  sim: Simulator;
  repo: FixtureRepo;
  /** For arranging and inspecting Dify (its own redactor). */
  client: DifyClient;
  appId: string;
  stateDir: string;
  /** A directory outside the repository for file sinks. */
  sinkDir: string;
  /** Every progress line every run logged. */
  logs: string[];
  load(): Promise<LoadedRepository>;
  rotate(options?: RotateDueOptions, overrides?: Partial<RotationDeps>): Promise<RotateDueReport>;
  ledger(name: string): Promise<LedgerEntry | undefined>;
  close(): Promise<void>;
}

export async function startRotationWorld(options: WorldOptions): Promise<RotationWorld> {
  const profile = options.profile ?? '1.14.1';
  const sim = await startSim(profile);
  const repo = await createFixtureRepo({ prod: sim.url });
  const sinkDir = await mkdtemp(join(tmpdir(), 'dify-gitops-sinks-'));
  const client = simClient(sim);
  const dsl = gatedDsl(profile === '1.0.0' ? '0.1.5' : profile === '1.9.1' ? '0.4.0' : profile === '1.12.1' ? '0.5.0' : '0.6.0');
  const appId = await seedApp(client, dsl);
  await setToken(client, appId, options.initialToken ?? 'tok-initial-value');
  repo.env.SECRET_UPSTREAM_TOKEN = options.initialToken ?? 'tok-initial-value';
  await repo.writeApp({ name: APP, dsl, healthChecks: HEALTH, environments: { prod: { target: { appId }, secrets: { [TOKEN_VAR]: { env: 'SECRET_UPSTREAM_TOKEN' } } } } });
  const configPath = join(repo.dir, 'dify-gitops.yaml');
  const config = parse(await readFile(configPath, 'utf8')) as Record<string, unknown>;
  const rotation = typeof options.rotation === 'function' ? options.rotation(sinkDir) : options.rotation;
  await writeFile(configPath, stringify({ ...config, rotation }));
  const stateDir = join(repo.dir, '.dify-gitops');
  const logs: string[] = [];
  const load = (): Promise<LoadedRepository> => loadRepository({ cwd: repo.dir, env: repo.env });

  return {
    sim,
    repo,
    client,
    appId,
    stateDir,
    sinkDir,
    logs,
    load,
    async rotate(rotateOptions = {}, overrides = {}) {
      const redactor = new Redactor();
      const loaded = await loadRepository({ cwd: repo.dir, env: repo.env, redactor });
      if (!loaded.valid) throw new Error(`fixture repository is invalid:\n${loaded.diagnostics.map((d) => `${d.file}:${d.line}: ${d.message}`).join('\n')}`);
      const connector = createConnector({ redactor, env: repo.env, cwd: repo.dir });
      try {
        return await rotateDue(
          {
            repo: loaded,
            stateDir,
            connect: connector.connect,
            redactor,
            env: repo.env,
            now: () => new Date(),
            sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
            log: (line) => void logs.push(redactor.redact(line)),
            wait: true,
            pollMs: 50,
            github: (token) => createGitHubClient({ token, baseUrl: options.github?.url ?? 'http://127.0.0.1:9', redactor, timing: { retryBaseMs: 1, rateLimitSecondMs: 1, pacing: 'none' } }),
            lockWaitMs: 0,
            breakStaleLock: false,
            ...overrides,
          },
          rotateOptions,
        );
      } finally {
        await connector.closeAll();
      }
    },
    ledger: (name) => readLedger(stateDir, name),
    async close() {
      await client.close();
      await sim.close();
      await repo.cleanup();
      await rm(sinkDir, { recursive: true, force: true });
    },
  };
}

/** Sets UPSTREAM_TOKEN in the draft and publishes, as a person would in the UI. */
export async function setToken(client: DifyClient, appId: string, value: string): Promise<void> {
  const draft = (await client.drafts.get(appId))!;
  const vars = draft.environment_variables.map((v) => (v.name === TOKEN_VAR ? { ...v, value } : v));
  await client.drafts.sync(appId, { graph: draft.graph, features: draft.features, hash: draft.hash, environment_variables: vars, conversation_variables: draft.conversation_variables });
  await client.versions.publish(appId);
}
