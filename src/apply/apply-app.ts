// One app through apply, each step journaled before it runs: lock; finish any earlier run left
// open (recovery); re-read live state under the lock and re-plan (with --plan: refuse if desired
// or live moved since the plan); snapshot; render with secrets; import (+ confirm); for workflow
// and advanced-chat apps the draft gate (health checks on the imported draft: failing, the draft
// is put back and nothing is published, exit 3); publish, or the model config; health checks on
// the new version (the published gate); on failure the way back (undo.ts); record.

import { randomUUID } from 'node:crypto';
import { stringify } from 'yaml';
import type { DesiredApp } from '../config/types.js';
import { WORKFLOW_MODES } from '../dsl/index.js';
import { hasDraftRun } from '../health/run-draft-checks.js';
import type { HealthReport } from '../health/types.js';
import { ExitCode } from '../exit-codes.js';
import { desiredAppName, findTarget } from '../plan/find-target.js';
import { lazyTenant, observeApp } from '../plan/observe.js';
import { planApp } from '../plan/plan-app.js';
import { renderDesiredDsl } from '../plan/render-desired.js';
import type { LiveLookup, PlanEntry, PlanRevision } from '../plan/types.js';
import { loadAppRegistry } from './app-registry.js';
import { lockApp } from './lock-app.js';
import { readBoundSecrets } from './read-secrets.js';
import { recoverApp } from './recover.js';
import { runDeployment, StepError } from './run-deployment.js';
import { runContext, type ApplyContext, type ApplySession } from './session.js';
import { takeSnapshot, type Snapshot } from './snapshot.js';
import type { AppApplyResult, DeployState, DeployStep, Deployment } from './types.js';
import { rollBack, undoDraft } from './undo.js';
import { describeHealth, verifyApp, verifyDraft } from './verify.js';

export interface ApplyAppInput {
  desired: DesiredApp;
  /** The entry the user saw (plan file or the plan printed before applying). */
  planned: PlanEntry;
  /** From `apply --plan`: refuse when desired or live changed since the plan. */
  strict: boolean;
  revision: PlanRevision;
}

export async function applyApp(session: ApplySession, input: ApplyAppInput): Promise<AppApplyResult> {
  const { desired, planned } = input;
  const base = { environment: desired.environment, app: desired.name, appId: planned.appId, action: planned.action };
  const lock = await lockApp({ stateDir: session.stateDir, environment: desired.environment, app: desired.name, purpose: 'apply', waitMs: session.lockWaitMs, breakStale: session.breakStaleLock, notice: session.notice });
  try {
    const open = await session.journal.open(desired.environment, desired.name);
    if (open) {
      const recovered = await recoverApp(session, open, desired, () => lock.renew());
      session.notice(`${desired.environment}/${desired.name}: finished an earlier interrupted run first: ${recovered.message}`);
      if (recovered.exitCode === ExitCode.NeedsHuman) return recovered;
    }
    const lookup = await reobserve(session, desired, planned);
    const fresh = planApp(desired, lookup, { server: session.server });
    if (input.strict && (fresh.digests.desired !== planned.digests.desired || fresh.digests.live !== planned.digests.live)) {
      const which = fresh.digests.desired !== planned.digests.desired ? 'the desired state (git) changed' : 'the live app changed in Dify';
      return { ...base, outcome: 'failed-before-change', exitCode: ExitCode.Error, message: `the saved plan is stale: ${which} since it was made; nothing was applied. Run plan again.` };
    }
    if (!fresh.changes) return { ...base, appId: fresh.appId, action: fresh.action, outcome: 'no-op', exitCode: ExitCode.Ok, message: fresh.summary };
    if (fresh.blocked) {
      const why = [...fresh.notes, ...fresh.findings.filter((f) => f.severity === 'error').map((f) => `${f.code}: ${f.message}`)].join('; ');
      return { ...base, appId: fresh.appId, action: fresh.action, outcome: 'failed-before-change', exitCode: ExitCode.Error, message: `refused (${fresh.action}): ${why}` };
    }
    const live = lookup.kind === 'found' ? lookup.app : undefined;
    return await deploy(session, input, fresh, live, () => lock.renew());
  } finally {
    await lock.release();
  }
}

