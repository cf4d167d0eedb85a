// `dify-gitops plan --github-comment` end to end: the command implementation against the Dify
// simulator and the fake GitHub, with the variables and event file a runner gives a
// pull_request job.

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { run as runPlan } from '../../src/cli/commands/plan-run.js';
import { parseMarker } from '../../src/github/comment-marker.js';
import type { Simulator } from '../../src/simulator/server.js';
import { HEAD_SHA, NEXT_HEAD_SHA, actionsRun, type ActionsRun } from '../support/actions-run.js';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github.js';
import { captureContext, createFixtureRepo, seedApp, simClient, startSim, type FixtureRepo } from '../support/gitops-repo.js';
import { checkMermaid, mermaidBlocks } from '../support/mermaid-check.js';
import { workflowDsl } from '../support/plan-builders.js';

const LIVE_CANARY = 'canary-live-api-key-e2e-6d3f';
const BOUND_CANARY = 'canary-bound-api-key-e2e-0b9a';

function withExtraNode(prompt: string) {
  const dsl = workflowDsl({ name: 'demo', prompt });
  // Not connected: an added node and a lint warning (DSL012 unreachable-node) in one.
  dsl.workflow!.graph!.nodes!.push({ id: 'audit', type: 'custom', data: { type: 'code', title: 'Audit "log" [v2]', code: 'def main():\n    return {}', code_language: 'python3', variables: [], outputs: {} } });
  return dsl;
}

