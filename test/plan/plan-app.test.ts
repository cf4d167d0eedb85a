import { describe, expect, it } from 'vitest';
import { planApp } from '../../src/plan/plan-app.js';
import { chatDsl, desiredApp, liveFrom, SERVER_1_12, SERVER_1_14, workflowDsl } from '../support/plan-builders.js';

const found = (app: ReturnType<typeof liveFrom>) => ({ kind: 'found' as const, app, foundBy: 'adopt' as const });

describe('planApp', () => {
  it('plans a create when the app does not exist, with the import outcome and secret effects', () => {
    const entry = planApp(desiredApp(workflowDsl()), { kind: 'absent' }, { server: SERVER_1_14 });
    expect(entry).toMatchObject({ action: 'create', changes: true, blocked: false, appId: null });
    expect(entry.importOutcome?.status).toBe('completed');
    expect(entry.diff?.summary.nodes.added).toBe(3);
    expect(entry.secrets).toEqual([{ variable: 'API_KEY', effect: 'empty', source: 'none' }]);
    expect(entry.findings.map((f) => f.code)).toEqual(['secret-without-value']);
    expect(entry.digests.live).toBe('absent');
  });

  it('plans no-op when the published version equals git after Dify rewrote ids and blanked secrets', () => {
    const entry = planApp(desiredApp(workflowDsl()), found(liveFrom(workflowDsl())), { server: SERVER_1_14 });
    expect(entry).toMatchObject({ action: 'no-op', changes: false, blocked: false, summary: 'no changes' });
    expect(entry.diff?.summary.total).toBe(0);
  });

  it('plans an update (import + publish) when the prompt changed, naming the changed node', () => {
    const entry = planApp(desiredApp(workflowDsl({ prompt: 'Be brief about {{#start.topic#}}' })), found(liveFrom(workflowDsl())), { server: SERVER_1_14 });
    expect(entry).toMatchObject({ action: 'update', changes: true, blocked: false, appId: 'app-1' });
    expect(entry.diff?.summary.nodes.changed).toBe(1);
    expect(entry.diff?.changes.some((c) => c.subject === 'node' && c.key === 'llm')).toBe(true);
    expect(entry.summary).toMatch(/^update: nodes: 1 changed; import \+ publish$/);
    expect(entry.secrets).toEqual([{ variable: 'API_KEY', effect: 'keep', source: 'live value' }]);
  });

  it('plans draft-only drift when the UI draft differs but the published version matches git', () => {
    const live = liveFrom(workflowDsl(), { draft: workflowDsl({ prompt: 'edited in the UI' }) });
    const entry = planApp(desiredApp(workflowDsl()), found(live), { server: SERVER_1_14 });
    expect(entry).toMatchObject({ action: 'draft-only-drift', changes: false, blocked: false });
    expect(entry.draftDiff?.summary.nodes.changed).toBe(1);
    expect(entry.diff?.summary.total).toBe(0);
    const healed = planApp(desiredApp(workflowDsl(), { policies: { drift: 'heal' } }), found(live), { server: SERVER_1_14 });
    expect(healed).toMatchObject({ action: 'draft-only-drift', changes: true });
  });

  it('warns that an update replaces unpublished draft edits', () => {
    const live = liveFrom(workflowDsl(), { draft: workflowDsl({ prompt: 'edited in the UI' }) });
    const entry = planApp(desiredApp(workflowDsl({ prompt: 'from git' })), found(live), { server: SERVER_1_14 });
    expect(entry.action).toBe('update');
    expect(entry.findings.find((f) => f.code === 'draft-overwritten')?.severity).toBe('warning');
  });

  it('plans a model-config update for chat apps and says it is live at once', () => {
    const entry = planApp(desiredApp(chatDsl('You are terse.')), found(liveFrom(chatDsl('You are chatty.'))), { server: SERVER_1_14 });
    expect(entry).toMatchObject({ action: 'update-model-config', changes: true, importOutcome: null });
    expect(entry.notes.join(' ')).toMatch(/live at once/);
    expect(planApp(desiredApp(chatDsl('same')), found(liveFrom(chatDsl('same'))), { server: SERVER_1_14 }).action).toBe('no-op');
  });

  it('plans replace-required (blocked) when the mode differs', () => {
    const entry = planApp(desiredApp(workflowDsl({ mode: 'advanced-chat' })), found(liveFrom(workflowDsl())), { server: SERVER_1_14 });
    expect(entry).toMatchObject({ action: 'replace-required', blocked: true, liveMode: 'workflow', mode: 'advanced-chat' });
  });

  it('blocks a pending import unless the policy allows it, naming the version gap', () => {
    const desired = desiredApp(workflowDsl({ prompt: 'changed' }));
    const entry = planApp(desired, found(liveFrom(workflowDsl())), { server: SERVER_1_12 });
    expect(entry.importOutcome?.status).toBe('pending');
    expect(entry.blocked).toBe(true);
    expect(entry.findings.find((f) => f.code === 'import-pending')?.message).toMatch(/DSL 0\.6\.0 → server 0\.5\.0.*allowPendingImport/);
    const allowed = planApp(desiredApp(workflowDsl({ prompt: 'changed' }), { policies: { allowPendingImport: true } }), found(liveFrom(workflowDsl())), { server: SERVER_1_12 });
    expect(allowed.blocked).toBe(false);
  });

  it('blocks unmapped knowledge bases and warns about plugins not seen installed', () => {
    const dsl = workflowDsl({ datasetIds: ['handbook'], prompt: 'x' });
    dsl.dependencies = [{ type: 'marketplace', value: { marketplace_plugin_unique_identifier: 'langgenius/openai:0.2.6@abc' }, current_identifier: null }];
    const entry = planApp(desiredApp(dsl), found(liveFrom(workflowDsl())), { server: SERVER_1_14, installedPlugins: new Set(['langgenius/anthropic']) });
    expect(entry.findings.map((f) => [f.severity, f.code])).toEqual(
      expect.arrayContaining([
        ['error', 'unmapped-dataset'],
        ['warning', 'missing-plugin'],
      ]),
    );
    expect(entry.blocked).toBe(true);
  });

  it('turns an observation error into a blocked error entry', () => {
    const entry = planApp(desiredApp(workflowDsl()), { kind: 'error', code: 'adopt-ambiguous', message: '2 apps are named demo' }, { server: SERVER_1_14 });
    expect(entry).toMatchObject({ action: 'error', blocked: true, summary: 'cannot plan: 2 apps are named demo' });
  });

  it('gives a stable desired digest and a live digest that moves with the published version', () => {
    const desired = desiredApp(workflowDsl());
    const a = planApp(desired, found(liveFrom(workflowDsl())), { server: SERVER_1_14 });
    const b = planApp(desiredApp(workflowDsl()), found(liveFrom(workflowDsl())), { server: SERVER_1_14 });
    expect(b.digests).toEqual(a.digests);
    const moved = planApp(desired, found(liveFrom(workflowDsl(), { publishedWorkflowId: 'wf-2' })), { server: SERVER_1_14 });
    expect(moved.digests.desired).toBe(a.digests.desired);
    expect(moved.digests.live).not.toBe(a.digests.live);
    const edited = planApp(desiredApp(workflowDsl({ prompt: 'other' })), found(liveFrom(workflowDsl())), { server: SERVER_1_14 });
    expect(edited.digests.desired).not.toBe(a.digests.desired);
  });
});
