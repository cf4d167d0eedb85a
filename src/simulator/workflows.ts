// Workflow rows (contract §6): the one draft per app and the immutable published versions.
// Sync, publish and restore as WorkflowService does them, the draft hash per profile, and the
// Workflow object the console returns (secrets masked per era).

import { computeDraftHash } from './dsl/draft-hash.js';
import { conversationView, draftEnvView, mergeVariables } from './dsl/variables.js';
import { invalidParam } from './http/errors.js';
import type { SimAccount, SimApp, SimVariable, SimWorkflow } from './state.js';
import { rowsBy } from './row-index.js';
import { findAccount, type SimWorld } from './world.js';

const TRIGGER_TYPES = new Set(['trigger-webhook', 'trigger-schedule', 'trigger-plugin']);

const draftKey = (w: SimWorkflow): string | null => (w.version === 'draft' ? w.app_id : null);
const idKey = (w: SimWorkflow): string => w.id;

export function findDraft(world: SimWorld, appId: string): SimWorkflow | undefined {
  return rowsBy(world.state.workflows, draftKey).get(appId);
}

/** Any workflow row (draft or version) by id. */
export function findWorkflow(world: SimWorld, id: string): SimWorkflow | undefined {
  return rowsBy(world.state.workflows, idKey).get(id);
}

/** A workflow row of this app by id (a version or the draft). */
export function findAppWorkflow(world: SimWorld, app: SimApp, id: string): SimWorkflow | undefined {
  const workflow = findWorkflow(world, id);
  return workflow?.app_id === app.id ? workflow : undefined;
}

export function findPublished(world: SimWorld, app: SimApp): SimWorkflow | undefined {
  return app.workflow_id === null ? undefined : findWorkflow(world, app.workflow_id);
}

// Every draft GET answers the hash. A draft's graph and features are replaced on each sync, never
// edited in place, so the hash is kept per graph object and checked against the features.
const hashes = new WeakMap<object, { features: unknown; withFeatures: boolean; hash: string }>();

export function workflowHash(world: SimWorld, wf: SimWorkflow): string {
  const withFeatures = world.profile.draftHashIncludesFeatures;
  const cached = hashes.get(wf.graph);
  if (cached !== undefined && cached.features === wf.features && cached.withFeatures === withFeatures) return cached.hash;
  const hash = computeDraftHash(wf.graph, wf.features, withFeatures);
  hashes.set(wf.graph, { features: wf.features, withFeatures, hash });
  return hash;
}

/** WorkflowService.validate_graph_structure: start and trigger nodes may not coexist (≥1.10). */
export function validateGraph(world: SimWorld, graph: SimWorkflow['graph']): void {
  if (!world.profile.triggerNodes || !Array.isArray(graph.nodes)) return;
  const types = graph.nodes.map((n) => (n as { data?: { type?: unknown } } | null)?.data?.type);
  if (types.includes('start') && types.some((t) => typeof t === 'string' && TRIGGER_TYPES.has(t))) {
    throw invalidParam('Start node and trigger nodes cannot coexist in the same workflow');
  }
}

export interface DraftContent {
  graph: SimWorkflow['graph'];
  features: Record<string, unknown>;
  environment_variables: SimVariable[];
  conversation_variables: SimVariable[];
}

/** Creates or replaces the draft (no hash check here; callers check). [__HIDDEN__] keeps stored secrets. */
export function writeDraft(world: SimWorld, app: SimApp, account: SimAccount, content: DraftContent): SimWorkflow {
  validateGraph(world, content.graph);
  const now = world.nowSeconds();
  const draft = findDraft(world, app.id);
  if (!draft) {
    const created: SimWorkflow = {
      id: world.newId(),
      app_id: app.id,
      version: 'draft',
      graph: content.graph,
      features: content.features,
      environment_variables: mergeVariables(content.environment_variables, []),
      conversation_variables: mergeVariables(content.conversation_variables, []),
      rag_pipeline_variables: [],
      marked_name: '',
      marked_comment: '',
      created_by: account.id,
      created_at: now,
      updated_by: null,
      updated_at: now,
      tool_published: false,
    };
    world.state.workflows.push(created);
    return created;
  }
  draft.graph = content.graph;
  draft.features = content.features;
  draft.environment_variables = mergeVariables(content.environment_variables, draft.environment_variables);
  draft.conversation_variables = mergeVariables(content.conversation_variables, draft.conversation_variables);
  touch(world, draft, account);
  return draft;
}

