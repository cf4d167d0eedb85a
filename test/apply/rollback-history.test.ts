import { describe, expect, it } from 'vitest';
import { run as runHistory } from '../../src/cli/commands/history-run.js';
import { run as runRollback } from '../../src/cli/commands/rollback-run.js';
import type { ProfileName } from '../../src/simulator/profiles.js';
import { captureContext } from '../support/gitops-repo.js';
import { BAD, deployedScenario, GOOD, GOOD_V2, SECRET, type Scenario } from '../support/fault-scenario.js';

async function rollback(s: Scenario, to: string) {
  const ctx = captureContext(s.repo.dir, s.repo.env);
  const code = await runRollback(ctx, { env: 'staging', app: 'demo', to });
  return { code, out: ctx.stdout(), err: ctx.stderr() };
}

describe.each<ProfileName>(['1.14.1', '1.12.1'])('rollback and history commands (%s)', (profile) => {
  it('rolls back to previous, to a git revision and to a workflow id, health-checked; history shows it all', async () => {
    const s = await deployedScenario(profile);
    try {
      const v1 = s.live().workflowId!;
      await s.deployPrompt(GOOD_V2);
      expect((await s.apply({ revision: 'second' })).code).toBe(0);
      const v2 = s.live().workflowId!;

      const back = await rollback(s, 'previous');
      expect(back.code, back.out).toBe(0);
      expect(back.out).toMatch(/the version live before the last apply \(second\)/);
      expect(s.live().prompt).toBe(GOOD);
      expect(s.live().secret).toBe(SECRET);
      const rolled = s.sim.state.workflows.find((w) => w.id === s.live().workflowId)!;
      expect(rolled.marked_name).toBe('rollback good');

      expect((await rollback(s, 'second')).code).toBe(0);
      expect(s.live().prompt).toBe(GOOD_V2);
      expect((await rollback(s, v1)).code).toBe(0);
      expect(s.live().prompt).toBe(GOOD);
      expect((await rollback(s, 'no-such-rev')).out).toMatch(/no published version has id or marked name no-such-rev/);

      const ctx = captureContext(s.repo.dir, s.repo.env);
      expect(await runHistory(ctx, { env: 'staging', app: 'demo' })).toBe(0);
      const history = ctx.stdout();
      expect(history).toMatch(new RegExp(`${v2}\\s+"second"`));
      expect(history).toMatch(/\* .*"rollback good"/); // the live one is starred
      expect(history).toMatch(/apply good\s+→ applied/);
      expect(history).toMatch(/rollback rollback-good\s+→ applied/);
      expect(history).not.toContain(SECRET);
    } finally {
      await s.close();
    }
  });

  it('undoes a rollback to a version that fails its health checks (exit 3)', async () => {
    const s = await deployedScenario(profile);
    try {
      // An old version that is unhealthy under today's checks: published by hand in Dify.
      await s.deployPrompt(BAD);
      // (--no-draft-gate: the draft gate would stop it before publish.)
      const bad = await s.apply({ revision: 'bad', draftGate: false });
      expect(bad.code).toBe(3);
      const badVersion = s.sim.state.workflows.find((w) => w.marked_name === 'bad')!;
      const before = s.live().workflowId;
      const result = await rollback(s, badVersion.id);
      expect(result.code, result.out).toBe(3);
      expect(s.live().prompt).toBe(GOOD);
      expect(s.live().workflowId).not.toBe(before); // republished as the way back
      expect(s.live().secret).toBe(SECRET);
    } finally {
      await s.close();
    }
  });
});
