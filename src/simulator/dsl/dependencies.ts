// Plugin dependencies (contract §3 item 6, §4.4): which plugins a graph or model config uses,
// the `dependencies` block an export writes (only plugins installed in the workspace), the
// PluginDependency validation an import applies, and the "leaked" (not installed) check.
// The simulator has no marketplace: inferred dependencies of ≤0.1.5 files get a placeholder
// identifier `<org>/<plugin>:0.0.0@simulator`.

import { VariableError } from './variables.js';

export interface PluginDependency {
  type: 'marketplace' | 'github' | 'package';
  value: Record<string, unknown>;
  current_identifier: string | null;
}

/** `langgenius/openai/openai` or bare `openai` → plugin id `langgenius/openai`. */
export function pluginIdOf(provider: unknown): string | undefined {
  if (typeof provider !== 'string' || provider === '') return undefined;
  const parts = provider.split('/');
  if (parts.length >= 3) return `${parts[0]}/${parts[1]}`;
  if (parts.length === 1) return `langgenius/${parts[0]}`;
  return undefined;
}

function rec(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export function pluginIdsOfGraph(graph: unknown): string[] {
  const ids: (string | undefined)[] = [];
  const nodes = rec(graph).nodes;
  for (const node of Array.isArray(nodes) ? nodes : []) {
    const data = rec(rec(node).data);
    switch (data.type) {
      case 'tool':
        ids.push(pluginIdOf(data.provider_id));
        break;
      case 'llm':
      case 'question-classifier':
      case 'parameter-extractor':
        ids.push(pluginIdOf(rec(data.model).provider));
        break;
      case 'knowledge-retrieval': {
        const multiple = rec(data.multiple_retrieval_config);
        if (data.retrieval_mode === 'multiple' && multiple.reranking_mode === 'reranking_model') ids.push(pluginIdOf(rec(multiple.reranking_model).provider));
        if (data.retrieval_mode === 'multiple' && multiple.reranking_mode === 'weighted_score') {
          ids.push(pluginIdOf(rec(rec(multiple.weights).vector_setting).embedding_provider_name));
        }
        if (data.retrieval_mode === 'single') ids.push(pluginIdOf(rec(rec(data.single_retrieval_config).model).provider));
        break;
      }
      default:
        break;
    }
  }
  return unique(ids);
}

export function pluginIdsOfModelConfig(config: unknown): string[] {
  const c = rec(config);
  const ids: (string | undefined)[] = [pluginIdOf(rec(c.model).provider)];
  const datasets = rec(rec(c.dataset_configs).datasets).datasets;
  for (const d of Array.isArray(datasets) ? datasets : []) {
    ids.push(pluginIdOf(rec(rec(rec(d).reranking_model).reranking_provider_name).provider));
  }
  const tools = rec(c.agent_mode).tools;
  for (const t of Array.isArray(tools) ? tools : []) ids.push(pluginIdOf(rec(t).provider_id));
  return unique(ids);
}

function unique(ids: (string | undefined)[]): string[] {
  return [...new Set(ids.filter((id): id is string => id !== undefined))];
}

function pluginIdOfIdentifier(identifier: string): string {
  return identifier.split(':')[0] ?? identifier;
}

function versionOfIdentifier(identifier: string): string {
  return identifier.split(':')[1]?.split('@')[0] ?? '';
}

/** Export: the installed plugins the app uses, sorted (Dify's order is random). */
export function exportDependencies(pluginIds: string[], installed: string[]): PluginDependency[] {
  const out: PluginDependency[] = [];
  for (const id of [...pluginIds].sort()) {
    const identifier = installed.find((i) => pluginIdOfIdentifier(i) === id);
    if (identifier === undefined) continue;
    out.push({
      type: 'marketplace',
      value: { marketplace_plugin_unique_identifier: identifier, version: versionOfIdentifier(identifier) },
      current_identifier: null,
    });
  }
  return out;
}

/** ≤0.1.5 files without `dependencies`: inferred and "resolved to the latest marketplace version". */
export function inferredDependencies(pluginIds: string[]): PluginDependency[] {
  return pluginIds.map((id) => ({
    type: 'marketplace',
    value: { marketplace_plugin_unique_identifier: `${id}:0.0.0@simulator`, version: '0.0.0' },
    current_identifier: null,
  }));
}

const REQUIRED_VALUE_FIELDS: Record<PluginDependency['type'], string[]> = {
  marketplace: ['marketplace_plugin_unique_identifier'],
  github: ['repo', 'version', 'package', 'github_plugin_unique_identifier'],
  package: ['plugin_unique_identifier'],
};

/** PluginDependency.model_validate; a malformed entry fails the import with pydantic's text. */
export function parseDependency(entry: unknown): PluginDependency {
  const e = rec(entry);
  const type = e.type;
  if (type !== 'marketplace' && type !== 'github' && type !== 'package') {
    throw new VariableError(`1 validation error for PluginDependency\ntype\n  Input should be 'github', 'marketplace' or 'package' [type=enum]`);
  }
  const value = rec(e.value);
  for (const field of REQUIRED_VALUE_FIELDS[type]) {
    if (typeof value[field] !== 'string') {
      throw new VariableError(`1 validation error for PluginDependency\nvalue.${field}\n  Field required [type=missing]`);
    }
  }
  return { type, value, current_identifier: typeof e.current_identifier === 'string' ? e.current_identifier : null };
}

function identifierOf(dep: PluginDependency): string {
  const v = dep.value;
  const id = v.marketplace_plugin_unique_identifier ?? v.github_plugin_unique_identifier ?? v.plugin_unique_identifier;
  return typeof id === 'string' ? id : '';
}

/** The dependencies whose exact identifier is not installed; current_identifier names an installed other version. */
export function leakedDependencies(deps: PluginDependency[], installed: string[]): PluginDependency[] {
  const out: PluginDependency[] = [];
  for (const dep of deps) {
    const identifier = identifierOf(dep);
    if (installed.includes(identifier)) continue;
    const current = installed.find((i) => pluginIdOfIdentifier(i) === pluginIdOfIdentifier(identifier)) ?? null;
    const value = dep.type === 'marketplace' ? { ...dep.value, version: versionOfIdentifier(identifier) } : dep.value;
    out.push({ type: dep.type, value, current_identifier: current });
  }
  return out;
}
