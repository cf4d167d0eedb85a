// Rotating a secret env var of a workflow app (e.g. a third-party API key an HTTP node sends):
//   create  read the new value from its source; stop if Dify already holds it; refuse when the
//           draft has unpublished changes (publishing would ship them); remember the published
//           version to fall back to
//   set     write the value into the draft (env-var endpoint ≥1.14, else draft sync with the hash,
//           else — the sync refused twice while someone edits the draft — an import of the
//           published version with the new value, ≥1.8.1)
//   test    publish, then run the app's health checks on that version; on failure write the
//           previous value back, publish again and check again
//   finish  move the labels
// Where the value lives between steps: in its source (re-read and matched against the ledger's
// HMAC on resume) and in Dify. The value being replaced is held in memory only; after a crash it
// is read back from the published version it came from (export with workflow_id, Dify ≥ 1.8.1).

import type { EnvVarRotation } from '../config/types.js';
import { errorMessage } from '../errors.js';
import { readSecretSource } from '../secrets/sources.js';
import { resolveAppId, RotationError, runSteps, type RotationResult, type StepContext, type StepOutcome, type StepTable } from './context.js';
import { readDraftEnvValue, readPublishedEnvValue, writeDraftEnvValue, type EnvTarget } from './env-var-io.js';
import { checkAppHealth } from './health.js';
import { closeAttempt, promotePending, valueVersionId } from './ledger.js';

type Ctx = StepContext<EnvVarRotation>;

export const ENV_VAR_STEPS: StepTable<EnvVarRotation> = { create: prepareValue, set: writeValue, test: publishAndCheck, finish: finishEnvVar };

export function rotateEnvVar(ctx: Ctx): Promise<RotationResult> {
  return runSteps(ctx, ENV_VAR_STEPS);
}

async function targetOf(ctx: Ctx): Promise<EnvTarget> {
  const data = ctx.entry.pending!.data;
  if (typeof data.appId !== 'string') {
    data.appId = (await resolveAppId(ctx.deps, ctx.client, ctx.secret.environment, ctx.secret.app)).appId;
    await ctx.save();
  }
  return { client: ctx.client, appId: data.appId, variable: ctx.secret.variable, redactor: ctx.deps.redactor };
}

async function readNewValue(ctx: Ctx): Promise<{ value: string; versionId: string }> {
  const value = await readSecretSource(ctx.secret.source, { env: ctx.deps.env, cwd: ctx.deps.repo.root, redactor: ctx.deps.redactor });
  return { value, versionId: valueVersionId(ctx.entry.salt, value) };
}

export async function prepareValue(ctx: Ctx): Promise<StepOutcome> {
  const t = await targetOf(ctx);
  const { versionId } = await readNewValue(ctx);
  const live = await readDraftEnvValue(t);
  const liveId = valueVersionId(ctx.entry.salt, live);
  const now = ctx.deps.now();
  if (ctx.entry.current?.versionId !== liveId && live !== '') ctx.entry.current = { versionId: liveId, createdAt: now.toISOString() };
  if (liveId === versionId) {
    const message = `${ctx.secret.variable} already holds the value its source gives (${versionId}); nothing to rotate`;
    closeAttempt(ctx.entry, now, 'unchanged', message);
    return { done: { outcome: 'unchanged', message, currentVersion: ctx.entry.current?.versionId } };
  }
  const published = await ctx.client.versions.getPublished(t.appId);
  if (published === null) throw new RotationError('E_ROTATION_TARGET', `app ${ctx.secret.app} in ${ctx.secret.environment} was never published: apply it first`);
  const draft = await ctx.client.drafts.get(t.appId);
  if (draft !== null && draft.hash !== published.hash) {
    throw new RotationError(
      'E_ROTATION_DRAFT_CHANGED',
      `app ${ctx.secret.app} in ${ctx.secret.environment} has unpublished draft changes; rotating ${ctx.secret.variable} publishes the draft and would ship them. Publish or discard them (or run apply), then rotate again`,
    );
  }
  const pending = ctx.entry.pending!;
  pending.versionId = versionId;
  pending.data.previousWorkflowId = published.id;
  ctx.memory.set('previous', live);
  return { next: 'set' };
}

