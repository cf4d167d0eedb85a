// serve end to end as a child process: a working clone of a real git origin, a signed push
// webhook, git sync to the new commit (whose new reconcile interval replaces the schedule), and
// the real reconcile healing the app in the simulator.

import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { workflowDsl } from '../support/plan-builders.js';
import { publishedPrompt, startReconcileWorld, type ReconcileWorld } from '../support/reconcile-world.js';
import { deliver } from '../support/serve-harness.js';
import { startServe, type ServeProcess } from '../support/serve-process.js';

const OLD = 'RESPOND: {"verdict":"ok"}';
const NEW = 'RESPOND: {"verdict":"ok"} v2';
const HEALTH = [{ name: 'verdict', inputs: { topic: 'x' }, expect: { output: 'result', schema: 'verdict' } }];
const SECRET = 'webhook-canary-d41c0e';

describe('serve: push webhook → git sync → reconcile', () => {
  let world: ReconcileWorld | undefined;
  let serve: ServeProcess | undefined;
  const dirs: string[] = [];
  afterEach(async () => {
    serve?.child.kill('SIGTERM');
    await serve?.done;
    await world?.close();
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('a signed push to main makes serve fetch the new commit and heal the app to it', async () => {
    const w = (world = await startReconcileWorld({ policies: { drift: 'heal', reconcileInterval: '1h' } }));
    await w.repo.writeApp({ name: 'demo', dsl: workflowDsl({ name: 'demo', prompt: OLD }), healthChecks: HEALTH });
    expect((await w.apply('rev1')).code).toBe(0);
    const appId = w.appId('demo');
    // The fixture repository becomes the author's clone of a bare origin; serve gets its own clone.
    const env = { ...w.repo.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com', HOME: tmpdir(), SERVE_SECRET: SECRET };
    const git = (cwd: string, ...args: string[]): string => execFileSync('git', args, { cwd, env, encoding: 'utf8' }).trim();
    const root = mkdtempSync(join(tmpdir(), 'dify-gitops-serve-git-'));
    dirs.push(root);
    git(root, 'init', '--quiet', '--bare', '--initial-branch=main', 'origin.git');
    const author = join(root, 'author');
    cpSync(w.repo.dir, author, { recursive: true, filter: (src) => !src.includes('.dify-gitops') });
    git(author, 'init', '--quiet', '--initial-branch=main');
    git(author, 'add', '.');
    git(author, 'commit', '--quiet', '-m', 'one');
    git(author, 'remote', 'add', 'origin', join(root, 'origin.git'));
    git(author, 'push', '--quiet', 'origin', 'main');
    git(root, 'clone', '--quiet', 'origin.git', 'controller');
    const clone = join(root, 'controller');
    // serve's state (the apply journal and reconcile memory) is the one apply used.
    cpSync(join(w.repo.dir, '.dify-gitops'), join(clone, '.dify-gitops'), { recursive: true });

    serve = startServe(['--port', '0', '--repo', clone, '--branch', 'main', '--webhook-secret-env', 'SERVE_SECRET'], { cwd: root, env });
    const url = await serve.url();
    await serve.waitForLine('the startup reconcile', (l) => l.msg === 'reconcile: done');
    expect(publishedPrompt(w.sim, appId)).toBe(OLD);

    expect(serve.lines().find((l) => l.msg === 'serve: listening')?.schedules).toEqual([{ target: 'reconcile staging', expression: '0 0 * * * *', everyTicks: 1 }]);

    // A new commit on main, announced by GitHub: a new prompt, and the reconcile interval 1h → 30m.
    const oldHead = git(clone, 'rev-parse', 'HEAD');
    writeFileSync(join(author, 'workflows', 'demo', 'demo.dsl.yml'), stringify(workflowDsl({ name: 'demo', prompt: NEW })));
    const configPath = join(author, 'dify-gitops.yaml');
    const config = readFileSync(configPath, 'utf8');
    expect(config).toContain('reconcileInterval: 1h');
    writeFileSync(configPath, config.replace('reconcileInterval: 1h', 'reconcileInterval: 30m'));
    git(author, 'commit', '--quiet', '-am', 'two');
    git(author, 'push', '--quiet', 'origin', 'main');
    const newHead = git(author, 'rev-parse', 'HEAD');
    expect(newHead).not.toBe(oldHead);
    expect((await deliver(url, SECRET, { ref: 'refs/heads/feature' })).status).toBe(204);
    expect(await deliver(url, SECRET)).toEqual({ status: 202, outcome: 'triggered' });

    await serve.waitForLine('the healed app', (l) => l.app === 'demo' && l.status === 'healed');
    expect(serve.lines().some((l) => l.commit === newHead)).toBe(true);
    expect(git(clone, 'rev-parse', 'HEAD')).toBe(newHead);
    expect(publishedPrompt(w.sim, appId)).toBe(NEW);
    // The new interval is in force without a restart.
    const reloaded = serve.lines().find((l) => l.msg === 'serve: schedules reloaded from the new configuration');
    expect(reloaded?.schedules).toEqual([{ target: 'reconcile staging', expression: '0 */30 * * * *', everyTicks: 1 }]);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toContain('dify_gitops_applies_total{environment="staging"} 1');
    expect(metrics).toContain('dify_gitops_webhook_deliveries_total{outcome="ignored-branch"} 1');
    expect(serve.lines().map((l) => JSON.stringify(l)).join('\n')).not.toContain(SECRET);
  }, 120_000);

  it('without git sync, a changed root config replaces the schedules at the next reconcile', async () => {
    const w = (world = await startReconcileWorld({ policies: { drift: 'warn', reconcileInterval: '1h' } }));
    await w.repo.writeApp({ name: 'demo', dsl: workflowDsl({ name: 'demo', prompt: OLD }) });
    expect((await w.apply('rev1')).code).toBe(0);
    const env = { ...w.repo.env, HOME: tmpdir(), SERVE_SECRET: SECRET };
    serve = startServe(['--port', '0', '--repo', w.repo.dir, '--no-git-sync', '--webhook-secret-env', 'SERVE_SECRET'], { cwd: w.repo.dir, env });
    const url = await serve.url();
    await serve.waitForLine('the startup reconcile', (l) => l.msg === 'reconcile: done');
    expect(serve.lines().find((l) => l.msg === 'serve: listening')?.schedules).toEqual([{ target: 'reconcile staging', expression: '0 0 * * * *', everyTicks: 1 }]);

    // Edited in place (a mounted config, a hand edit): nothing is committed, nothing fetched.
    const configPath = join(w.repo.dir, 'dify-gitops.yaml');
    writeFileSync(configPath, readFileSync(configPath, 'utf8').replace('reconcileInterval: 1h', 'reconcileInterval: 30m'));
    expect(await deliver(url, SECRET)).toEqual({ status: 202, outcome: 'triggered' });
    await serve.waitForLine('the reloaded schedules', (l) => l.msg === 'serve: schedules reloaded from the new configuration');
    const reloaded = serve.lines().find((l) => l.msg === 'serve: schedules reloaded from the new configuration');
    expect(reloaded?.schedules).toEqual([{ target: 'reconcile staging', expression: '0 */30 * * * *', everyTicks: 1 }]);
    await serve.waitForLine('the reconcile after the reload', (l) => l.msg === 'reconcile: done' && serve!.lines().indexOf(l) > serve!.lines().indexOf(reloaded!));

    // Unchanged text: the next run reloads nothing.
    expect(await deliver(url, SECRET)).toEqual({ status: 202, outcome: 'triggered' });
    await serve.waitForLine('a third reconcile', (l) => l.msg === 'reconcile: done' && serve!.lines().filter((x) => x.msg === 'reconcile: done').length === 3);
    expect(serve.lines().filter((l) => l.msg === 'serve: schedules reloaded from the new configuration')).toHaveLength(1);
    expect(serve.lines().some((l) => l.msg === 'reconcile: repository at the tracked branch')).toBe(false);
  }, 120_000);
});
