// Lint rules about app configuration rather than graph shape (DSL015–019, 022, 023): models,
// secrets, the mode/section pairing, the DSL version, knowledge-base mappings and variables.

import { LLM_FAMILY, recordAt } from './graph-index.js';
import { label } from './lint-graph-rules.js';
import type { Finding, LintContext } from './lint-dsl.js';
import { LATEST_KNOWN_DSL_VERSION, compareVersions, importStatus, parseDslVersion } from './dsl-version.js';
import { APP_MODES, WORKFLOW_MODES, isRecord, type AppMode, type DslVariable } from './types.js';

/** Dify's keep-the-stored-secret sentinel (contract §5.2): not a literal secret. */
export const HIDDEN_SENTINEL = '[__HIDDEN__]';

const ENV_TYPES = new Set(['string', 'secret', 'number', 'integer', 'float']);
const CONVERSATION_TYPES = new Set([
  'string', 'number', 'integer', 'float', 'object', 'secret', 'boolean',
  'array[string]', 'array[number]', 'array[object]', 'array[boolean]',
]);

export function checkModels(ctx: LintContext): Finding[] {
  const out: Finding[] = [];
  for (const n of ctx.graph.nodes) {
    const data = n.node.data;
    if (LLM_FAMILY.has(n.type ?? '')) {
      const model = recordAt(data, 'model');
      if (!filled(model?.provider) || !filled(model?.name)) {
        out.push({ code: 'DSL015', path: [...n.path, 'data', 'model'], message: `${n.type} node ${label(n)} has no model (data.model.provider and data.model.name)` });
      }
    } else if (n.type === 'agent' && isRecord(data.agent_parameters) && 'model' in data.agent_parameters) {
      const model = recordAt(data, 'agent_parameters', 'model', 'value');
      if (!filled(model?.provider) || !filled(model?.model)) {
        out.push({ code: 'DSL015', path: [...n.path, 'data', 'agent_parameters', 'model'], message: `agent node ${label(n)} has no model (agent_parameters.model.value.provider and .model)` });
      }
    }
  }
  const mode = ctx.dsl.app.mode;
  if (ctx.dsl.model_config && mode !== undefined && !WORKFLOW_MODES.includes(mode as AppMode)) {
    const model = recordAt(ctx.dsl.model_config, 'model');
    if (!filled(model?.provider) || !filled(model?.name)) {
      out.push({ code: 'DSL015', path: ['model_config', 'model'], message: `the ${mode} app has no model (model_config.model.provider and .name)` });
    }
  }
  return out;
}

export function checkVariables(ctx: LintContext): Finding[] {
  const out: Finding[] = [];
  for (const key of ['environment_variables', 'conversation_variables'] as const) {
    const kind = key === 'environment_variables' ? 'environment' : 'conversation';
    const allowed = key === 'environment_variables' ? ENV_TYPES : CONVERSATION_TYPES;
    const seen = new Set<string>();
    (ctx.dsl.workflow?.[key] ?? []).forEach((v: DslVariable, i) => {
      const path = ['workflow', key, i];
      if (seen.has(v.name)) out.push({ code: 'DSL023', path: [...path, 'name'], message: `${kind} variable '${v.name}' is declared twice; Dify keeps only the last` });
      seen.add(v.name);
      const type = v.value_type;
      if (typeof type !== 'string' || !allowed.has(type)) {
        out.push({ code: 'DSL022', path: [...path, 'value_type'], message: `${kind} variable '${v.name}' has value_type ${JSON.stringify(type ?? null)}; Dify accepts ${[...allowed].join(', ')}` });
      }
      if (v.value === undefined || v.value === null) {
        out.push({ code: 'DSL022', path, message: `${kind} variable '${v.name}' has no value; Dify refuses it ("missing value")` });
      }
      if (type === 'secret' && v.value !== undefined && v.value !== null && v.value !== '' && v.value !== HIDDEN_SENTINEL) {
        // Never echo the value: the message says where, not what.
        out.push({
          code: 'DSL016',
          path: [...path, 'value'],
          message: `secret ${kind} variable '${v.name}' has a literal value: a plaintext secret in git. Leave the value '' and supply it from the environment's secrets`,
        });
      }
    });
  }
  return out;
}

