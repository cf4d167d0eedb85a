import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { readActionsContext } from '../../src/github/actions-env.js';
import { assessDeployment, openDeploymentTracker, withDeployments, type ApplyOutcomeForDeployment, type DeploymentTarget } from '../../src/github/deployment-reporting.js';
import { Redactor } from '../../src/secrets/redactor.js';
import { useFakeGitHub, type FakeGitHub } from '../support/fake-github.js';
import { testClient } from '../support/github-test-client.js';
import { captureContext } from '../support/gitops-repo.js';
import { HEAD_SHA, actionsRun, type ActionsRun } from '../support/actions-run.js';

type Result = ApplyOutcomeForDeployment['results'][number];
const result = (environment: string, app: string, outcome: Result['outcome'], message = ''): Result => ({ environment, app, outcome, message });
const outcome = (results: Result[], extra: Partial<ApplyOutcomeForDeployment> = {}): ApplyOutcomeForDeployment => ({ results, recovered: [], plan: { revision: { id: 'rev1111' } }, ...extra });

describe('assessDeployment', () => {
  it('maps apply outcomes to what GitHub shows, worst first', () => {
    expect(assessDeployment('prod', outcome([result('prod', 'a', 'applied'), result('prod', 'b', 'no-op'), result('staging', 'c', 'rolled-back')]))).toEqual({ kind: 'success', description: 'Deployed rev1111: 1 app applied; healthy' });
    expect(assessDeployment('prod', outcome([]))).toEqual({ kind: 'success', description: 'Deployed rev1111: nothing to change; Dify already matches git' });
    expect(assessDeployment('staging', outcome([result('staging', 'c', 'rolled-back', 'health failed')]))).toEqual({ kind: 'rolled_back', reason: 'c failed its health checks', toVersion: 'the previous version' });
    expect(assessDeployment('s', outcome([result('s', 'a', 'rolled-back'), result('s', 'b', 'rolled-back'), result('s', 'c', 'applied')]))).toEqual({ kind: 'rolled_back', reason: '2 apps (a, b) failed their health checks', toVersion: 'the previous versions' });
    expect(assessDeployment('s', outcome([result('s', 'a', 'rolled-back'), result('s', 'b', 'needs-human', 'restore failed')]))).toEqual({ kind: 'rollback_failed', reason: 'b: restore failed' });
    expect(assessDeployment('s', outcome([result('s', 'a', 'failed-before-change', 'locked by another apply')]))).toEqual({ kind: 'failure', reason: 'a: locked by another apply' });
    expect(assessDeployment('s', outcome([], { refused: 'apply refuses: s/a (replace-required)' }))).toEqual({ kind: 'failure', reason: 'apply refuses: s/a (replace-required)' });
    expect(assessDeployment('s', outcome([], { recovered: [result('s', 'a', 'needs-human', 'snapshot unreadable')] }))).toEqual({ kind: 'rollback_failed', reason: 'a: snapshot unreadable' });
  });
});

