import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/diagnostics.js';
import { UsageError } from '../../src/errors.js';
import { readActionsContext, type ActionsContext } from '../../src/github/actions-env.js';
import { parseMarker } from '../../src/github/comment-marker.js';
import { postPlanComment, reportDiagnostics } from '../../src/github/post-plan.js';
import { GITHUB_COMMENT_LIMIT } from '../../src/github/split-comment.js';
import { useFakeGitHub, type FakeGitHub } from '../support/fake-github.js';
import { testClient } from '../support/github-test-client.js';
import { checkMermaid, mermaidBlocks } from '../support/mermaid-check.js';
import { DESIRED_CANARY, LIVE_CANARY, generatedPlan } from '../support/plan-comment-fixtures.js';
import { checkBalance } from '../support/random-markdown.js';
import { HEAD_SHA, NEXT_HEAD_SHA, actionsRun, type ActionsRun } from '../support/actions-run.js';

const LINT: Diagnostic[] = [
  { file: 'workflows/app-000/app-000.dsl.yml', line: 14, col: 7, severity: 'warning', code: 'DSL104', message: 'LLM node has no context' },
  { file: 'workflows/app-001/app-001.dsl.yml', line: 3, col: 1, severity: 'error', code: 'DSL001', message: 'missing end node' },
];

describe('postPlanComment over the fake GitHub', () => {
  const fake = useFakeGitHub();
  let run: ActionsRun | undefined;
  afterEach(async () => {
    await run?.cleanup();
    run = undefined;
  });

  async function context(f: FakeGitHub, headSha = HEAD_SHA, headRepository?: string): Promise<ActionsContext> {
    run ??= await actionsRun(f, { headSha, ...(headRepository === undefined ? {} : { headRepository }) });
    await run.push(headSha);
    return readActionsContext({ env: run.env, readFile: (p) => readFileSync(p, 'utf8'), require: ['pullRequest'] });
  }

  const onPr = () => fake().state.comments.filter((c) => c.issue_number === 7);

  it('posts the plan once, then edits the same comment in place on the next push', async () => {
    const { gh } = testClient(fake());
    const first = generatedPlan(3, { seed: 1 });
    const posted = await postPlanComment({ gh, actionsContext: await context(fake()), plan: first.plan, desired: first.desired, environment: 'production', diagnostics: LINT });
    expect(posted.comments).toEqual([expect.objectContaining({ part: 1, action: 'created' })]);
    expect(onPr()).toHaveLength(1);
    const comment = onPr()[0]!;
    expect(parseMarker(comment.body)).toEqual({ family: 'plan:production', part: 1, parts: 1, sha: HEAD_SHA });
    expect(comment.body).toContain('| app-002 | production | `update` |');
    expect(comment.body).toContain('[Full plan and logs](https://github.com/acme/dify-apps/actions/runs/4242)');
    expect(comment.body).toContain('- ⛔ error `DSL001` at `workflows/app-001/app-001.dsl.yml:3:1`: missing end node');

    const second = generatedPlan(2, { seed: 2 });
    const again = await postPlanComment({ gh, actionsContext: await context(fake(), NEXT_HEAD_SHA), plan: second.plan, desired: second.desired, environment: 'production' });
    expect(again.comments).toEqual([expect.objectContaining({ id: comment.id, action: 'updated' })]);
    expect(onPr()).toHaveLength(1);
    expect(parseMarker(onPr()[0]!.body)?.sha).toBe(NEXT_HEAD_SHA);
    expect(onPr()[0]!.body).not.toContain('app-002');
    expect(onPr()[0]!.body).not.toContain('Lint findings');
  });

  it('re-posts and hides the previous push\'s comment as outdated with the repost strategy', async () => {
    const { gh } = testClient(fake());
    const plan = generatedPlan(1);
    await postPlanComment({ gh, actionsContext: await context(fake()), ...plan, environment: 'production', strategy: 'repost' });
    const [old] = onPr();
    await postPlanComment({ gh, actionsContext: await context(fake(), NEXT_HEAD_SHA), ...plan, environment: 'production', strategy: 'repost' });
    expect(onPr()).toHaveLength(2);
    expect(onPr()[0]!.id).toBe(old!.id);
    expect(onPr()[0]!.minimized).toEqual({ classifier: 'OUTDATED' });
    expect(onPr()[0]!.body.startsWith('<!-- dify-gitops-retired:plan:production:part-1/1')).toBe(true);
    expect(onPr()[1]!.minimized).toBeNull();
    expect(parseMarker(onPr()[1]!.body)?.sha).toBe(NEXT_HEAD_SHA);
  });

  it('posts a 300-app plan as 10 comments within GitHub\'s limit, no secret in any, and hides the parts a shorter plan no longer needs', async () => {
    const { gh } = testClient(fake());
    const big = generatedPlan(300, { promptLines: 12 });
    const posted = await postPlanComment({ gh, actionsContext: await context(fake()), ...big, environment: 'production', maxComments: 10 });
    expect(posted.parts).toBe(10);
    const bodies = onPr().map((c) => c.body);
    expect(bodies).toHaveLength(10);
    for (const [i, body] of bodies.entries()) {
      expect(body.length).toBeLessThanOrEqual(GITHUB_COMMENT_LIMIT);
      expect(parseMarker(body)).toEqual({ family: 'plan:production', part: i + 1, parts: 10, sha: HEAD_SHA });
      expect(checkBalance(body)).toEqual({ ok: true });
      for (const graph of mermaidBlocks(body)) expect(checkMermaid(graph).problems).toEqual([]);
      expect(body).not.toContain(DESIRED_CANARY);
      expect(body).not.toContain(LIVE_CANARY);
    }
    expect(bodies[9]).toContain('**Plan truncated:**');
    expect(bodies[9]).toContain('[full plan](https://github.com/acme/dify-apps/actions/runs/4242)');

    const small = generatedPlan(2);
    await postPlanComment({ gh, actionsContext: await context(fake(), NEXT_HEAD_SHA), ...small, environment: 'production' });
    const live = onPr().filter((c) => parseMarker(c.body) !== undefined);
    expect(live).toHaveLength(1);
    expect(live[0]!.id).toBe(posted.comments[0]!.id);
    expect(onPr().filter((c) => c.minimized?.classifier === 'OUTDATED')).toHaveLength(9);
  });

  it('refuses outside a pull request, naming the event', async () => {
    const { gh } = testClient(fake());
    const push = await actionsRun(fake(), { event: 'push' });
    try {
      const actionsContext = readActionsContext({ env: push.env, readFile: (p) => readFileSync(p, 'utf8') });
      const attempt = postPlanComment({ gh, actionsContext, ...generatedPlan(1), environment: 'production' });
      await expect(attempt).rejects.toThrow(UsageError);
      await expect(attempt).rejects.toThrow('a plan comment needs a pull request, but event push has none; run it on pull_request');
      expect(fake().requests).toEqual([]);
    } finally {
      await push.cleanup();
    }
  });
});

