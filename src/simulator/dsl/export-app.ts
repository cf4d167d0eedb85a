// DSL export (contract §3): the app section, the draft (or a published version) with secrets
// blanked, tool credential ids stripped, dataset ids encrypted, trigger fields reset, numeric env
// types per era, and the dependencies installed in this workspace; dumped with sorted keys.

import { CHAT_FAMILY_MODES, MODEL_CONFIG_KEYS } from '../apps.js';
import { internalError, invalidParam } from '../http/errors.js';
import type { SimApp, SimWorkflow } from '../state.js';
import { findAppWorkflow, findDraft } from '../workflows.js';
import type { SimWorld } from '../world.js';
import { encryptDatasetId } from './dataset-ids.js';
import { exportDependencies, pluginIdsOfGraph, pluginIdsOfModelConfig } from './dependencies.js';
import { memoizeDump } from './dump-memo.js';
import { pyyamlDump } from './pyyaml-dump.js';
import { exportVariable } from './variables.js';

const dumpExport = memoizeDump(pyyamlDump);

const MISSING_DRAFT = 'Missing draft workflow configuration, please check.';

/** TriggerScheduleNode.get_default_config()["config"]. */
const DEFAULT_SCHEDULE_CONFIG = {
  mode: 'visual',
  frequency: 'daily',
  visual_config: { time: '12:00 AM', on_minute: 0, weekdays: ['sun'], monthly_days: [1] },
  timezone: 'UTC',
};

export function exportAppDsl(world: SimWorld, app: SimApp, includeSecret: boolean, workflowId: string | undefined): string {
  const { profile } = world;
  const imageIcon = app.icon_type === 'image' && !profile.exportsIconType;
  const appSection: Record<string, unknown> = {
    name: app.name,
    mode: app.mode,
    icon: imageIcon ? '🤖' : app.icon,
    icon_background: imageIcon ? '#FFEAD5' : app.icon_background,
    description: app.description,
    use_icon_as_answer_icon: app.use_icon_as_answer_icon,
  };
  if (profile.exportsIconType) appSection.icon_type = app.icon_type;
  const data: Record<string, unknown> = { version: profile.dslVersion, kind: 'app', app: appSection };

  if (CHAT_FAMILY_MODES.includes(app.mode)) {
    if (app.model_config === null) throw invalidParam('Missing app configuration, please check.');
    const config: Record<string, unknown> = {};
    for (const key of MODEL_CONFIG_KEYS) if (key in app.model_config) config[key] = structuredClone(app.model_config[key]);
    const agentMode = config.agent_mode as { tools?: unknown } | undefined;
    if (profile.exportStripsCredentialId && Array.isArray(agentMode?.tools)) {
      for (const tool of agentMode.tools as Record<string, unknown>[]) if (tool && typeof tool === 'object') delete tool.credential_id;
    }
    data.model_config = config;
    data.dependencies = exportDependencies(pluginIdsOfModelConfig(app.model_config), world.state.installedPlugins);
  } else {
    const workflow = pickWorkflow(world, app, profile.exportWorkflowId ? workflowId : undefined);
    data.workflow = workflowSection(world, app, workflow, includeSecret);
    data.dependencies = exportDependencies(pluginIdsOfGraph(workflow.graph), world.state.installedPlugins);
  }
  return dumpExport(data);
}

function pickWorkflow(world: SimWorld, app: SimApp, workflowId: string | undefined): SimWorkflow {
  if (workflowId === undefined || workflowId === '') {
    const draft = findDraft(world, app.id);
    if (!draft) throw invalidParam(MISSING_DRAFT);
    return draft;
  }
  const wf = findAppWorkflow(world, app, workflowId);
  if (!wf) throw invalidParam(MISSING_DRAFT);
  // Dify raises IsDraftWorkflowError here and nothing catches it.
  if (wf.version === 'draft') throw internalError();
  return wf;
}

function workflowSection(world: SimWorld, app: SimApp, wf: SimWorkflow, includeSecret: boolean): Record<string, unknown> {
  const { profile } = world;
  const graph = structuredClone(wf.graph);
  const nodes: unknown[] = Array.isArray(graph.nodes) ? graph.nodes : [];
  for (const node of nodes) {
    const data = (node as { data?: Record<string, unknown> } | null)?.data;
    if (!data || typeof data !== 'object' || Object.keys(data).length === 0) continue;
    const type = data.type;
    if (type === 'knowledge-retrieval' && profile.encryptsDatasetIds && Array.isArray(data.dataset_ids)) {
      data.dataset_ids = data.dataset_ids.map((id) => encryptDatasetId(String(id), app.tenant_id));
    }
    if (!includeSecret && profile.exportStripsCredentialId) {
      if (type === 'tool') delete data.credential_id;
      if (type === 'agent') {
        const tools = ((data.agent_parameters as { tools?: { value?: unknown } } | undefined)?.tools?.value);
        if (Array.isArray(tools)) for (const tool of tools) if (tool && typeof tool === 'object') delete (tool as Record<string, unknown>).credential_id;
      }
    }
    if (profile.triggerNodes) {
      if (type === 'trigger-schedule') data.config = structuredClone(DEFAULT_SCHEDULE_CONFIG);
      if (type === 'trigger-webhook') {
        data.webhook_url = '';
        data.webhook_debug_url = '';
      }
      if (type === 'trigger-plugin') data.subscription_id = '';
    }
  }
  const section: Record<string, unknown> = {
    graph,
    features: structuredClone(wf.features),
    environment_variables: wf.environment_variables.map((v) => exportVariable(v, profile, includeSecret)),
    conversation_variables: wf.conversation_variables.map((v) => exportVariable(v, profile, true)),
  };
  if (profile.exportsRagPipelineVariables) section.rag_pipeline_variables = structuredClone(wf.rag_pipeline_variables);
  return section;
}
