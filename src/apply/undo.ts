// The two ways back, shared by apply and recovery. rollBack: live changed (a publish or a model
// config happened) and must return to the snapshot: run the rollback deployment, re-run the
// health checks, report exit 3 (restored and healthy) or 4 (a human must look, with what is
// live). undoDraft: the forward deployment stopped before anything live changed; put the draft
// back if the import touched it, report exit 1, or exit 3 when the draft gate stopped the change
// (its checks failed on the draft, so it was deliberately not published). A failed way back leaves the journal open, so
// `recover` (or the next apply) tries again.

import type { HealthCheck } from '../config/types.js';
import type { DslDocument } from '../dsl/index.js';
import { ExitCode } from '../exit-codes.js';
import { comparableDsl } from '../plan/comparable.js';
import { canonicalJson } from '../plan/digest.js';
import { parseExport } from '../plan/observe.js';
import type { JournalRecord } from '../state/journal.js';
import { rememberApp } from './app-registry.js';
import { describeLive } from './describe-live.js';
import { planDraftRestore, planRollback } from './rollback-plan.js';
import { runDeployment } from './run-deployment.js';
import { contextOf, runContext, type ApplySession } from './session.js';
import type { Snapshot } from './snapshot.js';
import type { AppApplyResult, DeployState } from './types.js';
import { describeHealth, verifyApp } from './verify.js';

export interface UndoInput {
  session: ApplySession;
  record: JournalRecord;
  renew: () => Promise<void>;
  checks: readonly HealthCheck[];
  snapshot: Snapshot | undefined;
  /** Why we are going back, first sentence of the report. */
  reason: string;
  /** The version published now (the one being rolled back from), when known. */
  publishedNow: string | null;
  /** Set by the draft gate: the change was stopped before publish (exit 3, journal `stopped-at-draft`). */
  gate?: 'draft';
}

function result(record: JournalRecord, outcome: AppApplyResult['outcome'], exitCode: AppApplyResult['exitCode'], message: string, extra: Partial<AppApplyResult> = {}): AppApplyResult {
  const ctx = contextOf(record);
  return { environment: record.environment, app: record.app, appId: ctx.appId, action: ctx.action as AppApplyResult['action'], outcome, exitCode, message, ...extra };
}

export async function rollBack(input: UndoInput): Promise<AppApplyResult> {
  const { session, record } = input;
  const ctx = contextOf(record);
  ctx.rollbackKind = 'full';
  const plan = planRollback({ mode: ctx.mode, created: ctx.created, snapshot: input.snapshot, previousWorkflowId: ctx.previousWorkflowId, restoreEndpoint: session.server.restoreEndpoint, revision: ctx.revision });
  const state: DeployState = { appId: ctx.appId, publishedBefore: input.publishedNow, published: null, liveChanged: false };
  try {
    await runDeployment(runContext(session, record, 'rollback:', input.renew), plan.deployment, state);
  } catch (error) {
    const live = await describeLive(session.client, ctx.appId, ctx.mode);
    const why = error instanceof Error ? error.message : String(error);
    return result(record, 'needs-human', ExitCode.NeedsHuman, `${input.reason}. The rollback failed at ${why}. Live now: ${live}. The journal stays open: run \`dify-gitops recover --env ${record.environment}\` to try again.`, { live });
  }
  if (ctx.created) {
    await rememberApp(session.stateDir, session.environment, record.app, null);
    await session.journal.finish(record, 'rolled-back', `${input.reason}; ${plan.note}`);
    return result(record, 'rolled-back', ExitCode.RolledBack, `${input.reason}. Rolled back: ${plan.note}.`, { appId: null });
  }
  let health;
  if (plan.deployment.verify && state.appId !== null) {
    health = await verifyApp({ ...verifyBase(input), step: 'rollback:health', appId: state.appId, workflowId: state.published });
  }
  const live = await describeLive(session.client, ctx.appId, ctx.mode);
  if (!plan.complete || (health !== undefined && !health.passed)) {
    const why = !plan.complete ? plan.note : `the restored version is not healthy either (${describeHealth(health ?? { passed: false, checks: [] })})`;
    await session.journal.finish(record, 'needs-human', `${input.reason}; ${why}`);
    return result(record, 'needs-human', ExitCode.NeedsHuman, `${input.reason}. ${why}. Live now: ${live}.`, { live, rollbackHealth: health });
  }
  await session.journal.finish(record, 'rolled-back', `${input.reason}; ${plan.note}`);
  return result(record, 'rolled-back', ExitCode.RolledBack, `${input.reason}. Rolled back: ${plan.note}${health ? `; health after rollback: ${describeHealth(health)}` : ''}. Live now: ${live}.`, { rollbackHealth: health, live, workflowId: state.published ?? undefined });
}

