// Finishes or rolls back an apply that a crash or kill -9 left half done, from its journal.
// Decided from what the journal says was started and what Dify says is live now:
//   nothing changing was started            → close the journal (nothing happened)
//   a way back was under way                → run it again (it is idempotent)
//   live changed (new version published, or
//   the model config posted)                → health checks: healthy → finish as applied;
//                                             unhealthy → roll back
//   only the draft may have changed         → put the draft back (this covers a crash during or
//                                             after the draft gate, before publish: recovery never
//                                             publishes a draft; the next apply gates it again)
// Used by `dify-gitops recover` and by apply before it touches an app with an open journal.

import type { DesiredApp } from '../config/types.js';
import { WORKFLOW_MODES, type AppMode } from '../dsl/index.js';
import { ExitCode } from '../exit-codes.js';
import type { JournalRecord } from '../state/journal.js';
import { contextOf, type ApplySession } from './session.js';
import { loadSnapshot, type Snapshot } from './snapshot.js';
import type { AppApplyResult } from './types.js';
import { rollBack, undoDraft } from './undo.js';
import { describeHealth, verifyApp } from './verify.js';

const CHANGING = ['import', 'confirm', 'check-dependencies', 'publish', 'model-config', 'restore', 'delete', 'import-draft'];

export async function recoverApp(session: ApplySession, record: JournalRecord, desired: DesiredApp | undefined, renew: () => Promise<void>): Promise<AppApplyResult> {
  const ctx = contextOf(record);
  const started = (name: string): boolean => record.steps.some((s) => s.step === name);
  const touched = record.steps.some((s) => CHANGING.includes(s.step.replace(/^rollback:/, '')));
  const checks = desired?.healthChecks ?? [];
  const base = { environment: record.environment, app: record.app, appId: ctx.appId, action: (ctx.action ?? 'update') as AppApplyResult['action'] };
  if (!touched) {
    await session.journal.finish(record, 'abandoned', 'interrupted before anything was changed');
    return { ...base, outcome: 'recovered', exitCode: ExitCode.Ok, message: 'the interrupted run had not changed anything; its journal is closed' };
  }
  let snapshot: Snapshot | undefined;
  if (ctx.snapshotId !== null) {
    try {
      snapshot = await loadSnapshot(session.snapshots, session.snapshots.refFromId(record.environment, record.app, ctx.snapshotId), ctx.mode, ctx.draftDiffers);
    } catch (error) {
      return { ...base, outcome: 'needs-human', exitCode: ExitCode.NeedsHuman, message: `the snapshot ${ctx.snapshotId} cannot be read (${error instanceof Error ? error.message : String(error)}); the journal stays open` };
    }
  }
  const reason = `recovering the interrupted ${record.operation} of ${ctx.revision} (last step: ${record.steps.at(-1)?.step ?? 'none'})`;
  const isWorkflow = WORKFLOW_MODES.includes(ctx.mode as AppMode);
  const publishedNow = ctx.appId !== null && isWorkflow ? await session.client.apps.publishedWorkflowId(ctx.appId) : null;
  const undo = { session, record, renew, checks, snapshot, publishedNow };

  if (ctx.rollbackKind === 'full') return rollBack({ ...undo, reason });
  if (ctx.rollbackKind === 'draft') {
    const undone = await undoDraft({ ...undo, reason });
    return undone.outcome === 'failed-before-change' ? { ...undone, outcome: 'recovered', exitCode: ExitCode.Ok } : undone;
  }

  const liveChanged = isWorkflow ? ctx.appId !== null && publishedNow !== null && publishedNow !== ctx.previousWorkflowId : started('model-config') || (ctx.created && ctx.appId !== null);
  if (!liveChanged) {
    const undone = await undoDraft({ ...undo, reason: `${reason}: the new version was never published` });
    // For recovery, "nothing live changed and the draft is back" is success, not an error.
    return undone.outcome === 'failed-before-change' ? { ...undone, outcome: 'recovered', exitCode: ExitCode.Ok } : undone;
  }

  const health = await verifyApp({ client: session.client, journal: session.journal, record, step: 'health', stateDir: session.stateDir, environment: record.environment, appId: ctx.appId!, mode: ctx.mode, workflowId: publishedNow, checks, limit: session.healthLimit });
  if (!health.passed) return { ...(await rollBack({ ...undo, reason: `${reason}: health checks failed on the new version (${describeHealth(health)})` })), health };
  await session.journal.finish(record, 'applied', `recovered: the new version is live and healthy; ${describeHealth(health)}`);
  return { ...base, outcome: 'applied', exitCode: ExitCode.Ok, message: `${reason}: the new version${publishedNow ? ` ${publishedNow}` : ''} is live and healthy (${describeHealth(health)})`, health, workflowId: publishedNow ?? undefined };
}
