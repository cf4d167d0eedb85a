// Two applies to the same environment at once (two real processes): with --lock-wait 0 the
// second fails on the lock and changes nothing; with a wait it runs after the first has finished,
// finds nothing left to do, and the two never interleave.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { JournalRecord } from '../../src/state/journal.js';
import { ensureBuilt, startCli } from '../support/cli-process.js';
import { deployedScenario, faultTaken, GOOD_V2 } from '../support/fault-scenario.js';

const IMPORTS = /^\/console\/api\/apps\/imports$/;
const PUBLISH = '^/console/api/apps/[^/]+/workflows/publish$';

describe('two concurrent applies to one environment', () => {
  beforeAll(() => ensureBuilt());

  it('the second fails on the lock (no wait) and changes nothing', async () => {
    const s = await deployedScenario('1.14.1');
    try {
      await s.deployPrompt(GOOD_V2);
      const hold = s.sim.faults.add({ method: 'POST', path: PUBLISH, delayMs: 5000, times: 1 });
      const first = startCli(['apply', '--revision', 'first', '--message', 'm'], { cwd: s.repo.dir, env: s.repo.env });
      await faultTaken(s.sim, hold.id); // the first apply holds the lock and is publishing
      const second = await startCli(['apply', '--revision', 'second', '--message', 'm'], { cwd: s.repo.dir, env: s.repo.env }).done;
      expect(second.code, second.stdout + second.stderr).toBe(1);
      expect(second.stdout + second.stderr).toMatch(/lock .*staging.*demo\.lock is held by .* \(apply\)/);
      const firstDone = await first.done;
      expect(firstDone.code, firstDone.stdout + firstDone.stderr).toBe(0);
      expect(s.sim.requests.filter((r) => r.method === 'POST' && IMPORTS.test(r.path))).toHaveLength(2); // initial deploy + first
      const published = s.sim.state.workflows.find((w) => w.id === s.live().workflowId)!;
      expect(published.marked_name).toBe('first');
    } finally {
      await s.close();
    }
  });

  it('with --lock-wait the second waits, then finds nothing to do; the runs do not overlap', async () => {
    const s = await deployedScenario('1.14.1');
    try {
      await s.deployPrompt(GOOD_V2);
      const hold = s.sim.faults.add({ method: 'POST', path: PUBLISH, delayMs: 5000, times: 1 });
      const first = startCli(['apply', '--revision', 'first', '--message', 'm'], { cwd: s.repo.dir, env: s.repo.env });
      await faultTaken(s.sim, hold.id);
      const second = startCli(['apply', '--revision', 'second', '--message', 'm', '--lock-wait', '60'], { cwd: s.repo.dir, env: s.repo.env });
      const [a, b] = await Promise.all([first.done, second.done]);
      expect(a.code, a.stdout + a.stderr).toBe(0);
      expect(b.code, b.stdout + b.stderr).toBe(0);
      expect(b.stdout).toMatch(/apply staging\/demo: no changes|Nothing to apply/);
      const history = (await readFile(join(s.repo.dir, '.dify-gitops', 'history', 'staging', 'demo.jsonl'), 'utf8'))
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as JournalRecord);
      // Initial deploy and the first apply; the second never opened a journal because nothing was left.
      expect(history.map((r) => r.context.revision)).toEqual(['good', 'first']);
      expect(s.sim.state.workflows.filter((w) => w.app_id === s.appId && w.version !== 'draft').map((w) => w.marked_name)).toEqual(['good', 'first']);
    } finally {
      await s.close();
    }
  });
});
