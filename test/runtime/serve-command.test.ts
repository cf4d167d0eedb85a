// The serve command's own paths that need no long-running process: --once (sync skipped, one
// real reconcile against the simulator, its exit code) and flag errors.

import { afterEach, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/commands/serve-run.js';
import { workflowDsl } from '../support/plan-builders.js';
import { captureContext } from '../support/gitops-repo.js';
import { startFakeGitHub } from '../support/fake-github.js';
import { startReconcileWorld, type ReconcileWorld } from '../support/reconcile-world.js';

describe('serve command', () => {
  let world: ReconcileWorld | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  it('--once reconciles once through the real reconcile and returns its exit code, logging JSON', async () => {
    const w = (world = await startReconcileWorld({ policies: { drift: 'warn' } }));
    await w.repo.writeApp({ name: 'demo', dsl: workflowDsl({ name: 'demo', prompt: 'RESPOND: ok' }) });
    expect((await w.apply('rev1')).code).toBe(0);
    await w.repo.writeApp({ name: 'demo', dsl: workflowDsl({ name: 'demo', prompt: 'RESPOND: changed in git' }) });
    const ctx = captureContext(w.repo.dir, w.repo.env);
    const code = await run(ctx, { once: true, gitSync: false });
    expect(code).toBe(2); // drift remains under the warn policy
    const lines = ctx.stdout().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toContainEqual(expect.objectContaining({ environment: 'staging', app: 'demo', status: 'drift' }));
    expect(ctx.stdout()).not.toContain(w.repo.env.DIFY_STAGING_PASSWORD);
  });

  it('reports drift to GitHub as reconcile does (one issue per environment) when GITHUB_TOKEN and GITHUB_REPOSITORY are set', async () => {
    const w = (world = await startReconcileWorld({ policies: { drift: 'warn' } }));
    const github = await startFakeGitHub();
    try {
      await w.repo.writeApp({ name: 'demo', dsl: workflowDsl({ name: 'demo', prompt: 'RESPOND: ok' }) });
      expect((await w.apply('rev1')).code).toBe(0);
      await w.repo.writeApp({ name: 'demo', dsl: workflowDsl({ name: 'demo', prompt: 'RESPOND: changed in git' }) });
      const env = { ...w.repo.env, GITHUB_TOKEN: github.options.token, GITHUB_REPOSITORY: `${github.options.owner}/${github.options.repo}`, GITHUB_API_URL: github.url };
      const ctx = captureContext(w.repo.dir, env);
      expect(await run(ctx, { once: true, gitSync: false })).toBe(2);
      expect(github.state.issues).toHaveLength(1);
      expect(github.state.issues[0]!.title).toContain('staging');
      expect(github.state.issues[0]!.body).toContain('demo');
      expect(ctx.stdout()).not.toContain(github.options.token);
    } finally {
      await github.close();
    }
  });

  it('refuses bad flags with clear messages before starting anything', async () => {
    const w = (world = await startReconcileWorld());
    const ctx = captureContext(w.repo.dir, w.repo.env);
    await expect(run(ctx, { webhookSecretEnv: 'NOT_SET', gitSync: false })).rejects.toThrow('--webhook-secret-env NOT_SET: the variable is not set (or empty)');
    await expect(run(ctx, { webhookSecretEnv: 'not a name', gitSync: false })).rejects.toThrow(/takes the NAME of an environment variable/);
    await expect(run(ctx, { port: '70000', gitSync: false })).rejects.toThrow('--port must be an integer from 0 to 65535, not 70000');
    await expect(run(ctx, { branch: '--upload-pack=evil', gitSync: false })).rejects.toThrow(/not a branch name/);
    await expect(run(ctx, { env: ['nope'], gitSync: false, once: true })).rejects.toThrow(/--env: unknown environment `nope`; the config declares staging/);
  });
});