async function deploy(session: ApplySession, input: ApplyAppInput, entry: PlanEntry, live: Extract<LiveLookup, { kind: 'found' }>['app'] | undefined, renew: () => Promise<void>): Promise<AppApplyResult> {
  const { desired, revision } = input;
  const { journal } = session;
  const context: ApplyContext = {
    appId: live?.appId ?? null,
    mode: desired.source.mode,
    action: entry.action,
    created: live === undefined,
    previousWorkflowId: live?.publishedWorkflowId ?? null,
    revision: revision.id,
    revisionSubject: revision.subject,
    snapshotId: null,
    draftDiffers: false,
  };
  const record = await journal.begin({ runId: randomUUID(), environment: desired.environment, app: desired.name, operation: 'apply', context: { ...context } });
  const ctx = record.context as unknown as ApplyContext;
  const failBeforeChange = async (message: string): Promise<AppApplyResult> => {
    await journal.finish(record, 'failed', message);
    return { environment: desired.environment, app: desired.name, appId: ctx.appId, action: entry.action, outcome: 'failed-before-change', exitCode: ExitCode.Error, message: `${message}; nothing was changed` };
  };

  let snapshot: Snapshot | undefined;
  if (live !== undefined) {
    await journal.start(record, 'snapshot');
    try {
      snapshot = await takeSnapshot(session.client, session.snapshots, { environment: desired.environment, app: desired.name, appId: live.appId, mode: live.mode, publishedWorkflowId: live.publishedWorkflowId, reason: `apply ${revision.id}`, now: session.now() });
    } catch (error) {
      await journal.settle(record, 'snapshot', 'failed', { error: errorText(error) });
      return failBeforeChange(`snapshot failed: ${errorText(error)}`);
    }
    ctx.snapshotId = snapshot.ref.id;
    ctx.draftDiffers = snapshot.draftDiffers;
    await journal.settle(record, 'snapshot', 'done', { snapshotId: snapshot.ref.id, draftDiffers: snapshot.draftDiffers });
  }

  await journal.start(record, 'render');
  let deployment: Deployment;
  try {
    const secrets = await readBoundSecrets(desired, session.secretContext);
    const rendered = renderDesiredDsl(desired, live?.draftEnvironmentVariables ?? [], secrets);
    deployment = forwardDeployment(entry, desired, rendered.model_config, stringify(rendered), revision);
  } catch (error) {
    await journal.settle(record, 'render', 'failed', { error: errorText(error) });
    return failBeforeChange(`rendering the DSL failed: ${errorText(error)}`);
  }
  await journal.settle(record, 'render', 'done', { steps: deployment.steps.map((s) => s.label) });

  const state: DeployState = { appId: ctx.appId, publishedBefore: context.previousWorkflowId, published: context.previousWorkflowId, liveChanged: false };
  const undo = { session, record, renew, checks: desired.healthChecks, snapshot };
  const gated = splitAtPublish(deployment, session.draftGate !== false && deployment.verify && hasDraftRun(desired.source.mode));
  let draftHealth: HealthReport | undefined;
  try {
    await runDeployment(runContext(session, record, '', renew), gated.beforePublish, state);
    if (gated.draftGate && state.appId !== null) {
      await renew();
      draftHealth = await verifyDraft({ client: session.client, journal, record, step: 'draft-health', appId: state.appId, checks: desired.healthChecks, limit: session.healthLimit });
      if (!draftHealth.passed) {
        const stopped = await undoDraft({ ...undo, reason: `health checks failed on the imported draft (${describeHealth(draftHealth)})`, publishedNow: state.published, gate: 'draft' });
        return { ...stopped, draftHealth, health: draftHealth };
      }
    }
    await runDeployment(runContext(session, record, '', renew), gated.rest, state);
  } catch (error) {
    const reason = error instanceof StepError ? error.message : `apply failed: ${errorText(error)}`;
    const draft = draftHealth === undefined ? {} : { draftHealth };
    if (!state.liveChanged) return { ...(await undoDraft({ ...undo, reason, publishedNow: state.published })), ...draft };
    return { ...(await rollBack({ ...undo, reason, publishedNow: state.published })), ...draft };
  }
  const appId = state.appId!;
  if (!deployment.verify) {
    await journal.finish(record, 'applied', deployment.description);
    return { environment: desired.environment, app: desired.name, appId, action: entry.action, outcome: 'applied', exitCode: ExitCode.Ok, message: `${deployment.description}: done` };
  }
  const health = await verifyApp({ client: session.client, journal, record, step: 'health', stateDir: session.stateDir, environment: desired.environment, appId, mode: desired.source.mode, workflowId: state.published, checks: desired.healthChecks, limit: session.healthLimit });
  if (!health.passed) {
    const passedDraft = draftHealth === undefined ? '' : ' (it had passed them on the draft)';
    const rolled = await rollBack({ ...undo, reason: `health checks failed on the new version${passedDraft} (${describeHealth(health)})`, publishedNow: state.published });
    return { ...rolled, health, gate: 'published', ...(draftHealth === undefined ? {} : { draftHealth }) };
  }
  await journal.finish(record, 'applied', `${deployment.description}; ${describeHealth(health)}`);
  const version = state.published === null ? '' : ` version ${state.published}`;
  const gates = draftHealth === undefined ? '' : 'passed on the draft, then ';
  return { environment: desired.environment, app: desired.name, appId, action: entry.action, outcome: 'applied', exitCode: ExitCode.Ok, message: `${deployment.description}:${version} ${gates}live and healthy (${describeHealth(health)})`, workflowId: state.published ?? undefined, health, ...(draftHealth === undefined ? {} : { draftHealth }) };
}

