// Service API reads (contract §8.3, §8.5): GET /v1/parameters (from the PUBLISHED workflow, or the
// model config; unpublished is 400 app_unavailable), /v1/info, /v1/meta and the workflow-run
// detail, whose shape differs per release (1.14 outputs object + 404; ≤1.13 JSON string + nulls).

import { buildUserInputForm, startVariables } from '../engine/inputs.js';
import { pythonJsonDumps } from '../dsl/python-json.js';
import { difyError, notFound } from '../http/errors.js';
import { json, type RequestContext, type Route } from '../http/route.js';
import type { SimRun } from '../state.js';
import { serviceApp } from '../service/auth.js';
import { APP_UNAVAILABLE } from '../service/chat-run.js';
import { findAccount } from '../world.js';
import { findPublished } from '../workflows.js';

const SYSTEM_PARAMETERS = {
  image_file_size_limit: 10,
  video_file_size_limit: 100,
  audio_file_size_limit: 50,
  file_size_limit: 15,
  workflow_file_upload_limit: 10,
};

const DISABLED = { enabled: false };

/** get_parameters_from_feature_dict: every feature with its default when absent. */
function parameters(features: Record<string, unknown>, userInputForm: unknown[]): Record<string, unknown> {
  const feature = (key: string, fallback: unknown): unknown => (features[key] === undefined || features[key] === null ? fallback : features[key]);
  return {
    opening_statement: feature('opening_statement', ''),
    suggested_questions: feature('suggested_questions', []),
    suggested_questions_after_answer: feature('suggested_questions_after_answer', DISABLED),
    speech_to_text: feature('speech_to_text', DISABLED),
    text_to_speech: feature('text_to_speech', DISABLED),
    retriever_resource: feature('retriever_resource', DISABLED),
    annotation_reply: feature('annotation_reply', DISABLED),
    more_like_this: feature('more_like_this', DISABLED),
    user_input_form: userInputForm,
    sensitive_word_avoidance: feature('sensitive_word_avoidance', { enabled: false, type: '', configs: [] }),
    file_upload: feature('file_upload', { image: { enabled: false, number_limits: 3, detail: 'high', transfer_methods: ['remote_url', 'local_file'] } }),
    system_parameters: SYSTEM_PARAMETERS,
  };
}

function getParameters(ctx: RequestContext) {
  const app = serviceApp(ctx);
  const unavailable = () => difyError(400, 'app_unavailable', APP_UNAVAILABLE);
  if (app.mode === 'workflow' || app.mode === 'advanced-chat') {
    const workflow = findPublished(ctx.world, app);
    if (!workflow) throw unavailable();
    return json(parameters(workflow.features, buildUserInputForm(startVariables(workflow.graph))));
  }
  const config = app.model_config;
  if (!config) throw unavailable();
  return json(parameters(config, Array.isArray(config.user_input_form) ? config.user_input_form : []));
}

function getInfo(ctx: RequestContext) {
  const app = serviceApp(ctx);
  const tags = app.tag_ids.map((id) => ctx.world.state.tags.find((t) => t.id === id)?.name).filter((n): n is string => n !== undefined);
  const base = { name: app.name, description: app.description, tags };
  if (!ctx.world.profile.serviceInfoHasMode) return json(base);
  return json({ ...base, mode: app.mode, author_name: findAccount(ctx.world, app.created_by)?.name ?? null });
}

function runView(ctx: RequestContext, run: SimRun | undefined): Record<string, unknown> {
  const stringShape = ctx.world.profile.workflowRunGetShape === 'string-null';
  return {
    id: run?.id ?? null,
    workflow_id: run?.workflow_id ?? null,
    status: run?.status ?? null,
    inputs: run ? pythonJsonDumps(run.inputs) : null,
    outputs: run?.outputs == null ? null : stringShape ? pythonJsonDumps(run.outputs) : run.outputs,
    error: run?.error ?? null,
    total_steps: run?.total_steps ?? null,
    total_tokens: run?.total_tokens ?? null,
    created_at: run?.created_at ?? null,
    finished_at: run?.finished_at ?? null,
    elapsed_time: run?.elapsed_time ?? null,
  };
}

function getWorkflowRun(ctx: RequestContext) {
  const app = serviceApp(ctx);
  if (app.mode !== 'workflow' && app.mode !== 'advanced-chat') {
    throw difyError(400, 'not_workflow_app', 'Please check if your app mode matches the right API route.');
  }
  const run = ctx.world.state.runs.find((r) => r.id === ctx.params.runId && r.app_id === app.id);
  if (!run && ctx.world.profile.workflowRunGetShape === 'object-404') throw notFound('Workflow run not found.');
  return json(runView(ctx, run));
}

export const routes: Route[] = [
  { method: 'GET', path: '/v1/parameters', auth: 'service', handler: getParameters },
  { method: 'GET', path: '/v1/info', auth: 'service', handler: getInfo },
  { method: 'GET', path: '/v1/meta', auth: 'service', handler: () => json({ tool_icons: {} }) },
  { method: 'GET', path: '/v1/workflows/run/:runId', auth: 'service', handler: getWorkflowRun },
];