describe('plan --github-comment (simulator + fake GitHub)', () => {
  let sim: Simulator;
  let repo: FixtureRepo;
  let github: FakeGitHub;
  let actions: ActionsRun;
  let summaryDir: string;
  let summaryFile: string;

  beforeAll(async () => {
    sim = await startSim('1.14.1');
    repo = await createFixtureRepo({ production: sim.url });
    github = await startFakeGitHub();
    actions = await actionsRun(github);
    summaryDir = await mkdtemp(join(tmpdir(), 'dify-gitops-summary-'));
    summaryFile = join(summaryDir, 'step-summary.md');
    await writeFile(summaryFile, ''); // the runner creates it before the step starts
    // @actions/core reads the job summary path from process.env, as it does on a runner.
    vi.stubEnv('GITHUB_STEP_SUMMARY', summaryFile);
    const client = simClient(sim);
    await seedApp(client, workflowDsl({ name: 'demo', env: [{ name: 'API_KEY', value_type: 'secret', value: LIVE_CANARY }, { name: 'REGION', value_type: 'string', value: 'eu' }] }));
    await client.close();
    repo.env.SECRET_API_KEY = BOUND_CANARY;
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await sim.close();
    await github.close();
    await repo.cleanup();
    await actions.cleanup();
    await rm(summaryDir, { recursive: true, force: true });
  });

  async function plan(extra: Record<string, string> = {}) {
    const ctx = captureContext(repo.dir, { ...repo.env, ...actions.env, ...extra });
    const code = await runPlan(ctx, { githubComment: true, detailedExitcode: true, revision: 'abc1234', message: 'Tune the demo prompt' });
    return { code, out: ctx.stdout(), err: ctx.stderr() };
  }

  it('comments on the pull request, annotates lint findings, fills the job summary, then edits the comment on the next push', async () => {
    await repo.writeApp({ name: 'demo', dsl: withExtraNode('A sharper prompt about {{#start.topic#}}') });
    const first = await plan();
    expect(first.code).toBe(2);
    expect(first.out).toMatch(/production \/ demo: update/);
    expect(first.err).toMatch(/^plan comment for production: created https:\/\/github\.com\/acme\/dify-apps\/pull\/7#issuecomment-\d+ \(1 part\)$/m);

    const comments = github.state.comments.filter((c) => c.issue_number === 7);
    expect(comments).toHaveLength(1);
    const body = comments[0]!.body;
    expect(parseMarker(body)).toEqual({ family: 'plan:production', part: 1, parts: 1, sha: HEAD_SHA });
    expect(body).toContain('revision `abc1234` (Tune the demo prompt) · Dify 1.14.1');
    expect(body).toContain('| demo | production | `update` | 1 | 1 | 0 | 0 |');
    expect(body).toContain('`DSL012` at `workflows/demo/demo.dsl.yml:');
    expect(body).toContain('- Secrets (names only): `API_KEY` set from environment variable SECRET\\_API\\_KEY');
    expect(body).toContain('**Next:** merge to apply, or run `dify-gitops apply --env production`.');
    expect(body).toContain('[Full plan and logs](https://github.com/acme/dify-apps/actions/runs/4242)');
    const [graph] = mermaidBlocks(body).map(checkMermaid);
    expect(graph?.problems).toEqual([]);
    expect(Object.fromEntries(graph!.classes)).toEqual({ added: ['n_audit'], changed: ['n_llm'], unchanged: ['n_start', 'n_end'] });
    expect(graph!.nodes.get('n_audit')).toBe('Audit #quot;log#quot; #91;v2#93; #40;code#41;');

    const [check] = github.state.checkRuns;
    expect(check).toMatchObject({ name: 'dify-gitops / lint', head_sha: HEAD_SHA, status: 'completed', conclusion: 'neutral' });
    expect(check!.annotations.map((a) => `${a.path} ${a.annotation_level} ${a.title}`)).toContain('workflows/demo/demo.dsl.yml warning DSL012');

    const summary = await readFile(summaryFile, 'utf8');
    expect(summary).toContain('### dify-gitops lint');
    expect(summary).toContain('### dify-gitops plan: `production`');

    // The next push: a different prompt, a new head commit. Same comment, edited.
    await actions.push(NEXT_HEAD_SHA);
    await repo.writeApp({ name: 'demo', dsl: withExtraNode('The final prompt about {{#start.topic#}}') });
    const second = await plan();
    expect(second.code).toBe(2);
    expect(second.err).toMatch(/^plan comment for production: updated https:\/\/github\.com\/acme\/dify-apps\/pull\/7#issuecomment-\d+ \(1 part\)$/m);
    const after = github.state.comments.filter((c) => c.issue_number === 7);
    expect(after.map((c) => c.id)).toEqual([comments[0]!.id]);
    expect(parseMarker(after[0]!.body)?.sha).toBe(NEXT_HEAD_SHA);
    expect(after[0]!.body).toContain('The final prompt about');
    expect(after[0]!.body).not.toContain('A sharper prompt');

    // No secret anywhere GitHub, the log or the summary could show.
    const everything = [JSON.stringify(github.requests), JSON.stringify(github.state.comments), JSON.stringify(github.state.checkRuns), first.out, first.err, second.out, second.err, await readFile(summaryFile, 'utf8')].join('\n');
    for (const canary of [LIVE_CANARY, BOUND_CANARY, github.options.token]) expect(everything).not.toContain(canary);
    expect(github.unexpected).toEqual([]);
  });

  it('refuses outside a pull request before planning anything', async () => {
    const push = await actionsRun(github, { event: 'push' });
    try {
      const before = { github: github.requests.length };
      const ctx = captureContext(repo.dir, { ...repo.env, ...push.env });
      const attempt = runPlan(ctx, { githubComment: true });
      await expect(attempt).rejects.toThrow('--github-comment: GitHub Actions environment is incomplete:\n  - no pull request in GITHUB_EVENT_PATH (event push); run this on pull_request or pull_request_target');
      expect(ctx.stdout()).toBe('');
      expect(github.requests.length).toBe(before.github);
    } finally {
      await push.cleanup();
    }
  });

  it('keeps the plan and warns when the token may not comment (a pull request from a fork)', async () => {
    const fork = await actionsRun(github, { number: 8, headRepository: 'someone/dify-apps' });
    try {
      github.inject({ method: 'POST', path: '/repos/acme/dify-apps/issues/8/comments' }, { status: 403, body: { message: 'Resource not accessible by integration' } });
      const ctx = captureContext(repo.dir, { ...repo.env, ...fork.env });
      const code = await runPlan(ctx, { githubComment: true, detailedExitcode: true, revision: 'abc1234', message: 'fork' });
      expect(code).toBe(2);
      expect(ctx.stderr()).toContain('warning: cannot comment on pull request #8 (a pull request from a fork gets a read-only GITHUB_TOKEN): Resource not accessible by integration; the plan is in the job summary');
      expect(github.state.comments.filter((c) => c.issue_number === 8)).toEqual([]);
      expect(await readFile(summaryFile, 'utf8')).toContain('### dify-gitops plan: `production`');
    } finally {
      await fork.cleanup();
    }
  });
});