describe('withDeployments over the fake GitHub', () => {
  const fake = useFakeGitHub();
  let run: ActionsRun | undefined;
  afterEach(async () => {
    await run?.cleanup();
    run = undefined;
  });

  async function target(f: FakeGitHub, redactor = new Redactor()): Promise<DeploymentTarget & { warnings: string[] }> {
    run = await actionsRun(f, { event: 'push' });
    const actionsContext = readActionsContext({ env: run.env, readFile: (p) => readFileSync(p, 'utf8'), require: ['sha'] });
    const warnings: string[] = [];
    return { gh: testClient(f, { redactor }).gh, actionsContext, redact: (t) => redactor.redact(t), warn: (m) => void warnings.push(m), warnings };
  }

  const statuses = (environment: string) =>
    fake().state.deployments.filter((d) => d.environment === environment).flatMap((d) => d.statuses.map((s) => `${s.state}: ${s.description}`));

  it('records in_progress before apply runs, then success per environment, linked to the run', async () => {
    const t = await target(fake());
    let seenDuringApply: string[] = [];
    const out = await withDeployments(t, ['staging', 'production'], () => {
      seenDuringApply = [...statuses('staging'), ...statuses('production')];
      return Promise.resolve(outcome([result('staging', 'demo', 'applied'), result('production', 'demo', 'no-op')]));
    });
    expect(out.results).toHaveLength(2);
    expect(seenDuringApply).toEqual(['in_progress: Importing, publishing and checking health', 'in_progress: Importing, publishing and checking health']);
    expect(statuses('staging')).toEqual(['in_progress: Importing, publishing and checking health', 'success: Deployed rev1111: 1 app applied; healthy']);
    expect(statuses('production')).toEqual(['in_progress: Importing, publishing and checking health', 'success: Deployed rev1111: nothing to change; Dify already matches git']);
    const [staging] = fake().state.deployments;
    expect(staging).toMatchObject({ ref: HEAD_SHA, environment: 'staging', auto_merge: false, required_contexts: [], production_environment: false });
    expect(fake().state.deployments[1]!.production_environment).toBe(true);
    expect(staging!.statuses.every((s) => s.log_url === 'https://github.com/acme/dify-apps/actions/runs/4242')).toBe(true);
  });

  it('says "rolled back" on a failure status, and "needs a human" as an error', async () => {
    const t = await target(fake());
    await withDeployments(t, ['staging', 'production'], () =>
      Promise.resolve(outcome([result('staging', 'demo', 'rolled-back', 'schema failed'), result('production', 'demo', 'needs-human', 'the rollback import failed')])),
    );
    expect(statuses('staging')).toEqual(['in_progress: Importing, publishing and checking health', 'failure: demo failed its health checks; rolled back to the previous version']);
    expect(statuses('production')).toEqual(['in_progress: Importing, publishing and checking health', 'error: Rollback failed, needs a human: demo: the rollback import failed']);
  });

  it('says a change stopped at the draft gate failed with nothing published (not "rolled back")', async () => {
    const t = await target(fake());
    await withDeployments(t, ['staging'], () => Promise.resolve(outcome([{ ...result('staging', 'demo', 'rolled-back', 'schema failed on the draft'), gate: 'draft' as const }])));
    expect(statuses('staging')).toEqual(['in_progress: Importing, publishing and checking health', 'failure: Deploy failed: demo failed its health checks on the draft; nothing was published']);
  });

  it('marks the deployments failed when apply throws, with secrets redacted, and rethrows', async () => {
    const redactor = new Redactor();
    redactor.add('canary-deploy-secret-31337');
    const t = await target(fake(), redactor);
    const attempt = withDeployments(t, ['staging'], () => Promise.reject(new Error('login failed with password canary-deploy-secret-31337')));
    await expect(attempt).rejects.toThrow('canary-deploy-secret-31337');
    expect(statuses('staging')).toEqual(['in_progress: Importing, publishing and checking health', 'failure: Deploy failed: login failed with password ***']);
    expect(JSON.stringify(fake().requests)).not.toContain('canary-deploy-secret-31337');
  });

  it('keeps apply\'s result when GitHub refuses the final status, and says so', async () => {
    const t = await target(fake());
    const out = await withDeployments(t, ['staging'], () => {
      // in_progress went through; the final status is refused.
      fake().inject({ method: 'POST', path: /\/statuses$/ }, { status: 422, body: { message: 'Validation Failed' } }, 1);
      return Promise.resolve(outcome([result('staging', 'demo', 'applied')]));
    });
    expect(out.results).toHaveLength(1);
    expect(statuses('staging')).toEqual(['in_progress: Importing, publishing and checking health']);
    expect(t.warnings).toEqual([expect.stringMatching(/^could not set the GitHub deployment status of staging: GitHub API POST \/repos\/acme\/dify-apps\/deployments\/\d+\/statuses failed \(422\): Validation Failed$/)]);
  });
});

describe('openDeploymentTracker', () => {
  it('only runs apply without --github-deployment', async () => {
    const ctx = captureContext('/', {});
    const tracker = await openDeploymentTracker(ctx, { enabled: false });
    await expect(tracker.track(['staging'], () => Promise.resolve(outcome([])))).resolves.toMatchObject({ results: [] });
  });

  it('fails before apply runs when the Actions environment is incomplete', async () => {
    const ctx = captureContext('/', { GITHUB_TOKEN: 'ghs_x', GITHUB_REPOSITORY: 'acme/dify-apps' });
    await expect(openDeploymentTracker(ctx, { enabled: true })).rejects.toThrow(UsageError);
    await expect(openDeploymentTracker(ctx, { enabled: true })).rejects.toThrow('--github-deployment: GitHub Actions environment is incomplete:\n  - GITHUB_SHA is not set');
  });
});