export async function writeValue(ctx: Ctx): Promise<StepOutcome> {
  const t = await targetOf(ctx);
  const pending = ctx.entry.pending!;
  const { value, versionId } = await readNewValue(ctx);
  if (versionId !== pending.versionId) {
    ctx.say(`the source of ${ctx.secret.variable} changed since this rotation started; rotating to its current value ${versionId}`);
    pending.versionId = versionId;
  }
  const live = await readDraftEnvValue(t);
  if (valueVersionId(ctx.entry.salt, live) === versionId) {
    ctx.say(`the draft already holds ${versionId}`);
    return { next: 'test' };
  }
  if (!ctx.memory.has('previous')) ctx.memory.set('previous', live);
  const how = await writeDraftEnvValue(t, value);
  ctx.say(`wrote ${ctx.secret.variable} (${versionId}) into the draft via the ${how}`);
  return { next: 'test' };
}

async function publish(ctx: Ctx, t: EnvTarget, why: string): Promise<string> {
  const info = await ctx.client.serverInfo();
  const marks = info.capabilities.versionMarks ? { marked_name: 'secret rotation', marked_comment: `${why} ${ctx.secret.variable} (${ctx.secret.name})`.slice(0, 100) } : {};
  const { workflowId } = await ctx.client.versions.publishVersion(t.appId, marks);
  return workflowId;
}

export async function publishAndCheck(ctx: Ctx): Promise<StepOutcome> {
  const t = await targetOf(ctx);
  const data = ctx.entry.pending!.data;
  const live = await ctx.client.apps.publishedWorkflowId(t.appId);
  let workflowId = typeof data.publishedWorkflowId === 'string' && data.publishedWorkflowId === live ? live : undefined;
  if (workflowId === undefined) {
    workflowId = await publish(ctx, t, 'rotated');
    data.publishedWorkflowId = workflowId;
    await ctx.save();
    ctx.say(`published version ${workflowId}`);
  }
  const desired = ctx.deps.repo.desired.find((d) => d.environment === ctx.secret.environment && d.name === ctx.secret.app)!;
  const health = await checkAppHealth({ client: ctx.client, stateDir: ctx.deps.stateDir, desired, appId: t.appId, workflowId });
  ctx.say(health.summary);
  if (health.passed) return { next: 'finish' };
  return rollBack(ctx, t, health.summary);
}

async function rollBack(ctx: Ctx, t: EnvTarget, failure: string): Promise<StepOutcome> {
  const data = ctx.entry.pending!.data;
  const now = (): Date => ctx.deps.now();
  const finishWith = (outcome: 'rolled-back' | 'needs-human', message: string): StepOutcome => {
    closeAttempt(ctx.entry, now(), outcome, message);
    return { done: { outcome, message, currentVersion: ctx.entry.current?.versionId } };
  };
  try {
    let previous = ctx.memory.get('previous');
    if (previous === undefined && typeof data.previousWorkflowId === 'string') previous = await readPublishedEnvValue(t, data.previousWorkflowId);
    if (previous === undefined) {
      return finishWith('needs-human', `health checks failed after rotating ${ctx.secret.variable} (${failure}), and this Dify cannot show the previous value (< 1.8.1): set it again by hand`);
    }
    await writeDraftEnvValue(t, previous);
    const workflowId = await publish(ctx, t, 'rolled back');
    const desired = ctx.deps.repo.desired.find((d) => d.environment === ctx.secret.environment && d.name === ctx.secret.app)!;
    const health = await checkAppHealth({ client: ctx.client, stateDir: ctx.deps.stateDir, desired, appId: t.appId, workflowId });
    ctx.say(`after restoring the previous value: ${health.summary}`);
    if (!health.passed) return finishWith('needs-human', `health checks failed with the new ${ctx.secret.variable} (${failure}) and still fail after restoring the previous value and publishing ${workflowId}`);
    return finishWith('rolled-back', `health checks failed with the new ${ctx.secret.variable} (${failure}); restored the previous value and published ${workflowId}`);
  } catch (error) {
    return finishWith('needs-human', `health checks failed with the new ${ctx.secret.variable} (${failure}) and restoring the previous value failed: ${errorMessage(error)}`);
  }
}

export function finishEnvVar(ctx: Ctx): Promise<StepOutcome> {
  const pending = ctx.entry.pending!;
  const workflowId = pending.data.publishedWorkflowId;
  promotePending(ctx.entry, ctx.deps.now());
  const message = `${ctx.secret.variable} is ${pending.versionId}, published as version ${String(workflowId)}`;
  return Promise.resolve({ done: { outcome: 'rotated', message, currentVersion: ctx.entry.current?.versionId } });
}
