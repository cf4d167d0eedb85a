// The one runner that changes Dify. Every step is written to the journal BEFORE it runs (so a kill
// at any point leaves a record of how far it got) and settled with what it learned: import id and
// status, the new app id, the new version id. Secrets never enter the journal (YAML stays in
// memory). A failure is a StepError naming the step and Dify's message; `state.liveChanged` says
// whether anything users get had already changed.

import { DifyUnavailableError, type DifyClient } from '../dify/index.js';
import { DifyGitopsError } from '../errors.js';
import type { Journal, JournalRecord } from '../state/journal.js';
import type { DeployState, DeployStep, Deployment } from './types.js';

export class StepError extends DifyGitopsError {
  constructor(
    readonly step: string,
    message: string,
    options: { cause?: unknown } = {},
  ) {
    super('E_APPLY_STEP', `${step}: ${message}`, options);
  }
}

export interface RunContext {
  client: DifyClient;
  journal: Journal;
  record: JournalRecord;
  /** Prefix for journal step names: '' for the forward deployment, 'rollback:' for the way back. */
  prefix: string;
  /** Extends the lock between steps. */
  renew(): Promise<void>;
  /** Told when an app is created (so it is remembered at once, before anything else can fail). */
  onCreated(appId: string): Promise<void>;
}

export async function runDeployment(ctx: RunContext, deployment: Deployment, state: DeployState): Promise<DeployState> {
  for (const step of deployment.steps) {
    await ctx.renew();
    await runStep(ctx, step, state);
  }
  return state;
}

async function runStep(ctx: RunContext, step: DeployStep, state: DeployState): Promise<void> {
  const name = `${ctx.prefix}${step.label}`;
  const { journal, record, client } = ctx;
  await journal.start(record, name, { kind: step.kind, appId: state.appId });
  try {
    switch (step.kind) {
      case 'import':
        await importStep(ctx, step, state);
        break;
      case 'publish':
        await publishStep(ctx, name, step, state);
        break;
      case 'restore':
        await client.versions.restore(requireApp(state, name), step.workflowId);
        break;
      case 'model-config':
        state.liveChanged = true; // takes effect at once, even if the answer is lost
        await client.apps.updateModelConfig(requireApp(state, name), step.modelConfig);
        break;
      case 'delete':
        await client.apps.delete(requireApp(state, name));
        state.appId = null;
        break;
    }
  } catch (error) {
    const message = error instanceof StepError ? error.message : error instanceof Error ? error.message : String(error);
    await journal.settle(record, name, 'failed', { error: message });
    throw error instanceof StepError ? error : new StepError(name, message, { cause: error });
  }
  await journal.settle(record, name, 'done', { appId: state.appId, published: state.published });
}

async function importStep(ctx: RunContext, step: Extract<DeployStep, { kind: 'import' }>, state: DeployState): Promise<void> {
  const { client, journal, record } = ctx;
  const name = `${ctx.prefix}${step.label}`;
  const creating = state.appId === null;
  const result = await client.dsl.import({ yamlContent: step.yaml, ...(state.appId === null ? {} : { appId: state.appId }) });
  await journal.settle(record, name, result.status === 'failed' ? 'failed' : 'done', {
    importId: result.id,
    status: result.status,
    importedDslVersion: result.imported_dsl_version,
    currentDslVersion: result.current_dsl_version,
    ...(result.app_id ? { appId: result.app_id } : {}),
  });
  if (result.status === 'failed') throw new StepError(name, `Dify refused the import: ${result.error === '' ? 'no reason given' : result.error}`);
  if (result.status === 'pending') {
    const gap = `the DSL is ${result.imported_dsl_version ?? '?'} and the server is at ${result.current_dsl_version ?? '?'}`;
    if (!step.allowPending) {
      throw new StepError(name, `the import is pending: ${gap}. Nothing was changed. Set policies.allowPendingImport: true to confirm such imports`);
    }
    const confirmName = `${ctx.prefix}confirm`;
    await journal.start(record, confirmName, { importId: result.id });
    try {
      const confirmed = await client.dsl.confirmOrThrow(result.id);
      if (confirmed.app_id) state.appId ??= confirmed.app_id;
      await journal.settle(record, confirmName, 'done', { appId: confirmed.app_id, note: gap });
    } catch (error) {
      await journal.settle(record, confirmName, 'failed', { error: error instanceof Error ? error.message : String(error) });
      throw new StepError(confirmName, error instanceof Error ? error.message : String(error), { cause: error });
    }
  }
  if (state.appId === null && result.app_id) state.appId = result.app_id;
  if (state.appId === null) throw new StepError(name, 'Dify did not say which app the import created');
  if (creating) await ctx.onCreated(state.appId);
  if (step.checkDependencies && (await client.serverInfo()).capabilities.checkDependencies) {
    const checkName = `${ctx.prefix}check-dependencies`;
    await journal.start(record, checkName, { appId: state.appId });
    const leaked = await client.dsl.checkDependencies(state.appId);
    const ids = leaked.map((d) => [d.value.marketplace_plugin_unique_identifier, d.value.plugin_unique_identifier, d.value.github_plugin_unique_identifier].find((v): v is string => typeof v === 'string') ?? d.type);
    await journal.settle(record, checkName, ids.length === 0 ? 'done' : 'failed', { missing: ids });
    if (ids.length > 0) throw new StepError(checkName, `plugins the app needs are not installed in this workspace: ${ids.join(', ')}; install them, then apply again`);
  }
}

async function publishStep(ctx: RunContext, name: string, step: Extract<DeployStep, { kind: 'publish' }>, state: DeployState): Promise<void> {
  const { client } = ctx;
  const appId = requireApp(state, name);
  const marks = (await client.serverInfo()).capabilities.versionMarks ? { marked_name: step.markedName, marked_comment: step.markedComment } : undefined;
  try {
    const { workflowId } = await client.versions.publishVersion(appId, marks);
    state.published = workflowId;
    state.liveChanged = true;
  } catch (error) {
    // The answer may be lost while the publish happened: the app's published id tells.
    let current: string | null;
    try {
      current = await client.apps.publishedWorkflowId(appId);
    } catch {
      state.liveChanged = true; // unknown: assume the worst, so the way back restores the snapshot
      throw error;
    }
    if (current !== null && current !== state.publishedBefore) {
      state.published = current;
      state.liveChanged = true;
      return;
    }
    // Not published yet. After a timeout or a cut connection Dify may still publish it a moment
    // later, so the way back must be a full rollback, not just a draft restore.
    if (error instanceof DifyUnavailableError && error.reason !== 'server-error') state.liveChanged = true;
    throw error;
  }
}

function requireApp(state: DeployState, step: string): string {
  if (state.appId === null) throw new StepError(step, 'no app to act on (the import did not create one)');
  return state.appId;
}
