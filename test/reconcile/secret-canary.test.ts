// A bound secret's value never leaves through reconcile: not in what it prints (text or JSON),
// not in the drift issue or the adopt pull request it writes to GitHub, not in the files it keeps
// in the state directory (apply's 0600 `.secret.yaml` snapshots, which exist to hold it, aside).

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/commands/reconcile-run.js';
import { useFakeGitHub } from '../support/fake-github.js';
import { captureContext } from '../support/gitops-repo.js';
import { testClient } from '../support/github-test-client.js';
import { workflowDsl } from '../support/plan-builders.js';
import { editInUi, startReconcileWorld, statusOf, type ReconcileWorld } from '../support/reconcile-world.js';
import { filesUnder } from '../support/files-under.js';

const CANARY = 'canary-reconcile-4b7e19d2c0';

describe('reconcile never leaks a secret value', () => {
  const fake = useFakeGitHub();
  let world: ReconcileWorld | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  for (const drift of ['warn', 'adopt'] as const) {
    it(`${drift}: output, GitHub writes and state files hold no canary`, async () => {
      const w = (world = await startReconcileWorld({ policies: { drift } }));
      w.repo.env.SECRET_API_KEY = CANARY;
      await w.repo.writeApp({ name: 'demo', dsl: workflowDsl({ name: 'demo', prompt: 'RESPOND: git' }) });
      expect((await w.apply()).code).toBe(0);
      // The canary really is live, so a leak would have something to leak.
      const published = w.sim.state.workflows.find((wf) => wf.id === w.sim.state.apps.find((a) => a.name === 'demo')!.workflow_id)!;
      expect(published.environment_variables.find((v) => v.name === 'API_KEY')?.value).toBe(CANARY);

      await editInUi(w.client, w.appId('demo'), 'RESPOND: ui');
      const { gh } = testClient(fake());
      const report = await w.reconcile({}, { github: { gh, owner: 'acme', repo: 'dify-apps', base: 'main' } });
      expect(statusOf(report, 'demo')).toBe(drift === 'warn' ? 'drift' : 'adopted');
      const text = captureContext(w.repo.dir, w.repo.env);
      expect(await run(text, { revision: 'rev1' })).toBe(2);
      const json = captureContext(w.repo.dir, w.repo.env);
      expect(await run(json, { revision: 'rev1', format: 'json' })).toBe(2);

      const written = JSON.stringify(fake().requests.map((r) => r.body));
      expect(written.length).toBeGreaterThan(100);
      if (drift === 'warn') expect(fake().state.issues).toHaveLength(1);
      else expect(fake().fileAt('dify-gitops/adopt-staging', 'workflows/demo/demo.dsl.yml')).toContain('API_KEY');
      const leaks: string[] = [];
      const check = (where: string, text: string): void => {
        if (text.includes(CANARY)) leaks.push(where);
      };
      check('reconcile report', JSON.stringify(report));
      check('stdout (text)', text.stdout() + text.stderr());
      check('stdout (json)', json.stdout() + json.stderr());
      check('GitHub request bodies', written);
      check('GitHub state', JSON.stringify(fake().state, (_key, value: unknown) => (value instanceof Map ? [...value] : value)));
      const files = await filesUnder(w.repo.dir);
      expect(files.some((f) => f.includes(`${join('.dify-gitops', 'reconcile')}`))).toBe(true);
      for (const file of files.filter((f) => !f.endsWith('.secret.yaml'))) check(file, await readFile(file, 'latin1'));
      expect(leaks).toEqual([]);
    });
  }
});
