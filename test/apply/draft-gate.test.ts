// The draft gate of apply, over the simulator: a change whose checks fail on the imported draft
// is never published (published id, the service API's answer and the draft are as before); a
// change that passes on the draft is published and checked again; a change that passes on the
// draft but fails on the published path is rolled back by the second gate.

import { describe, expect, it } from 'vitest';
import type { ApplyAllResult } from '../../src/apply/apply-all.js';
import type { DifyClient } from '../../src/dify/index.js';
import { simClient } from '../support/gitops-repo.js';
import { BAD, deployedScenario, GOOD, GOOD_V2, SECRET, type Scenario } from '../support/fault-scenario.js';

async function withScenario(body: (s: Scenario, client: DifyClient) => Promise<void>): Promise<void> {
  const s = await deployedScenario('1.14.1');
  const client = simClient(s.sim);
  try {
    await body(s, client);
  } finally {
    await client.close();
    await s.close();
  }
}

/** What users get: the answer of the published app through the service API, with its own key. */
async function serviceAnswer(client: DifyClient, appId: string): Promise<unknown> {
  const { token } = await client.apiKeys.create(appId);
  const { data } = await client.service(token).runWorkflow({ user: 'draft-gate-test', inputs: { topic: 'x' } });
  return { status: data.status, outputs: data.outputs, workflowId: data.workflow_id };
}

async function draftOf(client: DifyClient, appId: string): Promise<{ hash: string; graph: unknown }> {
  const draft = (await client.drafts.get(appId))!;
  return { hash: draft.hash, graph: draft.graph };
}

function count(s: Scenario, method: string, path: RegExp): number {
  return s.sim.requests.filter((r) => r.method === method && path.test(r.path)).length;
}

const DRAFT_RUN = /^\/console\/api\/apps\/[^/]+\/workflows\/draft\/run$/;
const PINNED_RUN = /^\/v1\/workflows\/[^/]+\/run$/;
const PUBLISH = /^\/console\/api\/apps\/[^/]+\/workflows\/publish$/;

describe('apply: the draft gate (1.14.1)', () => {
  it('never publishes a change whose checks fail on the draft, and puts the draft back', async () => {
    await withScenario(async (s, client) => {
      const before = { live: s.live(), answer: await serviceAnswer(client, s.appId), draft: await draftOf(client, s.appId) };
      const publishes = count(s, 'POST', PUBLISH);
      const draftRuns = count(s, 'POST', DRAFT_RUN);

      await s.deployPrompt(BAD);
      const result = await s.apply({ revision: 'bad', format: 'json' });
      expect(result.code, result.out).toBe(3);
      const report = JSON.parse(result.out) as ApplyAllResult;
      const app = report.results[0]!;
      expect(app).toMatchObject({ outcome: 'rolled-back', gate: 'draft', exitCode: 3 });
      expect(app.message).toMatch(/health checks failed on the imported draft .*Stopped at the draft gate, nothing was published/);
      expect(app.message).toContain(before.live.workflowId!);
      expect(app.draftHealth?.passed).toBe(false);
      expect(app.draftHealth?.checks[0]?.verdicts[0]?.reasons.join(' ')).toMatch(/does not satisfy schema verdict/);

      // Nothing live changed: same published version, same answer, no publish request at all.
      expect(count(s, 'POST', PUBLISH)).toBe(publishes);
      expect(s.live()).toEqual(before.live);
      expect(await serviceAnswer(client, s.appId)).toEqual(before.answer);
      expect(s.sim.state.workflows.some((w) => w.marked_name === 'bad')).toBe(false);
      // The checks ran on the draft, and the draft is back: same graph, same hash.
      expect(count(s, 'POST', DRAFT_RUN)).toBe(draftRuns + 1);
      expect(await draftOf(client, s.appId)).toEqual(before.draft);
      // The secret in the draft survived the round trip.
      const vars = await client.drafts.getEnvironmentVariables(s.appId);
      expect(vars.find((v) => v.name === 'API_KEY')?.value).toBe(SECRET);
      expect((await s.recover()).out).toMatch(/Nothing to recover/);
    });
  });

  it('publishes a change that passes on the draft, then checks the published version again', async () => {
    await withScenario(async (s) => {
      const before = s.live().workflowId;
      const draftRuns = count(s, 'POST', DRAFT_RUN);
      const pinnedRuns = count(s, 'POST', PINNED_RUN);
      await s.deployPrompt(GOOD_V2);
      const result = await s.apply({ revision: 'second' });
      expect(result.code, result.out).toBe(0);
      expect(result.out).toMatch(/passed on the draft, then live and healthy/);
      expect(result.out).toMatch(/draft health: verdict-schema passed/);
      expect(result.out).toMatch(/ {2}health: verdict-schema passed/);
      expect(count(s, 'POST', DRAFT_RUN)).toBe(draftRuns + 1);
      expect(count(s, 'POST', PINNED_RUN)).toBe(pinnedRuns + 1);
      const live = s.live();
      expect(live.prompt).toBe(GOOD_V2);
      expect(live.workflowId).not.toBe(before);
      // The pinned run after publish asked for the new version by id.
      expect(s.sim.requests.filter((r) => PINNED_RUN.test(r.path)).at(-1)?.path).toBe(`/v1/workflows/${live.workflowId}/run`);
    });
  });

  it('rolls back a change that passes on the draft but fails on the published path (the second gate)', async () => {
    await withScenario(async (s) => {
      const before = s.live().workflowId;
      await s.deployPrompt(GOOD_V2);
      // The service API breaks for the new version only (the draft runs through the console).
      s.sim.faults.add({ method: 'POST', path: PINNED_RUN.source, status: 500, times: 1 });
      const result = await s.apply({ revision: 'second', format: 'json' });
      expect(result.code, result.out).toBe(3);
      const app = (JSON.parse(result.out) as ApplyAllResult).results[0]!;
      expect(app).toMatchObject({ outcome: 'rolled-back', gate: 'published' });
      expect(app.draftHealth?.passed).toBe(true);
      expect(app.health?.passed).toBe(false);
      expect(app.rollbackHealth?.passed).toBe(true);
      expect(app.message).toMatch(/failed on the new version \(it had passed them on the draft\)/);
      expect(s.live().prompt).toBe(GOOD);
      expect(s.live().workflowId).not.toBe(before); // the old version, republished as the way back
      expect(s.live().secret).toBe(SECRET);
    });
  });

  it('--no-draft-gate publishes first and relies on the checks after publish', async () => {
    await withScenario(async (s) => {
      const draftRuns = count(s, 'POST', DRAFT_RUN);
      await s.deployPrompt(BAD);
      const result = await s.apply({ revision: 'bad', draftGate: false });
      expect(result.code, result.out).toBe(3);
      expect(result.out).toMatch(/ROLLED BACK \(failed its checks once live\)/);
      expect(count(s, 'POST', DRAFT_RUN)).toBe(draftRuns);
      expect(s.sim.state.workflows.some((w) => w.marked_name === 'bad')).toBe(true);
      expect(s.live().prompt).toBe(GOOD);
    });
  });
});
