// The app shapes the console returns (contract §2.1–2.3): AppPartial (list), AppDetail (create,
// toggles) and AppDetailWithSite (GET, PUT, copy). Timestamps are int seconds; `workflow` is the
// published version's partial; `mode` is the stored mode.

import type { SimApp } from './state.js';
import { findDraft, findPublished, workflowPartial } from './workflows.js';
import { findAccount, type SimWorld } from './world.js';

const TRIGGER_TYPES = new Set(['trigger-webhook', 'trigger-schedule', 'trigger-plugin']);

function tagsOf(world: SimWorld, app: SimApp): { id: string; name: string; type: string }[] {
  return app.tag_ids
    .map((id) => world.state.tags.find((t) => t.id === id))
    .filter((t) => t !== undefined)
    .map((t) => ({ id: t.id, name: t.name, type: t.type }));
}

function iconUrl(app: SimApp): string | null {
  return app.icon_type === 'image' && app.icon ? `/files/${app.icon}/file-preview` : null;
}

function modelConfigMeta(app: SimApp): Record<string, unknown> {
  const at = app.model_config_updated_at ?? app.created_at;
  return { created_by: app.created_by, created_at: at, updated_by: app.updated_by, updated_at: at };
}

function descriptionOrPrompt(app: SimApp): string {
  if (app.description !== '' || app.model_config === null) return app.description;
  const prompt = app.model_config.pre_prompt;
  return typeof prompt === 'string' ? prompt.slice(0, 200) : app.description;
}

function hasDraftTrigger(world: SimWorld, app: SimApp): boolean {
  const nodes = findDraft(world, app.id)?.graph.nodes ?? [];
  return nodes.some((n) => {
    const type = (n as { data?: { type?: unknown } } | null)?.data?.type;
    return typeof type === 'string' && TRIGGER_TYPES.has(type);
  });
}

export function appPartialView(world: SimWorld, app: SimApp): Record<string, unknown> {
  const author = findAccount(world, app.created_by)?.name ?? null;
  return {
    id: app.id,
    name: app.name,
    max_active_requests: app.max_active_requests,
    description: descriptionOrPrompt(app),
    mode: app.mode,
    icon_type: app.icon_type,
    icon: app.icon,
    icon_background: app.icon_background,
    model_config:
      app.model_config === null
        ? null
        : { model: app.model_config.model ?? null, pre_prompt: app.model_config.pre_prompt ?? null, ...modelConfigMeta(app) },
    workflow: workflowPartial(findPublished(world, app)),
    use_icon_as_answer_icon: app.use_icon_as_answer_icon,
    created_by: app.created_by,
    created_at: app.created_at,
    updated_by: app.updated_by,
    updated_at: app.updated_at,
    tags: tagsOf(world, app),
    access_mode: null,
    create_user_name: author,
    author_name: author,
    has_draft_trigger: hasDraftTrigger(world, app),
    icon_url: iconUrl(app),
  };
}

export function appDetailView(world: SimWorld, app: SimApp): Record<string, unknown> {
  return {
    id: app.id,
    name: app.name,
    description: app.description,
    mode: app.mode,
    icon: app.icon,
    icon_background: app.icon_background,
    enable_site: app.enable_site,
    enable_api: app.enable_api,
    model_config: app.model_config === null ? null : { ...app.model_config, ...modelConfigMeta(app) },
    workflow: workflowPartial(findPublished(world, app)),
    tracing: null,
    use_icon_as_answer_icon: app.use_icon_as_answer_icon,
    created_by: app.created_by,
    created_at: app.created_at,
    updated_by: app.updated_by,
    updated_at: app.updated_at,
    access_mode: null,
    tags: tagsOf(world, app),
  };
}

/** `host` is the request's Host header: Dify builds api_base_url and app_base_url from it. */
export function appDetailWithSiteView(world: SimWorld, app: SimApp, host: string): Record<string, unknown> {
  return {
    ...appDetailView(world, app),
    icon_type: app.icon_type,
    api_base_url: `http://${host}/v1`,
    max_active_requests: app.max_active_requests,
    deleted_tools: [],
    site: {
      access_token: app.site_code,
      code: app.site_code,
      title: app.name,
      icon_type: app.icon_type,
      icon: app.icon,
      icon_background: app.icon_background,
      description: app.description,
      default_language: 'en-US',
      chat_color_theme: null,
      chat_color_theme_inverted: false,
      customize_domain: null,
      copyright: null,
      privacy_policy: null,
      custom_disclaimer: '',
      customize_token_strategy: 'not_allow',
      prompt_public: false,
      app_base_url: `http://${host}`,
      show_workflow_steps: true,
      use_icon_as_answer_icon: app.use_icon_as_answer_icon,
      created_by: app.created_by,
      created_at: app.created_at,
      updated_by: app.updated_by,
      updated_at: app.updated_at,
      icon_url: iconUrl(app),
    },
    icon_url: iconUrl(app),
  };
}
