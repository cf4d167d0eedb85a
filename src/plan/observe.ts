// Reads what is live in one environment, as cheaply as the answer allows: the app list once
// (every page), and per app only what its mode needs, with a shared concurrency bound; the apps
// of each page are read as the page arrives (early-reads.ts), not after the last one.
// Workflow modes: the published version's record and the draft (two JSON reads, any Dify
// version). Chat modes: one export without secrets, which is the live app; its encrypted
// dataset ids are decrypted with the workspace id so they compare with git's mapping.

import type { LimitFunction } from 'p-limit';
import type { DesiredApp, EnvironmentConfig } from '../config/types.js';
import type { AppSummary, DifyClient, ServerInfo, WorkflowRecord } from '../dify/index.js';
import { parseDsl, WORKFLOW_MODES, type AppMode, type DslDocument, type DslVariable } from '../dsl/index.js';
import { decryptDatasetIds, hasDatasetReferences } from './dataset-ids.js';
import { startEarlyReads } from './early-reads.js';
import { findTarget, mayBeTarget } from './find-target.js';
import { dslVersionOfServer, versionRuleOfServer } from './import-outcome.js';
import { pluginIdsOf, pluginIdsOfGraph } from './preflight.js';
import type { LiveApp, LiveLookup, ServerFacts } from './types.js';

export interface ObserveOptions {
  /** Shared bound on apps observed at once (requests are also bounded by the client's pool). */
  limit: LimitFunction;
  /** App name → id of apps dify-gitops created (state directory). */
  registry: Readonly<Record<string, string>>;
  /** Called once per app observed (progress). */
  onApp?: () => void;
  /**
   * Called with each app's observation as soon as it is complete (after its concurrency slot is
   * freed): work done here (planning) overlaps with the requests of other apps still in flight.
   */
  onLookup?: (index: number, lookup: LiveLookup, server: ServerFacts) => void;
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
  const tenant = lazyTenant(client);
  const observe = (summary: AppSummary): Promise<LiveApp> => observeApp(client, summary, tenant);
  const early = startEarlyReads(mayBeTarget(desired, options.registry), observe, options.limit);
  let apps: AppSummary[];
  try {
    apps = await client.apps.list({}, early.onPage);
  } catch (error) {
    early.cancel();
    await early.settled();
    throw error;
  }
  const installedPlugins = new Set<string>();
  const observeOne = async (app: DesiredApp): Promise<LiveLookup> => {
    try {
      const match = findTarget(app, apps, options.registry);
      if (match.kind !== 'found') return match;
      const live = await (early.take(match.summary) ?? options.limit(() => observe(match.summary)));
      // Exports (chat modes) list installed plugins in `dependencies`; records (workflow modes) have
      // none, so the plugins their graphs use count (the draft shares the published document when equal).
      for (const doc of live.draft === live.published ? [live.published] : [live.published, live.draft]) {
        if (doc) for (const id of [...pluginIdsOf(doc), ...pluginIdsOfGraph(doc)]) installedPlugins.add(id);
      }
      return { kind: 'found', app: live, foundBy: match.foundBy };
    } catch (error) {
      return { kind: 'error', code: 'observe-failed', message: `cannot read ${app.name} in ${environment.name}: ${error instanceof Error ? error.message : String(error)}` };
    } finally {
      options.onApp?.();
    }
  };
  // Each app is handed on (planned) as soon as its reads are done, while other apps' requests
  // are still in flight; the concurrency slot was released when its requests ended.
  const lookups = await Promise.all(
    desired.map(async (app, index) => {
      const lookup = await observeOne(app);
      options.onLookup?.(index, lookup, server);
      return lookup;
    }),
  );
  await early.settled();
  return { environment: environment.name, server, lookups, installedPlugins, warnings };
}

/**
 * Everything plan needs about one app (also used by apply to re-read one app under its lock).
 * Workflow modes are read as JSON: the published record (`GET …/workflows/publish`, the version
 * the app list names) and the draft (`GET …/workflows/draft`). They hold what an export holds —
 * graph, features, variables — with dataset ids unencrypted and without the YAML parse that would
 * otherwise dominate plan's CPU time; the app section comes from the listing. Chat modes have no
 * versions: their export is the live app.
 */
export async function observeApp(client: DifyClient, summary: AppSummary, tenantId: () => Promise<string>): Promise<LiveApp> {
  const appId = summary.id;
  const isWorkflow = WORKFLOW_MODES.includes(summary.mode as AppMode);
  let published: DslDocument | null;
  let draft: DslDocument | null = null;
  let publishedId: string | null = null;
  if (isWorkflow) {
    publishedId = summary.workflow?.id ?? null;
    const [publishedRecord, draftRecord] = await Promise.all([publishedId === null ? Promise.resolve(null) : client.versions.getPublished(appId), client.drafts.get(appId)]);
    published = publishedRecord === null ? null : documentFromRecord(summary, publishedRecord);
    // An unedited draft holds exactly its version: share the document, so plan normalises it once.
    draft = draftRecord === null ? null : published !== null && sameContent(publishedRecord!, draftRecord) ? published : documentFromRecord(summary, draftRecord);
  } else {
    published = await readable(parseExport(await client.dsl.export(appId), `${summary.name} (${appId}) export`), tenantId);
  }
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

/**
 * Dify's `hash` is a SHA-256 of the graph (and, before 1.14, the features), so equal hashes mean
 * equal graphs without serialising them; the rest is small and compared as JSON.
 */
function sameContent(a: WorkflowRecord, b: WorkflowRecord): boolean {
  const rest = (r: WorkflowRecord): string => JSON.stringify([r.features, r.environment_variables, r.conversation_variables]);
  return a.hash === b.hash && rest(a) === rest(b);
}

/** A workflow record (draft or version) as a DSL document; secret values blank, as in an export. */
export function documentFromRecord(summary: AppSummary, record: WorkflowRecord): DslDocument {
  const app: DslDocument['app'] = {
    name: summary.name,
    mode: summary.mode,
    icon: summary.icon ?? '',
    icon_background: summary.icon_background ?? '',
    description: summary.description ?? '',
    use_icon_as_answer_icon: summary.use_icon_as_answer_icon ?? false,
  };
  if (summary.icon_type) app.icon_type = summary.icon_type;
  const variable = (v: WorkflowRecord['environment_variables'][number]): DslVariable => ({ ...v, value: v.value_type === 'secret' ? '' : v.value });
  return {
    app,
    workflow: {
      graph: record.graph,
      features: record.features ?? {},
      environment_variables: (record.environment_variables ?? []).map(variable),
      conversation_variables: (record.conversation_variables ?? []).map(variable),
    },
  };
}

export function parseExport(yaml: string, what: string): DslDocument {
  const parsed = parseDsl(yaml, what);
  if (!parsed.ok) throw new Error(`${what} is not a readable DSL: ${parsed.diagnostics[0]?.message ?? 'unknown problem'}`);
  return parsed.dsl;
}

async function readable(dsl: DslDocument, tenantId: () => Promise<string>): Promise<DslDocument> {
  return hasDatasetReferences(dsl) ? decryptDatasetIds(dsl, await tenantId()) : dsl;
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
