// One preview app for one app of a pull request: render the PR's DSL for the dev environment
// (secrets left empty unless `--secrets bind`), import it as `<app> [pr-<n>]` (a new app, or over
// the preview made by an earlier push), tag it, publish it (workflow and advanced-chat), then run
// the app's health checks against it, pinned to the version just published. Chat-family previews
// cannot be overwritten by import (contract §4, checklist 15): their model config is replaced.

import { stringify } from 'yaml';
import type { LimitFunction } from 'p-limit';
import type { DesiredApp } from '../config/types.js';
import type { AppSummary, DifyClient, ImportResult } from '../dify/index.js';
import { WORKFLOW_MODES } from '../dsl/index.js';
import { ensureAppApiKey } from '../health/api-key.js';
import { runHealthChecks } from '../health/run-checks.js';
import { readBoundSecrets } from '../apply/read-secrets.js';
import { renderDesiredDsl } from '../plan/render-desired.js';
import type { SecretSourceContext } from '../secrets/sources.js';
import { previewName, prTag } from './naming.js';
import type { PreviewAppResult } from './types.js';

export interface PreviewDeps {
  client: DifyClient;
  stateDir: string;
  environment: string;
  secretContext: SecretSourceContext;
  healthLimit: LimitFunction;
  secrets: 'none' | 'bind';
}

export interface PreviewTarget {
  desired: DesiredApp;
  pr: number;
  /** The preview an earlier push made, if any. */
  existing: AppSummary | undefined;
  /** Tag ids to bind a new preview to. */
  tagIds: readonly string[];
}

export async function ensurePreview(deps: PreviewDeps, target: PreviewTarget): Promise<PreviewAppResult> {
  const { client } = deps;
  const { desired, pr, existing } = target;
  const name = previewName(desired.name, pr);
  const mode = desired.source.mode;
  const isWorkflow = WORKFLOW_MODES.includes(mode);
  const base = { app: desired.name, previewName: name, mode };
  let appId = existing?.id ?? null;
  try {
    // Previews get no secret unless asked: every secret env var is rendered empty.
    const effective: DesiredApp = deps.secrets === 'bind' ? desired : { ...desired, secrets: [] };
    const secretValues = deps.secrets === 'bind' ? await readBoundSecrets(desired, deps.secretContext) : new Map<string, string>();
    const rendered = renderDesiredDsl(effective, [], secretValues);
    const dsl = { ...rendered, app: { ...rendered.app, name } };
    if (existing !== undefined && !isWorkflow) {
      await client.apps.updateModelConfig(existing.id, (dsl.model_config ?? {}));
    } else {
      const imported = await importChecked(client, stringify(dsl), existing?.id, desired.policies.allowPendingImport);
      appId ??= imported;
    }
    if (appId === null) throw new Error('Dify did not say which app the import created');
    if (existing === undefined && target.tagIds.length > 0) await client.tags.bind(target.tagIds, appId, 'app');
    let workflowId: string | null = null;
    if (isWorkflow) {
      const marks = (await client.serverInfo()).capabilities.versionMarks ? { marked_name: prTag(pr), marked_comment: `preview of pull request #${pr}` } : undefined;
      workflowId = (await client.versions.publishVersion(appId, marks)).workflowId;
    }
    const health = await checkPreview(deps, desired, appId, isWorkflow ? workflowId : null);
    return { ...base, appId, action: existing === undefined ? 'created' : 'updated', workflowId, health };
  } catch (error) {
    return { ...base, appId, action: 'failed', workflowId: null, health: undefined, error: error instanceof Error ? error.message : String(error) };
  }
}

async function importChecked(client: DifyClient, yamlContent: string, appId: string | undefined, allowPending: boolean): Promise<string | null> {
  const result: ImportResult = await client.dsl.import({ yamlContent, ...(appId === undefined ? {} : { appId }) });
  if (result.status === 'failed') throw new Error(`Dify refused the import: ${result.error === '' ? 'no reason given' : result.error}`);
  if (result.status === 'pending') {
    if (!allowPending) throw new Error(`the import is pending (DSL ${result.imported_dsl_version ?? '?'}, server ${result.current_dsl_version ?? '?'}); set policies.allowPendingImport: true to confirm such imports`);
    const confirmed = await client.dsl.confirmOrThrow(result.id);
    return confirmed.app_id ?? result.app_id ?? null;
  }
  return result.app_id ?? null;
}

async function checkPreview(deps: PreviewDeps, desired: DesiredApp, appId: string, workflowId: string | null) {
  if (desired.healthChecks.length === 0) return { passed: true, checks: [] };
  const token = await ensureAppApiKey(deps.client, deps.stateDir, deps.environment, appId);
  const canPin = (await deps.client.serverInfo()).capabilities.runWorkflowById;
  return runHealthChecks({ service: deps.client.service(token), checks: desired.healthChecks, workflowId: canPin ? workflowId : null, limit: deps.healthLimit });
}
