// The content half of an import: what `_create_or_update_app` reads from a loaded DSL document
// (mode, workflow section with its variables and decrypted dataset ids, or model_config) and the
// app fields it sets from overrides, the YAML and the old values, with Dify's Python quirks
// (`str(None)` icons, `or` fallbacks). Pure apart from validation errors.

import { pickModelConfig } from '../apps.js';
import type { SimApp } from '../state.js';
import { validateGraph, type DraftContent } from '../workflows.js';
import type { SimWorld } from '../world.js';
import { decryptDatasetId } from './dataset-ids.js';
import { pythonFalsy } from './pyyaml-load.js';
import { buildVariable, pythonTypeOf, VariableError } from './variables.js';

export interface ImportOverrides {
  name?: string;
  description?: string;
  icon_type?: string;
  icon?: string;
  icon_background?: string;
}

export type AppContent =
  | { kind: 'workflow'; mode: string; draft: DraftContent }
  | { kind: 'model-config'; mode: string; modelConfig: Record<string, unknown> };

const APP_MODES = ['completion', 'workflow', 'chat', 'advanced-chat', 'agent-chat', 'channel', 'rag-pipeline'];

function getter(value: unknown): Record<string, unknown> {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) return value as Record<string, unknown>;
  throw new VariableError(`'${pythonTypeOf(value)}' object has no attribute 'get'`);
}

export function validateAppContent(world: SimWorld, doc: Record<string, unknown>, tenantId: string): AppContent {
  const appData = getter(doc.app);
  const mode = appData.mode;
  if (pythonFalsy(mode)) throw new VariableError('loss app mode');
  if (typeof mode !== 'string' || !APP_MODES.includes(mode)) {
    throw new VariableError(`${typeof mode === 'string' ? `'${mode}'` : JSON.stringify(mode)} is not a valid AppMode`);
  }
  if (mode === 'workflow' || mode === 'advanced-chat') {
    const workflow = doc.workflow;
    if (pythonFalsy(workflow) || typeof workflow !== 'object' || Array.isArray(workflow)) {
      throw new VariableError('Missing workflow data for workflow/advanced chat app');
    }
    const wf = workflow as Record<string, unknown>;
    const envList = listOf(wf.environment_variables);
    const convList = listOf(wf.conversation_variables);
    const environment_variables = envList.map((m) => buildVariable(m, 'env'));
    const conversation_variables = convList.map((m) => buildVariable(m, 'conversation'));
    const graph = getter(wf.graph ?? {});
    const nodes = graph.nodes ?? [];
    for (const node of Array.isArray(nodes) ? nodes : []) {
      const data = (node as { data?: Record<string, unknown> } | null)?.data;
      if (data && typeof data === 'object' && data.type === 'knowledge-retrieval') {
        const ids = Array.isArray(data.dataset_ids) ? data.dataset_ids : [];
        data.dataset_ids = ids.map((id) => decryptDatasetId(id, tenantId)).filter((id) => id !== undefined);
      }
    }
    const features = wf.features ?? {};
    const draft: DraftContent = {
      graph: graph as DraftContent['graph'],
      features: features as Record<string, unknown>,
      environment_variables,
      conversation_variables,
    };
    validateGraph(world, draft.graph);
    return { kind: 'workflow', mode, draft };
  }
  if (mode === 'chat' || mode === 'agent-chat' || mode === 'completion') {
    const config = doc.model_config;
    if (pythonFalsy(config) || typeof config !== 'object' || Array.isArray(config)) {
      throw new VariableError('Missing model_config for chat/agent-chat/completion app');
    }
    return { kind: 'model-config', mode, modelConfig: pickModelConfig(config as Record<string, unknown>) };
  }
  throw new VariableError('Invalid app mode');
}

function listOf(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value;
  throw new VariableError(`'${pythonTypeOf(value)}' object is not iterable`);
}

/** Python `str(x)` for the icon fallback (`str(app_data.get("icon", ""))`). */
function pythonStr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function orElse(override: string | undefined, data: Record<string, unknown>, key: string, fallback: string): string {
  if (override) return override;
  if (!(key in data)) return fallback;
  const value = data[key];
  return value === null || value === undefined ? fallback : typeof value === 'string' ? value : pythonStr(value);
}

export function resolveAppFields(
  appData: Record<string, unknown>,
  overrides: ImportOverrides,
  old: SimApp | undefined,
): Pick<SimApp, 'name' | 'description' | 'icon_type' | 'icon' | 'icon_background' | 'use_icon_as_answer_icon'> {
  const typeValue = overrides.icon_type || appData.icon_type;
  const icon_type = typeValue === 'emoji' || typeValue === 'image' || typeValue === 'link' ? typeValue : 'emoji';
  const icon = overrides.icon || pythonStr('icon' in appData ? appData.icon : '');
  return {
    name: orElse(overrides.name, appData, 'name', old?.name ?? ''),
    description: orElse(overrides.description, appData, 'description', old?.description ?? ''),
    icon_type,
    icon,
    icon_background: orElse(overrides.icon_background, appData, 'icon_background', old?.icon_background ?? '#FFFFFF'),
    use_icon_as_answer_icon: old ? old.use_icon_as_answer_icon : appData.use_icon_as_answer_icon === true,
  };
}
