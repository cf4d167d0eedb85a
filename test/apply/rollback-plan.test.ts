import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { chooseVersion } from '../../src/apply/choose-version.js';
import { planDraftRestore, planRollback, rollbackMarks } from '../../src/apply/rollback-plan.js';
import type { Snapshot } from '../../src/apply/snapshot.js';
import type { WorkflowRecord } from '../../src/dify/index.js';
import type { JournalRecord } from '../../src/state/journal.js';
import { chatDsl } from '../support/plan-builders.js';

const ref = { id: 's', secretPath: 'a.secret.yaml', redactedPath: 'a.redacted.yaml', metaPath: 'a.meta.json' };
const snap = (over: Partial<Snapshot> = {}): Snapshot => ({ ref, publishedYaml: 'published: yes', draftYaml: 'draft: yes', draftDiffers: false, ...over });

describe('planRollback', () => {
  it('uses the restore endpoint when the server has it, then publishes with a rollback mark', () => {
    const plan = planRollback({ mode: 'workflow', created: false, snapshot: snap(), previousWorkflowId: 'wf-old', restoreEndpoint: true, revision: 'abc123456789' });
    expect(plan.complete).toBe(true);
    expect(plan.deployment.steps.map((s) => s.kind)).toEqual(['restore', 'publish']);
    expect(plan.deployment.steps[1]).toMatchObject({ markedName: 'rollback abc12345678' });
    expect((plan.deployment.steps[1] as { markedName: string }).markedName.length).toBeLessThanOrEqual(20);
  });

  it('re-imports the snapshot taken with secrets when there is no restore endpoint, and puts back unpublished draft edits', () => {
    const plan = planRollback({ mode: 'advanced-chat', created: false, snapshot: snap({ draftDiffers: true }), previousWorkflowId: 'wf-old', restoreEndpoint: false, revision: 'r' });
    expect(plan.deployment.steps.map((s) => [s.kind, s.label])).toEqual([
      ['import', 'import'],
      ['publish', 'publish'],
      ['import', 'import-draft'],
    ]);
    expect(plan.deployment.steps[0]).toMatchObject({ yaml: 'published: yes' });
    expect(plan.deployment.steps[2]).toMatchObject({ yaml: 'draft: yes' });
  });

  it('restores the previous model config of a chat app', () => {
    const plan = planRollback({ mode: 'chat', created: false, snapshot: snap({ publishedYaml: stringify(chatDsl('old prompt')) }), previousWorkflowId: null, restoreEndpoint: true, revision: 'r' });
    expect(plan.deployment.steps).toEqual([{ kind: 'model-config', label: 'model-config', modelConfig: expect.objectContaining({ pre_prompt: 'old prompt' }) }]);
  });

  it('deletes an app the deployment created', () => {
    expect(planRollback({ mode: 'workflow', created: true, snapshot: undefined, previousWorkflowId: null, restoreEndpoint: true, revision: 'r' }).deployment.steps).toEqual([{ kind: 'delete', label: 'delete' }]);
  });

  it('says it is incomplete when nothing was published before (only the draft can come back)', () => {
    const plan = planRollback({ mode: 'workflow', created: false, snapshot: snap(), previousWorkflowId: null, restoreEndpoint: true, revision: 'r' });
    expect(plan.complete).toBe(false);
    expect(plan.deployment.steps.map((s) => s.label)).toEqual(['import-draft']);
    expect(plan.note).toMatch(/no published version before/);
  });

  it('restores only the draft when the forward deployment stopped before publishing', () => {
    expect(planDraftRestore(snap()).steps.map((s) => s.label)).toEqual(['import-draft']);
    expect(planDraftRestore(undefined).steps).toEqual([]);
  });

  it('clips marks to Dify limits', () => {
    const marks = rollbackMarks('x'.repeat(40), 'y'.repeat(200));
    expect([...marks.markedName].length).toBeLessThanOrEqual(20);
    expect([...marks.markedComment].length).toBeLessThanOrEqual(100);
  });
});

describe('chooseVersion', () => {
  const v = (id: string, version: string, marked_name = ''): WorkflowRecord => ({ id, version, marked_name, graph: {}, features: {}, hash: '', created_at: 0, updated_at: 0, environment_variables: [], conversation_variables: [] });
  const versions = [v('draft-row', 'draft'), v('w3', '2026-01-03 00:00:00', 'rollback r1'), v('w2', '2026-01-02 00:00:00', 'r2abcdef'), v('w1', '2026-01-01 00:00:00', 'r1abcdef')];
  const history = [{ operation: 'apply', outcome: { status: 'applied', at: '' }, context: { previousWorkflowId: 'w1', revision: 'r2abcdef' } }] as unknown as JournalRecord[];

  it('previous = the version live before the last successful apply', () => {
    expect(chooseVersion('previous', versions, 'w2', history)).toMatchObject({ ok: true, version: { id: 'w1' } });
  });
  it('previous without history = the next older published version', () => {
    expect(chooseVersion('previous', versions, 'w3', [])).toMatchObject({ ok: true, version: { id: 'w2' } });
  });
  it('matches a git revision by marked name (full or short), never a rollback mark', () => {
    expect(chooseVersion('r1abcdef0123', versions, 'w3', [])).toMatchObject({ ok: true, version: { id: 'w1' } });
    expect(chooseVersion('r2ab', versions, 'w3', [])).toMatchObject({ ok: true, version: { id: 'w2' } });
  });
  it('takes a workflow id, and explains a miss', () => {
    expect(chooseVersion('w2', versions, 'w3', [])).toMatchObject({ ok: true, version: { id: 'w2' } });
    expect(chooseVersion('zzz', versions, 'w3', [])).toEqual({ ok: false, message: 'no published version has id or marked name zzz (see `dify-gitops history`)' });
    expect(chooseVersion('previous', [v('d', 'draft')], null, [])).toEqual({ ok: false, message: 'the app has no published versions' });
  });
});
