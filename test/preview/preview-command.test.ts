// `dify-gitops preview` end to end: the command implementation against the Dify simulator and
// the fake GitHub, in a real git repository: previews of the apps a pull request changes are
// created, updated on the next push, reported in the pull request's one plan comment, carry no
// secret, and are deleted on clean-up.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as runPlan } from '../../src/cli/commands/plan-run.js';
import { run as runPreview, type PreviewOptions } from '../../src/cli/commands/preview-run.js';
import { parseMarker } from '../../src/github/comment-marker.js';
import type { Simulator } from '../../src/simulator/server.js';
import { actionsRun, NEXT_HEAD_SHA, type ActionsRun } from '../support/actions-run.js';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github.js';
import { captureContext, createFixtureRepo, startSim } from '../support/gitops-repo.js';
import { chatDsl, workflowDsl } from '../support/plan-builders.js';
import { createPreviewRepo, type PreviewRepo } from '../support/preview-repo.js';

const GOOD = 'RESPOND: {"verdict":"ok"}';
const GOOD_V2 = 'Sharper.\nRESPOND: {"verdict":"ok"}';
const BAD = 'RESPOND: {"verdict":"maybe"}';
const CANARY = 'canary-preview-secret-91c3e2';
const HEALTH = [{ name: 'verdict-schema', inputs: { topic: 'x' }, expect: { output: 'result', schema: 'verdict', maxTokens: 5000 } }];
const secretDsl = (name: string, prompt: string) => workflowDsl({ name, prompt, env: [{ name: 'API_KEY', value_type: 'secret', value: '' }] });

