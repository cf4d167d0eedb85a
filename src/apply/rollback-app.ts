// `dify-gitops rollback`: make an older published version live again, as one more deployment
// through the same runner, journal, snapshot, health checks and way back as apply: restore the
// chosen version into the draft (≥ 1.13.3; else re-import its export with secrets, ≥ 1.8.1),
// publish it marked as a rollback, check it; if it is unhealthy, return to where we were.

import { randomUUID } from 'node:crypto';
import type { DesiredApp } from '../config/types.js';
import { DifyUnsupportedError } from '../dify/index.js';
import { ExitCode } from '../exit-codes.js';
import { findTarget } from '../plan/find-target.js';
import { loadAppRegistry } from './app-registry.js';
import { chooseVersion } from './choose-version.js';
import { clip, MARKED_COMMENT_MAX, MARKED_NAME_MAX } from './git-revision.js';
import { lockApp } from './lock-app.js';
import { recoverApp } from './recover.js';
import { runDeployment, StepError } from './run-deployment.js';
import { runContext, type ApplyContext, type ApplySession } from './session.js';
import { takeSnapshot } from './snapshot.js';
import type { AppApplyResult, DeployState, DeployStep } from './types.js';
import { rollBack, undoDraft } from './undo.js';
import { describeHealth, verifyApp } from './verify.js';

export async function rollbackApp(session: ApplySession, desired: DesiredApp, to: string): Promise<AppApplyResult> {
  const { client, journal } = session;
  const base = { environment: desired.environment, app: desired.name, appId: null, action: 'update' as const };
  const lock = await lockApp({ stateDir: session.stateDir, environment: desired.environment, app: desired.name, purpose: 'rollback', waitMs: session.lockWaitMs, breakStale: session.breakStaleLock, notice: session.notice });
  const renew = (): Promise<void> => lock.renew();
  try {
    const open = await journal.open(desired.environment, desired.name);
    if (open) {
      const recovered = await recoverApp(session, open, desired, renew);
      session.notice(`${desired.environment}/${desired.name}: finished an earlier interrupted run first: ${recovered.message}`);
      if (recovered.exitCode === ExitCode.NeedsHuman) return recovered;
    }
    const match = findTarget(desired, await client.apps.list(), await loadAppRegistry(session.stateDir, desired.environment));
    if (match.kind !== 'found') return { ...base, outcome: 'failed-before-change', exitCode: ExitCode.Error, message: match.kind === 'error' ? match.message : `the app does not exist in ${desired.environment}` };
    const app = match.summary;
    if (app.mode !== 'workflow' && app.mode !== 'advanced-chat') return { ...base, appId: app.id, outcome: 'failed-before-change', exitCode: ExitCode.Error, message: `${app.mode} apps have no versions to roll back to; apply an older commit instead` };
    const currentId = app.workflow?.id ?? null;
    const choice = chooseVersion(to, await client.versions.list(app.id), currentId, await journal.history(desired.environment, desired.name));
    if (!choice.ok) return { ...base, appId: app.id, outcome: 'failed-before-change', exitCode: ExitCode.Error, message: choice.message };
    if (choice.version.id === currentId) return { ...base, appId: app.id, outcome: 'no-op', exitCode: ExitCode.Ok, message: `${choice.why} (${currentId}) is already live` };

    const target = choice.version;
    const label = target.marked_name ? target.marked_name : target.id.slice(0, 8);
    const marks = { markedName: `rollback ${label}`.slice(0, MARKED_NAME_MAX), markedComment: clip(`dify-gitops rollback to ${choice.why}: version ${target.id}`, MARKED_COMMENT_MAX) };
    let first: DeployStep;
    if (session.server.restoreEndpoint) first = { kind: 'restore', label: 'restore', workflowId: target.id };
    else if (session.server.exportWorkflowId) first = { kind: 'import', label: 'import', yaml: await client.dsl.export(app.id, { workflowId: target.id, includeSecret: true }), allowPending: true, checkDependencies: false };
    else throw new DifyUnsupportedError(`rolling back to a chosen version needs Dify ≥ 1.8.1 (export of a version); the server is ${session.server.version}`, session.server.version);

    const context: ApplyContext = { appId: app.id, mode: app.mode, action: 'update', created: false, previousWorkflowId: currentId, revision: `rollback-${label}`, revisionSubject: marks.markedComment, snapshotId: null, draftDiffers: false };
    const record = await journal.begin({ runId: randomUUID(), environment: desired.environment, app: desired.name, operation: 'rollback', context: { ...context, to: target.id } });
    const ctx = record.context as unknown as ApplyContext;
    await journal.start(record, 'snapshot');
    let snapshot;
    try {
      snapshot = await takeSnapshot(client, session.snapshots, { environment: desired.environment, app: desired.name, appId: app.id, mode: app.mode, publishedWorkflowId: currentId, reason: `rollback to ${target.id}`, now: session.now() });
    } catch (error) {
      await journal.settle(record, 'snapshot', 'failed', { error: String(error) });
      await journal.finish(record, 'failed', 'snapshot failed');
      return { ...base, appId: app.id, outcome: 'failed-before-change', exitCode: ExitCode.Error, message: `snapshot failed: ${error instanceof Error ? error.message : String(error)}; nothing was changed` };
    }
    ctx.snapshotId = snapshot.ref.id;
    ctx.draftDiffers = snapshot.draftDiffers;
    await journal.settle(record, 'snapshot', 'done', { snapshotId: snapshot.ref.id });

    const state: DeployState = { appId: app.id, publishedBefore: currentId, published: currentId, liveChanged: false };
    const undo = { session, record, renew, checks: desired.healthChecks, snapshot };
    try {
      await runDeployment(runContext(session, record, '', renew), { description: `roll back to ${target.id}`, steps: [first, { kind: 'publish', label: 'publish', ...marks }], verify: true }, state);
    } catch (error) {
      const reason = error instanceof StepError ? error.message : String(error);
      return state.liveChanged ? rollBack({ ...undo, reason, publishedNow: state.published }) : undoDraft({ ...undo, reason, publishedNow: state.published });
    }
    const health = await verifyApp({ client, journal, record, step: 'health', stateDir: session.stateDir, environment: desired.environment, appId: app.id, mode: app.mode, workflowId: state.published, checks: desired.healthChecks, limit: session.healthLimit });
    if (!health.passed) return { ...(await rollBack({ ...undo, reason: `the version rolled back to is not healthy (${describeHealth(health)})`, publishedNow: state.published })), health };
    await journal.finish(record, 'applied', `rolled back to ${target.id}; ${describeHealth(health)}`);
    return { ...base, appId: app.id, outcome: 'applied', exitCode: ExitCode.Ok, message: `rolled back to ${choice.why}: version ${target.id} republished as ${state.published ?? '?'} ("${marks.markedName}"), healthy (${describeHealth(health)})`, health, workflowId: state.published ?? undefined };
  } finally {
    await lock.release();
  }
}
