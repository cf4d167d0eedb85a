// SIGTERM in the middle of a heal: serve (a child process, real reconcile, real simulator) stops
// starting work, lets the app in flight finish its apply (or roll back), releases its locks and
// exits 0. The health check is slowed with the stub model's SLEEP_MS so the signal lands inside it.

import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { workflowDsl } from '../support/plan-builders.js';
import { publishedPrompt, startReconcileWorld, type ReconcileWorld } from '../support/reconcile-world.js';
import { startServe } from '../support/serve-process.js';

const OLD = '{{#start.topic#}}\nRESPOND: {"verdict":"ok"}';
const NEW = '{{#start.topic#}}\nRESPOND: {"verdict":"ok"} (v2)';
const HEALTH = [{ name: 'verdict', inputs: { topic: 'SLEEP_MS: 2500' }, expect: { output: 'result', schema: 'verdict' } }];

async function lockFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (d: string): Promise<void> => {
    for (const entry of await readdir(d, { withFileTypes: true }).catch(() => [])) {
      if (entry.isDirectory()) await walk(join(d, entry.name));
      else if (entry.name.endsWith('.lock')) found.push(join(d, entry.name));
    }
  };
  await walk(dir);
  return found;
}

async function importsDone(url: string): Promise<number> {
  const stats = (await (await fetch(`${url}/_simulator/requests`)).json()) as { byRoute: Record<string, number> };
  return Object.entries(stats.byRoute).filter(([route]) => route.startsWith('POST /console/api/apps/imports')).reduce((n, [, c]) => n + c, 0);
}

describe('serve: SIGTERM during an apply', () => {
  let world: ReconcileWorld | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  it('finishes the app in flight, leaves old-or-new-healthy live, no lock behind, exit 0', async () => {
    const w = (world = await startReconcileWorld({ policies: { drift: 'heal', reconcileInterval: '1h' } }));
    await w.repo.writeApp({ name: 'demo', dsl: workflowDsl({ name: 'demo', prompt: OLD }), healthChecks: HEALTH });
    expect((await w.apply('rev1')).code).toBe(0);
    const appId = w.appId('demo');
    expect(publishedPrompt(w.sim, appId)).toBe(OLD);
    // Git moves on; serve's first reconcile heals (import, draft checks, publish, checks).
    await w.repo.writeApp({ name: 'demo', dsl: workflowDsl({ name: 'demo', prompt: NEW }), healthChecks: HEALTH });
    const before = await importsDone(w.sim.url);

    const serve = startServe(['--port', '0', '--no-git-sync', '--repo', w.repo.dir], { cwd: w.repo.dir, env: w.repo.env });
    const url = await serve.url();
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    // The heal's import has been answered: the slow health checks are running now.
    const deadline = Date.now() + 60_000;
    while ((await importsDone(w.sim.url)) === before) {
      if (Date.now() > deadline) throw new Error('the heal never imported');
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(serve.lines().some((l) => l.msg === 'reconcile: done')).toBe(false);
    serve.child.kill('SIGTERM');
    const exit = await serve.done;

    expect(exit.code).toBe(0);
    const messages = serve.lines().map((l) => String(l.msg));
    const shutdownAt = messages.findIndex((m) => m.startsWith('serve: shutting down'));
    expect(shutdownAt).toBeGreaterThanOrEqual(0);
    // The reconcile in flight ended after the signal, then the controller stopped.
    expect(messages.indexOf('reconcile: done')).toBeGreaterThan(shutdownAt);
    expect(messages.at(-1)).toBe('serve: stopped');
    const live = publishedPrompt(w.sim, appId);
    expect([OLD, NEW]).toContain(live);
    const status = serve.lines().find((l) => l.app === 'demo')?.status;
    expect(['healed', 'rolled-back', 'in-sync']).toContain(status);
    if (live === NEW) expect(status).toBe('healed');
    expect(await lockFiles(join(w.repo.dir, '.dify-gitops'))).toEqual([]);
    // Never printed: the login password the child read from its environment.
    expect(exit.stdout + exit.stderr).not.toContain(w.repo.env.DIFY_STAGING_PASSWORD);
  }, 120_000);
});