export async function undoDraft(input: UndoInput): Promise<AppApplyResult> {
  const { session, record } = input;
  const ctx = contextOf(record);
  ctx.rollbackKind = 'draft';
  try {
    if (ctx.created && ctx.appId !== null) {
      const plan = planRollback({ mode: ctx.mode, created: true, snapshot: undefined, previousWorkflowId: null, restoreEndpoint: false, revision: ctx.revision });
      await runDeployment(runContext(session, record, 'rollback:', input.renew), plan.deployment, { appId: ctx.appId, publishedBefore: null, published: null, liveChanged: false });
      await rememberApp(session.stateDir, session.environment, record.app, null);
    } else if (ctx.appId !== null && input.snapshot !== undefined && (await draftChanged(session, ctx.appId, input.snapshot))) {
      await runDeployment(runContext(session, record, 'rollback:', input.renew), planDraftRestore(input.snapshot), { appId: ctx.appId, publishedBefore: null, published: null, liveChanged: false });
    }
  } catch (error) {
    const live = await describeLive(session.client, ctx.appId, ctx.mode);
    const why = error instanceof Error ? error.message : String(error);
    return result(record, 'needs-human', ExitCode.NeedsHuman, `${input.reason}. Putting the draft back failed at ${why}. Live now: ${live} (the published version was not changed). Run \`dify-gitops recover --env ${record.environment}\` to try again.`, { live, ...(input.gate ? { gate: input.gate } : {}) });
  }
  const what = ctx.created ? 'the half-created app was removed' : 'the published version was not changed and the draft is as it was';
  if (input.gate === 'draft') {
    await session.journal.finish(record, 'stopped-at-draft', `${input.reason}; not published, nothing live changed`);
    return result(record, 'rolled-back', ExitCode.RolledBack, `${input.reason}. Stopped at the draft gate, nothing was published: ${what}${ctx.previousWorkflowId ? ` (version ${ctx.previousWorkflowId} is still the one live)` : ''}.`, { gate: 'draft' });
  }
  await session.journal.finish(record, 'failed', `${input.reason}; nothing live changed`);
  return result(record, 'failed-before-change', ExitCode.Error, `${input.reason}. Nothing live changed: ${what}.`);
}

function verifyBase(input: UndoInput) {
  const { session, record } = input;
  return { client: session.client, journal: session.journal, record, stateDir: session.stateDir, environment: session.environment, mode: contextOf(record).mode, checks: input.checks, limit: session.healthLimit };
}

/** The draft no longer equals the snapshot's (secrets included), or it cannot be told. */
async function draftChanged(session: ApplySession, appId: string, snapshot: Snapshot): Promise<boolean> {
  if (snapshot.draftYaml === null) return false;
  try {
    const now = await session.client.dsl.export(appId, { includeSecret: true });
    const current = parseExport(now, 'current draft');
    for (const v of current.workflow?.environment_variables ?? []) if (v.value_type === 'secret' && typeof v.value === 'string') session.secretContext.redactor.add(v.value);
    return fingerprint(current) !== fingerprint(parseExport(snapshot.draftYaml, 'snapshot draft'));
  } catch {
    return true;
  }
}

function fingerprint(doc: DslDocument): string {
  const secrets = (doc.workflow?.environment_variables ?? []).filter((v) => v.value_type === 'secret').map((v) => [v.name, v.value]);
  return canonicalJson([comparableDsl(doc), secrets]);
}
