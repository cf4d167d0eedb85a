// Reads what is live in one environment, as cheaply as the answer allows: the app list once
// (every page), then per app only what its mode needs, with a shared concurrency bound.
// Workflow modes: the published version (export with workflow_id on ≥ 1.8.1; before that the
// published record over the draft export) and the draft export. Chat modes: one export, which
// is the live app. Exports are without secrets; encrypted dataset ids are decrypted with the
// workspace id so they compare with git's mapping.

import type { LimitFunction } from 'p-limit';
import type { DesiredApp, EnvironmentConfig } from '../config/types.js';
import { DifyApiError, type AppSummary, type DifyClient, type ServerInfo } from '../dify/index.js';
import { parseDsl, WORKFLOW_MODES, type AppMode, type DslDocument } from '../dsl/index.js';
import { decryptDatasetIds, hasDatasetReferences } from './dataset-ids.js';
import { findTarget } from './find-target.js';
import { dslVersionOfServer, versionRuleOfServer } from './import-outcome.js';
import { pluginIdsOf } from './preflight.js';
import type { LiveApp, LiveLookup, ServerFacts } from './types.js';

export interface ObserveOptions {
  /** Shared bound on apps observed at once (requests are also bounded by the client's pool). */
  limit: LimitFunction;
  /** App name → id of apps dify-gitops created (state directory). */
  registry: Readonly<Record<string, string>>;
  /** Called once per app observed (progress). */
  onApp?: () => void;
}

export interface EnvironmentObservation {
  environment: string;
  server: ServerFacts;
  /** One per desired app, in the same order. */
  lookups: LiveLookup[];
  /** Plugins seen in the environment's live apps (`org/name`). */
  installedPlugins: Set<string>;
  warnings: string[];
}

export function serverFactsOf(info: ServerInfo): ServerFacts {
  const version = info.version.raw;
  return {
    version,
    dslVersion: dslVersionOfServer(version),
    versionRule: versionRuleOfServer(version),
    restoreEndpoint: info.capabilities.workflowRestore,
    exportWorkflowId: info.capabilities.exportWorkflowId,
    runWorkflowById: info.capabilities.runWorkflowById,
    checkDependencies: info.capabilities.checkDependencies,
  };
}

export async function observeEnvironment(
  client: DifyClient,
  environment: EnvironmentConfig,
  desired: readonly DesiredApp[],
  options: ObserveOptions,
): Promise<EnvironmentObservation> {
  const server = serverFactsOf(await client.serverInfo());
  const warnings = expectationWarnings(environment, server);
  const apps = await client.apps.list();
  const tenant = lazyTenant(client);
  const installedPlugins = new Set<string>();
  const lookups = await Promise.all(
    desired.map((app) =>
      options.limit(async (): Promise<LiveLookup> => {
        try {
          const match = findTarget(app, apps, options.registry);
          if (match.kind !== 'found') return match;
          const live = await observeApp(client, server, match.summary, tenant);
          for (const doc of [live.published, live.draft]) if (doc) for (const id of pluginIdsOf(doc)) installedPlugins.add(id);
          return { kind: 'found', app: live, foundBy: match.foundBy };
        } catch (error) {
          return { kind: 'error', code: 'observe-failed', message: `cannot read ${app.name} in ${environment.name}: ${error instanceof Error ? error.message : String(error)}` };
        } finally {
          options.onApp?.();
        }
      }),
    ),
  );
  return { environment: environment.name, server, lookups, installedPlugins, warnings };
}

/** Everything plan needs about one app (also used by apply to re-read one app under its lock). */
export async function observeApp(client: DifyClient, server: ServerFacts, summary: AppSummary, tenantId: () => Promise<string>): Promise<LiveApp> {
  const appId = summary.id;
  const label = `${summary.name} (${appId})`;
  const isWorkflow = WORKFLOW_MODES.includes(summary.mode as AppMode);
  const publishedId = isWorkflow ? (summary.workflow?.id ?? null) : null;
  const draftText = isWorkflow ? exportDraft(client, appId) : client.dsl.export(appId);
  const publishedText = publishedId !== null && server.exportWorkflowId ? client.dsl.export(appId, { workflowId: publishedId }) : Promise.resolve(null);
  const [draftYaml, publishedYaml] = await Promise.all([draftText, publishedText]);
  let draft = draftYaml === null ? null : await readable(parseExport(draftYaml, `${label} draft export`), tenantId);
  let published: DslDocument | null;
  if (!isWorkflow) {
    published = draft;
    draft = null;
  } else if (publishedId === null) published = null;
  else if (publishedYaml !== null) published = await readable(parseExport(publishedYaml, `${label} published export`), tenantId);
  else published = await publishedFromRecord(client, appId, summary, draft);
  return {
    appId,
    name: summary.name,
    mode: summary.mode,
    updatedAt: summary.updated_at,
    publishedWorkflowId: publishedId,
    published,
    draft,
    draftEnvironmentVariables: (draft?.workflow?.environment_variables ?? [])
      .filter((v) => typeof v.id === 'string')
      .map((v) => ({ id: v.id!, name: v.name, value_type: v.value_type ?? 'string' })),
  };
}

/** The draft export, or null when the app has no draft yet (Dify answers 400 for that). */
async function exportDraft(client: DifyClient, appId: string): Promise<string | null> {
  try {
    return await client.dsl.export(appId);
  } catch (error) {
    if (error instanceof DifyApiError && error.status === 400 && /Missing draft workflow/i.test(error.detail)) return null;
    throw error;
  }
}

export function parseExport(yaml: string, what: string): DslDocument {
  const parsed = parseDsl(yaml, what);
  if (!parsed.ok) throw new Error(`${what} is not a readable DSL: ${parsed.diagnostics[0]?.message ?? 'unknown problem'}`);
  return parsed.dsl;
}

async function readable(dsl: DslDocument, tenantId: () => Promise<string>): Promise<DslDocument> {
  return hasDatasetReferences(dsl) ? decryptDatasetIds(dsl, await tenantId()) : dsl;
}

/** Before 1.8.1 a published version cannot be exported: its record replaces the draft's workflow. */
async function publishedFromRecord(client: DifyClient, appId: string, summary: AppSummary, draft: DslDocument | null): Promise<DslDocument | null> {
  const record = await client.versions.getPublished(appId);
  if (record === null) return null;
  const base: DslDocument = draft ?? { app: { name: summary.name, mode: summary.mode } };
  return {
    ...base,
    workflow: {
      ...base.workflow,
      graph: record.graph,
      features: record.features,
      environment_variables: record.environment_variables.map((v) => ({ ...v, selector: v.selector, value: v.value_type === 'secret' ? '' : v.value })),
      conversation_variables: record.conversation_variables.map((v) => ({ ...v })),
    },
  };
}

export function lazyTenant(client: DifyClient): () => Promise<string> {
  let id: Promise<string> | undefined;
  return () => (id ??= client.account.currentWorkspace().then((w) => w.id));
}

function expectationWarnings(environment: EnvironmentConfig, server: ServerFacts): string[] {
  const out: string[] = [];
  const { serverVersion, dslVersion } = environment.expect;
  if (serverVersion !== undefined && !server.version.startsWith(serverVersion)) {
    out.push(`${environment.name}: expected Dify ${serverVersion}, the server reports ${server.version}`);
  }
  if (dslVersion !== undefined && dslVersion !== server.dslVersion) {
    out.push(`${environment.name}: expected DSL ${dslVersion}, Dify ${server.version} writes ${server.dslVersion}`);
  }
  return out;
}
