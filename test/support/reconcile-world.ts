// Reconcile test world: a simulator, a fixture repository pointing at it (environment `staging`),
// apps deployed through the real apply command, "UI" edits made through the console API (sync
// the draft, optionally publish), and reconcile() called with the repository's environment.

import type { DifyClient } from '../../src/dify/index.js';
import { run as runApply } from '../../src/cli/commands/apply-run.js';
import { reconcile, type ReconcileDeps, type ReconcileReport, type ReconcileRequest } from '../../src/reconcile/index.js';
import { Redactor } from '../../src/secrets/redactor.js';
import type { Simulator } from '../../src/simulator/server.js';
import { captureContext, createFixtureRepo, simClient, startSim, type FixtureRepo } from './gitops-repo.js';

export interface ReconcileWorld {
  sim: Simulator;
  repo: FixtureRepo;
  client: DifyClient;
  apply(revision?: string): Promise<{ code: number; out: string; err: string }>;
  reconcile(request?: Partial<ReconcileRequest>, deps?: Partial<ReconcileDeps>): Promise<ReconcileReport>;
  appId(name: string): string;
  close(): Promise<void>;
}

export async function startReconcileWorld(options: { policies?: Record<string, unknown>; envPolicies?: Record<string, unknown> } = {}): Promise<ReconcileWorld> {
  const sim = await startSim();
  const repo = await createFixtureRepo({ staging: sim.url }, options.policies ? { policies: options.policies } : {});
  if (options.envPolicies) {
    const { readFile, writeFile } = await import('node:fs/promises');
    const { parse, stringify } = await import('yaml');
    const path = `${repo.dir}/dify-gitops.yaml`;
    const config = parse(await readFile(path, 'utf8')) as { environments: Record<string, Record<string, unknown>> };
    config.environments.staging!.policies = options.envPolicies;
    await writeFile(path, stringify(config));
  }
  const client = simClient(sim);
  return {
    sim,
    repo,
    client,
    async apply(revision = 'rev1') {
      const ctx = captureContext(repo.dir, repo.env);
      const code = await runApply(ctx, { revision, message: `deploy ${revision}` });
      return { code, out: ctx.stdout(), err: ctx.stderr() };
    },
    reconcile(request = {}, deps = {}) {
      return reconcile({ repoDir: repo.dir, ...request }, { redactor: new Redactor(), env: repo.env, revision: { id: 'rev1', subject: 'test' }, ...deps });
    },
    appId(name) {
      const app = sim.state.apps.find((a) => a.name === name);
      if (app === undefined) throw new Error(`no app ${name} in the simulator`);
      return app.id;
    },
    async close() {
      await client.close();
      await sim.close();
      await repo.cleanup();
    },
  };
}

/** What a person does in the Dify UI: edit the LLM prompt in the draft, and publish it unless `draftOnly`. */
export async function editInUi(client: DifyClient, appId: string, prompt: string, options: { draftOnly?: boolean } = {}): Promise<void> {
  const draft = await client.drafts.get(appId);
  if (draft === null) throw new Error('no draft to edit');
  const graph = structuredClone(draft.graph) as { nodes: { id: string; data: Record<string, unknown> }[] };
  const llm = graph.nodes.find((n) => n.id === 'llm');
  if (llm === undefined) throw new Error('no llm node');
  llm.data.prompt_template = [{ role: 'user', text: prompt }];
  await client.drafts.sync(appId, {
    graph,
    features: draft.features,
    hash: draft.hash,
    // The UI sends secrets back masked: Dify keeps their values.
    environment_variables: draft.environment_variables.map((v) => (v.value_type === 'secret' ? { ...v, value: '[__HIDDEN__]' } : v)),
    conversation_variables: draft.conversation_variables,
  });
  if (options.draftOnly !== true) await client.versions.publish(appId);
}

/** The LLM prompt of the app's published version, read from the simulator's state. */
export function publishedPrompt(sim: Simulator, appId: string): string | undefined {
  const app = sim.state.apps.find((a) => a.id === appId);
  const workflow = sim.state.workflows.find((w) => w.id === app?.workflow_id);
  const graph = workflow?.graph as { nodes?: { id: string; data: { prompt_template?: { text: string }[] } }[] } | undefined;
  return graph?.nodes?.find((n) => n.id === 'llm')?.data.prompt_template?.[0]?.text;
}

export function statusOf(report: ReconcileReport, app: string, env = 'staging'): string | undefined {
  return report.environments.find((e) => e.env === env)?.apps.find((a) => a.app === app)?.status;
}
