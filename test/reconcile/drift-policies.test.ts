// reconcile over the simulator and the GitHub fake: drift published "from the UI" is reported
// (warn: exit 2 and one issue, closed once the drift is gone), healed (live equals git again),
// or adopted (a pull request carrying the live prompt); draft-only drift is reported, not applied.

import { afterEach, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { workflowDsl } from '../support/plan-builders.js';
import { useFakeGitHub } from '../support/fake-github.js';
import { testClient } from '../support/github-test-client.js';
import { editInUi, publishedPrompt, startReconcileWorld, statusOf, type ReconcileWorld } from '../support/reconcile-world.js';

const GIT_PROMPT = 'RESPOND: from git';
const UI_PROMPT = 'RESPOND: edited in the UI';

describe('reconcile drift policies', () => {
  const fake = useFakeGitHub();
  let world: ReconcileWorld | undefined;
  afterEach(async () => {
    await world?.close();
    world = undefined;
  });

  async function deployed(drift: 'warn' | 'heal' | 'adopt'): Promise<{ w: ReconcileWorld; appId: string }> {
    const w = (world = await startReconcileWorld({ policies: { drift } }));
    await w.repo.writeApp({ name: 'demo', dsl: workflowDsl({ name: 'demo', prompt: GIT_PROMPT }) });
    expect((await w.apply()).code).toBe(0);
    return { w, appId: w.appId('demo') };
  }

  function github() {
    const { gh } = testClient(fake());
    return { gh, owner: 'acme', repo: 'dify-apps', base: 'main' };
  }

  it('warn: reports published drift with exit 2 and one issue, then closes the issue when git is applied again', async () => {
    const { w, appId } = await deployed('warn');
    const clean = await w.reconcile({}, { github: github() });
    expect(clean.exitCode).toBe(0);
    expect(statusOf(clean, 'demo')).toBe('in-sync');
    expect(fake().state.issues).toHaveLength(0);

    await editInUi(w.client, appId, UI_PROMPT);
    const drifted = await w.reconcile({}, { github: github() });
    expect(drifted.exitCode).toBe(2);
    expect(statusOf(drifted, 'demo')).toBe('drift');
    expect(publishedPrompt(w.sim, appId)).toBe(UI_PROMPT); // warn changes nothing
    expect(fake().state.issues).toHaveLength(1);
    const issue = fake().state.issues[0]!;
    expect(issue.state).toBe('open');
    expect(issue.title).toBe('Drift in staging');
    expect(issue.body).toContain('<!-- dify-gitops:issue:drift:staging -->');
    expect(issue.body).toMatch(/\| demo \| drift \|/);

    // Drift again: the same issue is kept, not a second one.
    await w.reconcile({}, { github: github() });
    expect(fake().state.issues).toHaveLength(1);

    expect((await w.apply('rev2')).code).toBe(0);
    expect(publishedPrompt(w.sim, appId)).toBe(GIT_PROMPT);
    const healed = await w.reconcile({}, { github: github() });
    expect(healed.exitCode).toBe(0);
    expect(statusOf(healed, 'demo')).toBe('in-sync');
    expect(fake().state.issues).toHaveLength(1);
    expect(fake().state.issues[0]!.state).toBe('closed');
  });

  it('heal: re-applies git through apply, so the published version equals git again', async () => {
    const { w, appId } = await deployed('heal');
    await editInUi(w.client, appId, UI_PROMPT);
    const versionBefore = w.sim.state.apps.find((a) => a.id === appId)!.workflow_id;
    const report = await w.reconcile({}, { revision: { id: 'rev9', subject: 'heal' } });
    expect(statusOf(report, 'demo')).toBe('healed');
    expect(report.exitCode).toBe(0);
    const app = w.sim.state.apps.find((a) => a.id === appId)!;
    expect(app.workflow_id).not.toBe(versionBefore);
    expect(publishedPrompt(w.sim, appId)).toBe(GIT_PROMPT);
    expect(w.sim.state.workflows.find((wf) => wf.id === app.workflow_id)!.marked_name).toBe('rev9');
    // And the next reconcile agrees.
    const again = await w.reconcile();
    expect(statusOf(again, 'demo')).toBe('in-sync');
    expect(again.exitCode).toBe(0);
  });

  it('adopt: opens a pull request that writes the live app into its DSL file, with the semantic diff', async () => {
    const { w, appId } = await deployed('adopt');
    await editInUi(w.client, appId, UI_PROMPT);
    const report = await w.reconcile({}, { github: github() });
    expect(statusOf(report, 'demo')).toBe('adopted');
    expect(report.exitCode).toBe(2);
    expect(publishedPrompt(w.sim, appId)).toBe(UI_PROMPT); // adopt never changes Dify
    expect(fake().state.pulls).toMatchObject([{ head: 'dify-gitops/adopt-staging', base: 'main', state: 'open' }]);
    const file = fake().fileAt('dify-gitops/adopt-staging', 'workflows/demo/demo.dsl.yml');
    expect(file).toBeDefined();
    const doc = parse(file!) as { workflow: { graph: { nodes: { id: string; data: { prompt_template?: { text: string }[] } }[] } } };
    expect(doc.workflow.graph.nodes.find((n) => n.id === 'llm')!.data.prompt_template![0]!.text).toBe(UI_PROMPT);
    expect(fake().state.pulls[0]!.body).toContain('### demo');
    expect(fake().state.pulls[0]!.body).toContain('LLM');
    // A second run with the same live state leaves the pull request as it is.
    const commits = fake().state.git.commits.size;
    const again = await w.reconcile({}, { github: github() });
    expect(statusOf(again, 'demo')).toBe('adopted');
    expect(fake().state.pulls).toHaveLength(1);
    expect(fake().state.git.commits.size).toBe(commits);
  });

  it('draft-only drift (a UI edit not published) is reported as such and nothing is applied, even under heal', async () => {
    const { w, appId } = await deployed('heal');
    const versionBefore = w.sim.state.apps.find((a) => a.id === appId)!.workflow_id;
    const warm = await w.reconcile();
    expect(statusOf(warm, 'demo')).toBe('in-sync');
    await editInUi(w.client, appId, UI_PROMPT, { draftOnly: true });
    const report = await w.reconcile();
    expect(statusOf(report, 'demo')).toBe('draft-only-drift');
    expect(report.exitCode).toBe(0);
    expect(report.environments[0]!.apps[0]!.detail).toMatch(/unpublished edits/);
    expect(w.sim.state.apps.find((a) => a.id === appId)!.workflow_id).toBe(versionBefore);
    const draft = await w.client.drafts.get(appId);
    expect(JSON.stringify(draft!.graph)).toContain(UI_PROMPT);
    // Without the draft check, the cheap path reuses what it last saw (no draft read).
    const cheap = await w.reconcile({ checkDrafts: false });
    expect(statusOf(cheap, 'demo')).toBe('draft-only-drift');
  });
});