/** The steps before the first publish and the rest; the draft gate runs between them. */
function splitAtPublish(deployment: Deployment, wanted: boolean): { beforePublish: Deployment; rest: Deployment; draftGate: boolean } {
  const at = deployment.steps.findIndex((s) => s.kind === 'publish');
  const draftGate = wanted && at > 0 && deployment.steps.slice(0, at).some((s) => s.kind === 'import');
  const cut = draftGate ? at : 0;
  return {
    beforePublish: { ...deployment, steps: deployment.steps.slice(0, cut) },
    rest: { ...deployment, steps: deployment.steps.slice(cut) },
    draftGate,
  };
}

function forwardDeployment(entry: PlanEntry, desired: DesiredApp, modelConfig: Record<string, unknown> | undefined, yaml: string, revision: PlanRevision): Deployment {
  const publish: DeployStep = { kind: 'publish', label: 'publish', markedName: revision.id, markedComment: revision.subject };
  const importStep: DeployStep = { kind: 'import', label: 'import', yaml, allowPending: desired.policies.allowPendingImport, checkDependencies: true };
  const isWorkflow = WORKFLOW_MODES.includes(desired.source.mode);
  switch (entry.action) {
    case 'create':
      return isWorkflow
        ? { description: `create by import + publish ${revision.id}`, steps: [importStep, publish], verify: true }
        : { description: 'create by import (live at once)', steps: [importStep], verify: true };
    case 'update':
      return { description: `import + publish ${revision.id}`, steps: [importStep, publish], verify: true };
    case 'update-model-config':
      return { description: 'update the model config (live at once)', steps: [{ kind: 'model-config', label: 'model-config', modelConfig: modelConfig ?? {} }], verify: true };
    case 'draft-only-drift':
      return { description: 're-import git into the draft (drift policy heal)', steps: [{ ...importStep, checkDependencies: false }], verify: false };
    default:
      return { description: 'nothing to do', steps: [], verify: false };
  }
}

/** The app behind `desired`, read again now that the lock is held. */
async function reobserve(session: ApplySession, desired: DesiredApp, planned: PlanEntry): Promise<LiveLookup> {
  const { client } = session;
  try {
    const candidates = planned.appId !== null ? [await client.apps.get(planned.appId)] : await client.apps.list({ name: desiredAppName(desired).slice(0, 30) });
    const match = findTarget(desired, candidates, await loadAppRegistry(session.stateDir, desired.environment));
    if (match.kind !== 'found') return match;
    return { kind: 'found', app: await observeApp(client, match.summary, lazyTenant(client)), foundBy: match.foundBy };
  } catch (error) {
    return { kind: 'error', code: 'observe-failed', message: `cannot read ${desired.name} in ${desired.environment}: ${errorText(error)}` };
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