describe('preview (simulator + fake GitHub + git)', () => {
  let sim: Simulator;
  let repo: PreviewRepo;
  let github: FakeGitHub;
  let actions: ActionsRun;
  let base: string;

  beforeAll(async () => {
    sim = await startSim('1.14.1');
    repo = await createPreviewRepo({ dev: sim.url }, ['dev']);
    repo.env.SECRET_API_KEY = CANARY;
    await repo.writeApp({ name: 'alpha', dsl: secretDsl('alpha', GOOD), healthChecks: HEALTH });
    await repo.writeApp({ name: 'beta', dsl: workflowDsl({ name: 'beta', prompt: GOOD }), healthChecks: HEALTH });
    base = await repo.commit('base');
    github = await startFakeGitHub();
    actions = await actionsRun(github);
  });
  afterAll(async () => {
    await sim.close();
    await github.close();
    await repo.cleanup();
    await actions.cleanup();
  });

  const env = () => ({ ...repo.env, ...actions.env });
  async function preview(options: Partial<PreviewOptions> = {}) {
    const ctx = captureContext(repo.dir, env());
    const code = await runPreview(ctx, { env: 'dev', base, githubComment: true, ...options });
    return { code, out: ctx.stdout(), err: ctx.stderr() };
  }
  const previews = () => sim.state.apps.filter((a) => a.name.endsWith('[pr-7]'));
  const planComments = () => github.state.comments.filter((c) => c.issue_number === 7 && parseMarker(c.body)?.family === 'plan:dev');
  const tagNames = (appId: string) => sim.state.apps.find((a) => a.id === appId)!.tag_ids.map((id) => sim.state.tags.find((t) => t.id === id)?.name).sort();

  it('previews only the changed app, published and checked, into the plan comment, without secrets', async () => {
    await repo.writeApp({ name: 'alpha', dsl: secretDsl('alpha', GOOD_V2), healthChecks: HEALTH });
    await repo.commit('sharper alpha');
    // The plan job runs first and posts the sticky plan comment.
    const planCtx = captureContext(repo.dir, env());
    expect([0, 2]).toContain(await runPlan(planCtx, { env: 'dev', githubComment: true, revision: 'abc1234', message: 'sharper alpha' }));
    expect(planComments()).toHaveLength(1);

    const first = await preview();
    expect(first.code, first.out + first.err).toBe(0);
    expect(first.out).toMatch(/alpha → alpha \[pr-7\]: created/);
    expect(first.out).not.toMatch(/beta/);
    const [app] = previews();
    expect(previews()).toHaveLength(1);
    expect(app!.name).toBe('alpha [pr-7]');
    expect(tagNames(app!.id)).toEqual(['dify-gitops-preview', 'pr-7']);
    const published = sim.state.workflows.find((w) => w.id === app!.workflow_id)!;
    expect(published.marked_name).toBe('pr-7');
    expect(JSON.stringify(published.graph)).toContain('Sharper.');
    // No secret reaches a preview unless --secrets bind.
    expect(published.environment_variables.find((v) => v.name === 'API_KEY')?.value).toBe('');
    expect(JSON.stringify(sim.state)).not.toContain(CANARY);
    // One comment: the plan, then the previews section.
    const comments = planComments();
    expect(comments).toHaveLength(1);
    const body = comments[0]!.body;
    expect(body).toContain('| dev |'); // the plan table is still there
    expect(body).toContain('### Preview apps in `dev`');
    expect(body).toMatch(/\| alpha \| alpha \[pr-7\] \(created\) \| verdict-schema \| ✅ pass 1\/1 \| \d+ ms \| \d+ \|/);
    expect(first.err).toMatch(/preview report in the plan comment for dev: updated/);
  });

  it('updates the same preview on the next push and reports a failing check with its schema error', async () => {
    const before = { ...previews()[0]! }; // a copy: the simulator's state object changes in place
    await repo.writeApp({ name: 'alpha', dsl: secretDsl('alpha', BAD), healthChecks: HEALTH });
    await repo.commit('break alpha');
    await actions.push(NEXT_HEAD_SHA);
    const second = await preview();
    expect(second.code).toBe(1);
    expect(second.out).toMatch(/alpha → alpha \[pr-7\]: updated/);
    expect(previews()).toHaveLength(1);
    const after = previews()[0]!;
    expect(after.id).toBe(before.id);
    expect(after.workflow_id).not.toBe(before.workflow_id);
    const comments = planComments();
    expect(comments).toHaveLength(1);
    const body = comments[0]!.body;
    expect(body.match(/### Preview apps/g)).toHaveLength(1); // replaced, not appended again
    expect(body).toMatch(/\| verdict-schema \| ❌ fail 0\/1 \|/);
    expect(body).toMatch(/does not satisfy schema verdict/);
  });

  it('binds the environment secrets only with --secrets bind', async () => {
    const bound = await preview({ secrets: 'bind', githubComment: false, pr: '8', app: ['beta', 'alpha'] });
    expect(bound.out).toMatch(/secrets: bind/);
    const alpha8 = sim.state.apps.find((a) => a.name === 'alpha [pr-8]')!;
    const wf = sim.state.workflows.find((w) => w.id === alpha8.workflow_id)!;
    expect(wf.environment_variables.find((v) => v.name === 'API_KEY')?.value).toBe(CANARY);
    expect(bound.out + bound.err).not.toContain(CANARY);
  });

  it('previews a chat app: imported the first time, its model config replaced on the next push', async () => {
    await repo.writeApp({ name: 'chatty', dsl: chatDsl('You are chatty.') });
    const first = await preview({ githubComment: false, pr: '9', app: ['chatty'] });
    expect(first.code, first.out + first.err).toBe(0);
    expect(first.out).toMatch(/chatty → chatty \[pr-9\]: created/);
    const created = sim.state.apps.find((a) => a.name === 'chatty [pr-9]')!;
    expect(created.mode).toBe('chat');
    expect(created.workflow_id).toBeNull(); // nothing to publish: a chat app's config is live at once
    expect(created.model_config?.pre_prompt).toBe('You are chatty.');
    expect(tagNames(created.id)).toEqual(['dify-gitops-preview', 'pr-9']);

    await repo.writeApp({ name: 'chatty', dsl: chatDsl('You are terse.') });
    const imports = sim.requests.filter((r) => r.path === '/console/api/apps/imports').length;
    const second = await preview({ githubComment: false, pr: '9', app: ['chatty'] });
    expect(second.code, second.out + second.err).toBe(0);
    expect(second.out).toMatch(/chatty → chatty \[pr-9\]: updated/);
    const updated = sim.state.apps.filter((a) => a.name === 'chatty [pr-9]');
    expect(updated).toHaveLength(1);
    expect(updated[0]!.id).toBe(created.id);
    expect(updated[0]!.model_config?.pre_prompt).toBe('You are terse.');
    // Dify cannot import over a chat app: the update went through the model-config endpoint.
    expect(sim.requests.filter((r) => r.path === '/console/api/apps/imports')).toHaveLength(imports);
    expect(sim.requests.some((r) => r.method === 'POST' && r.path === `/console/api/apps/${created.id}/model-config`)).toBe(true);
  });

  it('cleans up the previews of a closed pull request, then old ones by age', async () => {
    const ctx = captureContext(repo.dir, repo.env);
    expect(await runPreview(ctx, { env: 'dev', cleanup: true, pr: '7' })).toBe(0);
    expect(ctx.stdout()).toMatch(/Deleted 1 preview app in dev:\n {2}alpha \[pr-7\]/);
    expect(previews()).toHaveLength(0);
    expect(sim.state.apps.filter((a) => a.name.endsWith('[pr-8]'))).toHaveLength(2);
    expect(sim.state.apps.filter((a) => a.name.endsWith('[pr-9]'))).toHaveLength(1);
    expect(sim.state.tags.some((t) => t.name === 'pr-7')).toBe(false);

    const young = captureContext(repo.dir, repo.env);
    expect(await runPreview(young, { env: 'dev', cleanup: true, olderThan: '7d' })).toBe(0);
    expect(young.stdout()).toMatch(/No preview apps to delete/);
    const old = captureContext(repo.dir, repo.env);
    expect(await runPreview(old, { env: 'dev', cleanup: true, olderThan: '0m' })).toBe(0);
    expect(sim.state.apps.filter((a) => /\[pr-\d+\]$/.test(a.name))).toHaveLength(0);
  });

  it('refuses an environment that is not a dev environment', async () => {
    const prod = await createFixtureRepo({ prod: sim.url });
    try {
      const ctx = captureContext(prod.dir, prod.env);
      await expect(runPreview(ctx, { env: 'prod', pr: '7', all: true })).rejects.toThrow(/prod is not a dev environment/);
      expect(sim.state.apps.filter((a) => /\[pr-\d+\]$/.test(a.name))).toHaveLength(0);
    } finally {
      await prod.cleanup();
    }
  });
});