export function checkModeSection(ctx: LintContext): Finding[] {
  const { dsl } = ctx;
  const mode = dsl.app.mode;
  if (mode === undefined) return [{ code: 'DSL017', path: ['app'], message: 'app.mode is missing; Dify rejects the import ("loss app mode")' }];
  if (!APP_MODES.includes(mode as AppMode)) {
    return [{ code: 'DSL017', path: ['app', 'mode'], message: `app.mode '${mode}' is not one of ${APP_MODES.join(', ')}` }];
  }
  if (WORKFLOW_MODES.includes(mode as AppMode) && !dsl.workflow) {
    return [{ code: 'DSL017', path: ['app', 'mode'], message: `a ${mode} app needs a top-level \`workflow\` section; Dify rejects it ("Missing workflow data for workflow/advanced chat app")` }];
  }
  if (!WORKFLOW_MODES.includes(mode as AppMode) && !dsl.model_config) {
    return [{ code: 'DSL017', path: ['app', 'mode'], message: `a ${mode} app needs a top-level \`model_config\` section${dsl.workflow ? ', not `workflow`' : ''}` }];
  }
  return [];
}

export function checkVersion(ctx: LintContext): Finding[] {
  const version = ctx.dsl.version;
  const path = version === undefined ? [] : ['version'];
  if (version !== undefined && !parseDslVersion(version)) {
    return [{ code: 'DSL018', path, severity: 'error', message: `version '${version}' is not a valid version; Dify fails the import` }];
  }
  const target = ctx.options.targetDslVersion;
  if (target === undefined) {
    const file = parseDslVersion(version ?? '0.1.0');
    const latest = parseDslVersion(LATEST_KNOWN_DSL_VERSION);
    if (file && latest && compareVersions(file, latest) > 0) {
      return [{ code: 'DSL018', path, message: `version ${version} is newer than any Dify release known here (DSL ${LATEST_KNOWN_DSL_VERSION}); an older Dify will hold the import as pending` }];
    }
    return [];
  }
  const shown = version ?? 'missing (read as 0.1.0)';
  switch (importStatus(version, target)) {
    case 'pending':
      return [{ code: 'DSL018', path, severity: 'error', message: `version ${shown} is not accepted as-is by the target Dify (DSL ${target}): the import would wait as pending for confirmation` }];
    case 'completed-with-warnings':
      return [{ code: 'DSL018', path, severity: 'info', message: `version ${shown} is older than the target Dify's DSL ${target}: the import completes with warnings` }];
    case 'failed':
      return [{ code: 'DSL018', path, severity: 'error', message: `the target DSL version '${target}' is not a valid version` }];
    default:
      return [];
  }
}

export function checkDatasets(ctx: LintContext): Finding[] {
  const mappings = ctx.options.datasetMappings;
  if (!mappings) return [];
  const out: Finding[] = [];
  const flag = (id: string, path: (string | number)[], user: string): void => {
    if (mappings.mapped.has(id)) return;
    out.push({
      code: 'DSL019',
      path,
      message: `knowledge base '${id}' used by ${user} is not mapped for environment '${mappings.environment}'; Dify would silently drop it on import`,
    });
  };
  for (const n of ctx.graph.nodes) {
    if (n.type !== 'knowledge-retrieval') continue;
    const ids = n.node.data.dataset_ids;
    if (!Array.isArray(ids)) continue;
    ids.forEach((id, i) => typeof id === 'string' && flag(id, [...n.path, 'data', 'dataset_ids', i], `node ${label(n)}`));
  }
  const datasets = recordAt(ctx.dsl.model_config, 'dataset_configs', 'datasets')?.datasets;
  if (Array.isArray(datasets)) {
    datasets.forEach((entry, i) => {
      const id = recordAt(entry, 'dataset')?.id;
      if (typeof id === 'string') flag(id, ['model_config', 'dataset_configs', 'datasets', 'datasets', i, 'dataset', 'id'], 'the app');
    });
  }
  return out;
}

function filled(value: unknown): boolean {
  return typeof value === 'string' && value.trim() !== '';
}
