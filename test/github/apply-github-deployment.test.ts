// `dify-gitops apply --github-deployment` end to end: the command implementation against the Dify
// simulator and the fake GitHub, as a push job on main would run it. A healthy deploy, then one
// whose health checks fail and is rolled back.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as runApply } from '../../src/cli/commands/apply-run.js';
import type { Simulator } from '../../src/simulator/server.js';
import { HEAD_SHA, NEXT_HEAD_SHA, actionsRun, type ActionsRun } from '../support/actions-run.js';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github.js';
import { captureContext, createFixtureRepo, startSim, type FixtureRepo } from '../support/gitops-repo.js';
import { workflowDsl } from '../support/plan-builders.js';

const GOOD = 'RESPOND: {"verdict":"ok"}';
const BAD = 'RESPOND: {"verdict":"maybe"}';
const CANARY = 'canary-apply-deploy-secret-8e21';
const HEALTH = [{ name: 'verdict-schema', inputs: { topic: 'refunds' }, expect: { output: 'result', schema: 'verdict' } }];

describe('apply --github-deployment (simulator + fake GitHub)', () => {
  let sim: Simulator;
  let repo: FixtureRepo;
  let github: FakeGitHub;
  let actions: ActionsRun;

  beforeAll(async () => {
    sim = await startSim('1.14.1');
    repo = await createFixtureRepo({ staging: sim.url });
    repo.env.SECRET_API_KEY = CANARY;
    github = await startFakeGitHub();
    actions = await actionsRun(github, { event: 'push' });
  });
  afterAll(async () => {
    await sim.close();
    await github.close();
    await repo.cleanup();
    await actions.cleanup();
  });

  async function apply(revision: string, sha: string, draftGate = true) {
    const ctx = captureContext(repo.dir, { ...repo.env, ...actions.env, GITHUB_SHA: sha });
    const code = await runApply(ctx, { revision, message: `deploy ${revision}`, githubDeployment: true, draftGate });
    return { code, out: ctx.stdout(), err: ctx.stderr() };
  }

  const statuses = (index: number) => github.state.deployments[index]!.statuses.map((s) => `${s.state}: ${s.description}`);

  it('records in_progress then success for a healthy deploy; failure "nothing was published" at the draft gate, "rolled back" after publish', async () => {
    await repo.writeApp({ name: 'demo', dsl: workflowDsl({ name: 'demo', prompt: GOOD }), healthChecks: HEALTH });
    const healthy = await apply('rev1111', HEAD_SHA);
    expect(healthy.code).toBe(0);
    expect(github.state.deployments).toHaveLength(1);
    expect(github.state.deployments[0]).toMatchObject({ ref: HEAD_SHA, environment: 'staging', production_environment: false });
    expect(statuses(0)).toEqual(['in_progress: Importing, publishing and checking health', 'success: Deployed rev1111: 1 app applied; healthy']);

    await repo.writeApp({ name: 'demo', dsl: workflowDsl({ name: 'demo', prompt: BAD }), healthChecks: HEALTH });
    const stopped = await apply('rev2222', NEXT_HEAD_SHA);
    expect(stopped.code).toBe(3);
    expect(stopped.out).toMatch(/ROLLED BACK AT THE DRAFT GATE/);
    expect(github.state.deployments).toHaveLength(2);
    expect(github.state.deployments[1]).toMatchObject({ ref: NEXT_HEAD_SHA, environment: 'staging' });
    expect(statuses(1)).toEqual(['in_progress: Importing, publishing and checking health', 'failure: Deploy failed: demo failed its health checks on the draft; nothing was published']);

    const broken = await apply('rev2222', NEXT_HEAD_SHA, false);
    expect(broken.code).toBe(3);
    expect(broken.out).toMatch(/ROLLED BACK \(failed its checks once live\)/);
    expect(statuses(2)).toEqual(['in_progress: Importing, publishing and checking health', 'failure: demo failed its health checks; rolled back to the previous version']);
    for (const status of github.state.deployments.flatMap((d) => d.statuses)) {
      expect(status.log_url).toBe('https://github.com/acme/dify-apps/actions/runs/4242');
    }
    expect(JSON.stringify(github.requests)).not.toContain(CANARY);
    expect(github.unexpected).toEqual([]);
  });

  it('refuses to start without GITHUB_SHA, before touching Dify', async () => {
    const before = sim.state.apps.map((a) => a.workflow_id);
    const ctx = captureContext(repo.dir, { ...repo.env, ...actions.env, GITHUB_SHA: '' });
    await expect(runApply(ctx, { revision: 'rev3333', githubDeployment: true })).rejects.toThrow('--github-deployment: GitHub Actions environment is incomplete:\n  - GITHUB_SHA is not set');
    expect(sim.state.apps.map((a) => a.workflow_id)).toEqual(before);
  });
});
