// App rows (contract §2): creation with its Site code and default model config, deletion with
// its cascade, the `get_app_model` lookup with mode restriction, and the default model config a
// chat-family app starts with.

import { randomBytes } from 'node:crypto';
import { appNotFound } from './http/errors.js';
import type { AppMode, SimAccount, SimApp } from './state.js';
import { findApp, type SimWorld } from './world.js';

export const ALL_MODES: readonly AppMode[] = ['completion', 'workflow', 'chat', 'advanced-chat', 'agent-chat'];
export const WORKFLOW_MODES: readonly AppMode[] = ['advanced-chat', 'workflow'];
export const CHAT_FAMILY_MODES: readonly AppMode[] = ['agent-chat', 'chat', 'completion'];

/** `get_app_model(mode=…)`: 404 app_not_found for another workspace, or the wrong mode. */
export function requireApp(world: SimWorld, appId: string, modes?: readonly AppMode[]): SimApp {
  const app = findApp(world, appId);
  if (!app) throw appNotFound();
  if (modes && !modes.includes(app.mode)) {
    throw appNotFound(`App mode is not in the supported list: {${modes.map((m) => `'${m}'`).join(', ')}}`);
  }
  return app;
}

export interface NewApp {
  name: string;
  description: string;
  mode: AppMode;
  icon_type: SimApp['icon_type'];
  icon: string;
  icon_background: string;
  use_icon_as_answer_icon?: boolean;
}

export function createApp(world: SimWorld, account: SimAccount, input: NewApp): SimApp {
  const now = world.nowSeconds();
  const app: SimApp = {
    id: world.newId(),
    tenant_id: world.state.workspace.id,
    name: input.name,
    description: input.description,
    mode: input.mode,
    icon_type: input.icon_type,
    icon: input.icon,
    icon_background: input.icon_background,
    use_icon_as_answer_icon: input.use_icon_as_answer_icon ?? false,
    enable_site: true,
    enable_api: true,
    max_active_requests: null,
    workflow_id: null,
    model_config: null,
    model_config_updated_at: null,
    site_code: siteCode(),
    tag_ids: [],
    created_by: account.id,
    created_at: now,
    updated_by: account.id,
    updated_at: now,
  };
  world.state.apps.push(app);
  return app;
}

/** Deletes the app row and, like Dify's background task, its keys, workflows, runs and bindings. */
export function deleteApp(world: SimWorld, app: SimApp): void {
  const s = world.state;
  s.apps = s.apps.filter((a) => a.id !== app.id);
  s.apiKeys = s.apiKeys.filter((k) => k.app_id !== app.id);
  s.workflows = s.workflows.filter((w) => w.app_id !== app.id);
  s.runs = s.runs.filter((r) => r.app_id !== app.id);
  s.conversations = s.conversations.filter((c) => c.app_id !== app.id);
  s.dependencyChecks = s.dependencyChecks.filter((d) => d.app_id !== app.id);
}

/** Random 16-character Site code (web-app access token). */
function siteCode(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return [...randomBytes(16)].map((b) => alphabet[b % alphabet.length]).join('');
}

/** The model config a new chat/agent-chat/completion app starts with (constants/model_template.py). */
export function defaultModelConfig(mode: AppMode): Record<string, unknown> {
  const completion = mode === 'completion';
  return {
    opening_statement: '',
    suggested_questions: [],
    suggested_questions_after_answer: { enabled: false },
    speech_to_text: { enabled: false },
    text_to_speech: { enabled: false, voice: '', language: '' },
    retriever_resource: { enabled: !completion },
    annotation_reply: { enabled: false },
    more_like_this: { enabled: false },
    sensitive_word_avoidance: { enabled: false, type: '', configs: [] },
    external_data_tools: [],
    model: { provider: 'langgenius/openai/openai', name: 'gpt-4o', mode: 'chat', completion_params: {} },
    user_input_form: completion ? [{ paragraph: { label: 'Query', variable: 'query', required: true, default: '' } }] : [],
    dataset_query_variable: '',
    pre_prompt: completion ? '{{query}}' : '',
    agent_mode: { enabled: mode === 'agent-chat', max_iteration: 5, strategy: 'function_call', tools: [] },
    prompt_type: 'simple',
    chat_prompt_config: {},
    completion_prompt_config: {},
    dataset_configs: { retrieval_model: 'multiple' },
    file_upload: { image: { enabled: false, number_limits: 3, detail: 'high', transfer_methods: ['remote_url', 'local_file'] } },
  };
}

/** The §5.1 model_config keys, in AppModelConfig.to_dict order. */
export const MODEL_CONFIG_KEYS = [
  'opening_statement', 'suggested_questions', 'suggested_questions_after_answer', 'speech_to_text', 'text_to_speech',
  'retriever_resource', 'annotation_reply', 'more_like_this', 'sensitive_word_avoidance', 'external_data_tools', 'model',
  'user_input_form', 'dataset_query_variable', 'pre_prompt', 'agent_mode', 'prompt_type', 'chat_prompt_config',
  'completion_prompt_config', 'dataset_configs', 'file_upload',
] as const;

/** Keeps the known model_config keys (AppModelConfig stores only its columns). */
export function pickModelConfig(input: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of MODEL_CONFIG_KEYS) if (key in input) out[key] = input[key];
  return out;
}