describe('reportDiagnostics', () => {
  const fake = useFakeGitHub();
  const readOnly = useFakeGitHub({ checksWritable: false });

  async function contextFor(f: FakeGitHub): Promise<{ actionsContext: ActionsContext; cleanup: () => Promise<void> }> {
    const run = await actionsRun(f);
    return { actionsContext: readActionsContext({ env: run.env, readFile: (p) => readFileSync(p, 'utf8') }), cleanup: () => run.cleanup() };
  }

  it('annotates the pull request head with a check run and writes the job summary', async () => {
    const { gh } = testClient(fake());
    const { actionsContext, cleanup } = await contextFor(fake());
    const summaries: string[] = [];
    const result = await reportDiagnostics({ gh, actionsContext, diagnostics: LINT, summaryExtra: '### the plan', writeSummary: (m) => (summaries.push(m), Promise.resolve(true)) });
    await cleanup();
    expect(result.annotations).toMatchObject({ via: 'check-run', annotations: 2, requests: 1 });
    const [check] = fake().state.checkRuns;
    expect(check).toMatchObject({ name: 'dify-gitops / lint', head_sha: HEAD_SHA, conclusion: 'failure', details_url: 'https://github.com/acme/dify-apps/actions/runs/4242' });
    expect(check!.annotations.map((a) => `${a.path}:${a.start_line} ${a.annotation_level} ${a.title}`)).toEqual([
      'workflows/app-000/app-000.dsl.yml:14 warning DSL104',
      'workflows/app-001/app-001.dsl.yml:3 failure DSL001',
    ]);
    expect(summaries).toHaveLength(1);
    expect(summaries[0]).toMatch(/^### dify-gitops lint\n\n1 errors, 1 warnings, 0 notes\./);
    expect(summaries[0]).toContain('| error | workflows/app-001/app-001.dsl.yml:3:1 | DSL001 | missing end node |');
    expect(summaries[0]).toContain('### the plan');
  });

  it('falls back to workflow commands when the token may not create check runs', async () => {
    const { gh } = testClient(readOnly());
    const { actionsContext, cleanup } = await contextFor(readOnly());
    const commands: string[] = [];
    const record = (level: string) => (message: string | Error, props?: { file?: string; startLine?: number }) => void commands.push(`${level} ${props?.file}:${props?.startLine} ${String(message)}`);
    const result = await reportDiagnostics({ gh, actionsContext, diagnostics: LINT, commands: { error: record('error'), warning: record('warning'), notice: record('notice') }, writeSummary: () => Promise.resolve(false) });
    await cleanup();
    expect(result).toEqual({ annotations: { via: 'workflow-commands', reason: 'Resource not accessible by integration', annotations: 2 }, jobSummary: false });
    expect(commands).toEqual(['warning workflows/app-000/app-000.dsl.yml:14 LLM node has no context', 'error workflows/app-001/app-001.dsl.yml:3 missing end node']);
  });
});
