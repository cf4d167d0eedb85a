// A deployed app ready for fault injection: a simulator, a repository whose app passes its health
// check, and one successful apply. Helpers read what is live from the simulator's own state.

import { run as runApply, type ApplyOptions } from '../../src/cli/commands/apply-run.js';
import { run as runRecover } from '../../src/cli/commands/recover-run.js';
import type { ProfileName } from '../../src/simulator/profiles.js';
import type { Simulator } from '../../src/simulator/server.js';
import { workflowDsl } from './plan-builders.js';
import { captureContext, createFixtureRepo, startSim, type FixtureRepo } from './gitops-repo.js';

export const GOOD = 'RESPOND: {"verdict":"ok"}';
export const GOOD_V2 = 'Second version.\nRESPOND: {"verdict":"ok"}';
export const BAD = 'RESPOND: {"verdict":"maybe"}';
export const SECRET = 'canary-fault-secret-5e9d21';
export const HEALTH = [{ name: 'verdict-schema', inputs: { topic: 'x' }, timeout: '2s', expect: { output: 'result', schema: 'verdict' } }];

export interface Scenario {
  sim: Simulator;
  repo: FixtureRepo;
  appId: string;
  /** Writes the app's DSL with this prompt (and DSL version). */
  deployPrompt(prompt: string, options?: { version?: string; policies?: Record<string, unknown> }): Promise<void>;
  apply(options?: ApplyOptions): Promise<{ code: number; out: string; err: string }>;
  recover(): Promise<{ code: number; out: string; err: string }>;
  /** The LLM prompt of the published version and its secret value, from the simulator's state. */
  live(): { prompt: string; secret: unknown; workflowId: string | null };
  close(): Promise<void>;
}

export async function deployedScenario(profile: ProfileName = '1.14.1'): Promise<Scenario> {
  const sim = await startSim(profile);
  const repo = await createFixtureRepo({ staging: sim.url });
  repo.env.SECRET_API_KEY = SECRET;
  const dslVersion = profile === '1.12.1' ? '0.5.0' : '0.6.0';
  const deployPrompt = (prompt: string, options: { version?: string; policies?: Record<string, unknown> } = {}): Promise<void> =>
    repo.writeApp({ name: 'demo', dsl: workflowDsl({ name: 'demo', prompt, version: options.version ?? dslVersion }), healthChecks: HEALTH, ...(options.policies ? { policies: options.policies } : {}) });
  const apply = async (options: ApplyOptions = {}) => {
    const ctx = captureContext(repo.dir, repo.env);
    const code = await runApply(ctx, { revision: 'rev', message: 'fault test', requestTimeout: '1', ...options });
    return { code, out: ctx.stdout(), err: ctx.stderr() };
  };
  await deployPrompt(GOOD);
  const first = await apply({ revision: 'good' });
  if (first.code !== 0) throw new Error(`initial apply failed (${first.code}): ${first.out}${first.err}`);
  const appId = sim.state.apps.find((a) => a.name === 'demo')!.id;
  return {
    sim,
    repo,
    appId,
    deployPrompt,
    apply,
    async recover() {
      const ctx = captureContext(repo.dir, repo.env);
      const code = await runRecover(ctx, {});
      return { code, out: ctx.stdout(), err: ctx.stderr() };
    },
    live() {
      const app = sim.state.apps.find((a) => a.id === appId)!;
      const wf = sim.state.workflows.find((w) => w.id === app.workflow_id);
      const llm = (wf?.graph.nodes as { id: string; data: { prompt_template?: { text: string }[] } }[] | undefined)?.find((n) => n.id === 'llm');
      return { prompt: llm?.data.prompt_template?.[0]?.text ?? '', secret: wf?.environment_variables.find((v) => v.name === 'API_KEY')?.value, workflowId: app.workflow_id };
    },
    async close() {
      await sim.close();
      await repo.cleanup();
    },
  };
}

/** Resolves once the simulator has taken (consumed) the fault with this id: the request arrived. */
export async function faultTaken(sim: Simulator, id: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (sim.faults.list().some((f) => f.id === id)) {
    if (Date.now() > deadline) throw new Error('the faulted request never arrived');
    await new Promise((r) => setTimeout(r, 20));
  }
}
