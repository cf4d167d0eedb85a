// Canonical form of a DSL document for comparison: desired (git) and live (Dify export) are
// normalised alike, so the diff shows only what changes behaviour. The result is itself a DSL
// document, and normalising it again changes nothing. Rules: docs/dsl.md "Normalisation".

import { applyIgnoreRules, type IgnoreRule } from './ignore-rules.js';
import { dependencySortKey } from './keyed-lists.js';
import { compareKeys, normalizeEdge, normalizeNode, uniqueById, type DatasetRef } from './normalize-graph.js';
import { isRecord, type DslApp, type DslDependency, type DslDocument, type DslVariable, type DslWorkflow } from './types.js';

export type { IgnoreRule } from './ignore-rules.js';

/** What a non-empty secret value becomes: Dify's own keep-the-stored-secret sentinel. */
export const SECRET_MARKER = '[__HIDDEN__]';

/** What every dataset id becomes unless a `datasetRef` mapping is given. */
export const DATASET_MARKER = '<dataset>';

export interface NormalizeOptions {
  ignore?: readonly IgnoreRule[];
  /**
   * Maps a knowledge-base id as written (a UUID, a workspace-encrypted export blob or a logical
   * name) to a comparable reference. Must be idempotent. Default: every id becomes `<dataset>`,
   * so an encrypted export never looks like a change against a plain id (only the count compares).
   */
  datasetRef?: (id: string) => string;
}

/** A DslDocument in canonical form (see normalizeDsl). */
export type NormalizedDsl = DslDocument;

const NUMBER_TYPES = new Set(['number', 'integer', 'float']);

export function normalizeDsl(dsl: DslDocument, options: NormalizeOptions = {}): NormalizedDsl {
  const datasetRef: DatasetRef = options.datasetRef ?? (() => DATASET_MARKER);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(dsl)) {
    // kind and version describe the file format, which every export rewrites; not the app.
    if (key === 'kind' || key === 'version') continue;
    out[key] = value; // every value is copied by sortKeysDeep below; nothing here mutates the input
  }
  out.app = normalizeApp(dsl.app);
  out.dependencies = normalizeDependencies(dsl.dependencies ?? []);
  if (dsl.workflow) out.workflow = normalizeWorkflow(dsl.workflow, datasetRef);
  if (dsl.model_config) out.model_config = normalizeModelConfig(dsl.model_config, datasetRef);
  const sorted = sortKeysDeep(out) as Record<string, unknown>;
  // Sorted after the keys are, so the order depends only on content (the export's order is random).
  sorted.dependencies = (sorted.dependencies as unknown[])
    .map((dep) => ({ dep, key: dependencySortKey(dep) }))
    .sort((a, b) => compareKeys(a.key, b.key))
    .map((x) => x.dep);
  if (options.ignore && options.ignore.length > 0) applyIgnoreRules(sorted, options.ignore);
  return sorted as NormalizedDsl;
}

function normalizeApp(app: DslApp): DslApp {
  const out: DslApp = { ...app };
  // ≤1.13.0 exports have no icon_type; their icons are emoji (contract §3.5).
  if (out.icon_type === undefined || out.icon_type === null) out.icon_type = 'emoji';
  if (out.use_icon_as_answer_icon === undefined) out.use_icon_as_answer_icon = false;
  return out;
}

function normalizeDependencies(deps: DslDependency[]): DslDependency[] {
  const cleaned = deps.map((dep) => {
    const copy: DslDependency = { ...dep };
    // Filled by check-dependencies in the importing workspace, null in every export.
    delete copy.current_identifier;
    return copy;
  });
  return cleaned;
}

function normalizeWorkflow(workflow: DslWorkflow, datasetRef: DatasetRef): DslWorkflow {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(workflow)) {
    // rag_pipeline_variables: exported since 1.9.0 and ignored on app import; viewport: editor state.
    if (key === 'rag_pipeline_variables' || key === 'viewport') continue;
    out[key] = value;
  }
  if (workflow.graph) {
    const graph: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(workflow.graph)) {
      if (key !== 'viewport' && key !== 'nodes' && key !== 'edges') graph[key] = value;
    }
    graph.nodes = uniqueById((workflow.graph.nodes ?? []).map((n) => normalizeNode(n, datasetRef)));
    graph.edges = uniqueById((workflow.graph.edges ?? []).map((e) => normalizeEdge(e) as { id: string }));
    out.graph = graph;
  }
  out.environment_variables = normalizeVariables(workflow.environment_variables ?? []);
  out.conversation_variables = normalizeVariables(workflow.conversation_variables ?? []);
  return out;
}

/**
 * Variables are keyed by name (Dify stores them in a dict: the last of a repeated name wins).
 * Ids and selectors are bookkeeping Dify fills in on import; numeric types are one type; secret
 * values are masked so no value ever reaches a diff.
 */
function normalizeVariables(vars: DslVariable[]): DslVariable[] {
  const byName = new Map<string, DslVariable>();
  for (const v of vars) {
    const copy: DslVariable = { ...v };
    delete copy.id;
    delete copy.selector;
    if (typeof copy.value_type === 'string' && NUMBER_TYPES.has(copy.value_type)) copy.value_type = 'number';
    if (copy.description === undefined || copy.description === null) copy.description = '';
    if (copy.value_type === 'secret' && copy.value !== '' && copy.value !== null && copy.value !== undefined) copy.value = SECRET_MARKER;
    byName.set(copy.name, copy);
  }
  return [...byName.values()].sort((a, b) => compareKeys(a.name, b.name));
}

function normalizeModelConfig(config: Record<string, unknown>, datasetRef: DatasetRef): Record<string, unknown> {
  const out = structuredClone(config);
  const tools = isRecord(out.agent_mode) ? out.agent_mode.tools : undefined;
  if (Array.isArray(tools)) for (const tool of tools) if (isRecord(tool)) delete tool.credential_id;
  const datasets = isRecord(out.dataset_configs) && isRecord(out.dataset_configs.datasets) ? out.dataset_configs.datasets.datasets : undefined;
  if (Array.isArray(datasets)) {
    for (const entry of datasets) {
      if (isRecord(entry) && isRecord(entry.dataset) && typeof entry.dataset.id === 'string') entry.dataset.id = datasetRef(entry.dataset.id);
    }
  }
  return out;
}

/** Sorted keys at every level, as Dify's export writes them; lists keep their order. */
function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort(compareKeys)) {
    const sorted = sortKeysDeep(value[key]);
    // A `__proto__` key in the YAML stays data and never becomes a prototype. Only that key goes
    // through defineProperty: on every key it made normalising 3× slower.
    if (key === '__proto__') Object.defineProperty(out, key, { value: sorted, enumerable: true, writable: true, configurable: true });
    else out[key] = sorted;
  }
  return out;
}

/** True for a knowledge-base id as Dify ≥1.2 exports it: Base64 of AES ciphertext, not a UUID. */
export function isEncryptedDatasetId(id: string): boolean {
  return !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id) && /^[A-Za-z0-9+/]{40,}={0,2}$/.test(id);
}