export function touch(world: SimWorld, wf: SimWorkflow, account: SimAccount): void {
  wf.updated_by = account.id;
  wf.updated_at = world.nowSeconds();
}

/** A new immutable version copied from the draft; the app points at it. */
export function publishDraft(world: SimWorld, app: SimApp, account: SimAccount, markedName: string, markedComment: string): SimWorkflow {
  const draft = findDraft(world, app.id);
  if (!draft) throw invalidParam('No valid workflow found.');
  validateGraph(world, draft.graph);
  const now = world.nowSeconds();
  const version: SimWorkflow = {
    ...structuredClone(draft),
    id: world.newId(),
    version: nextVersionString(world, app.id),
    marked_name: markedName,
    marked_comment: markedComment,
    created_by: account.id,
    created_at: now,
    updated_by: null,
    updated_at: now,
    tool_published: false,
  };
  world.state.workflows.push(version);
  app.workflow_id = version.id;
  if (world.profile.bumpsAppUpdatedAt) {
    app.updated_at = now;
    app.updated_by = account.id;
  }
  return version;
}

/**
 * Python `str(naive_utc_now())`: `YYYY-MM-DD HH:MM:SS.ffffff`, microseconds omitted when zero.
 * The clock has millisecond resolution, so a same-millisecond publish is bumped by 1 µs to keep
 * versions unique and ordered.
 */
function nextVersionString(world: SimWorld, appId: string): string {
  let micros = world.now() * 1000;
  const latest = world.state.workflows
    .filter((w) => w.app_id === appId && w.version !== 'draft')
    .map((w) => parseVersionMicros(w.version))
    .reduce((a, b) => Math.max(a, b), -Infinity);
  if (micros <= latest) micros = latest + 1;
  return formatVersion(micros);
}

export function formatVersion(micros: number): string {
  const date = new Date(Math.floor(micros / 1000));
  const us = micros % 1_000_000;
  const base = date.toISOString().slice(0, 19).replace('T', ' ');
  return us === 0 ? base : `${base}.${String(us).padStart(6, '0')}`;
}

function parseVersionMicros(version: string): number {
  const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?:\.(\d{6}))?$/.exec(version);
  if (!m) return -Infinity;
  return Date.parse(`${m[1]}T${m[2]}Z`) * 1000 + Number(m[3] ?? 0);
}

function accountView(world: SimWorld, id: string | null): { id: string; name: string; email: string } | null {
  const account = findAccount(world, id);
  return account ? { id: account.id, name: account.name, email: account.email } : null;
}

/** The console Workflow object (draft GET, publish GET, version list items, PATCH). */
export function workflowView(world: SimWorld, wf: SimWorkflow): Record<string, unknown> {
  return {
    id: wf.id,
    graph: wf.graph,
    features: wf.features,
    hash: workflowHash(world, wf),
    version: wf.version,
    marked_name: wf.marked_name,
    marked_comment: wf.marked_comment,
    created_by: accountView(world, wf.created_by) ?? { id: wf.created_by, name: null, email: null },
    created_at: wf.created_at,
    updated_by: accountView(world, wf.updated_by),
    updated_at: wf.updated_at,
    tool_published: wf.tool_published,
    environment_variables: wf.environment_variables.map((v) => draftEnvView(v, world.profile)),
    conversation_variables: wf.conversation_variables.map(conversationView),
    rag_pipeline_variables: wf.rag_pipeline_variables,
  };
}

/** flask-restx marshalling of None: every field null, nested created_by all-null. */
export function nullWorkflowView(): Record<string, unknown> {
  return {
    id: null,
    graph: null,
    features: null,
    hash: null,
    version: null,
    marked_name: null,
    marked_comment: null,
    created_by: { id: null, name: null, email: null },
    created_at: null,
    updated_by: null,
    updated_at: null,
    tool_published: null,
    environment_variables: null,
    conversation_variables: null,
    rag_pipeline_variables: null,
  };
}

export function workflowPartial(wf: SimWorkflow | undefined): Record<string, unknown> | null {
  if (!wf) return null;
  return { id: wf.id, created_by: wf.created_by, created_at: wf.created_at, updated_by: wf.updated_by, updated_at: wf.updated_at };
}
