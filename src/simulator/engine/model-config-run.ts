// runModelConfig: chat, agent-chat and completion apps answer through the stub model from their
// model_config: pre_prompt with `{{var}}` inputs (simple prompts) or the advanced chat/completion
// prompt config, plus the query. Failures map to Dify's error codes (completion_request_error,
// provider_not_initialize) because these apps surface model errors as HTTP errors.

import { normalizeProviderId } from '../provider-id.js';
import { invokeStubModel, type PromptMessage, type Role } from './stub-model.js';
import type { ModelConfigRunRequest, ModelConfigRunResult } from './types.js';
import { isRecord, str, toText } from './variable-pool.js';

/** `{{name}}` → input value; `{{#query#}}` → query; `{{#context#}}`/`{{#histories#}}` → ''. */
export function renderSimplePrompt(template: string, inputs: Record<string, unknown>, query: string): string {
  return template
    .replace(/\{\{#query#\}\}/g, () => query)
    .replace(/\{\{#(context|histories)#\}\}/g, '')
    .replace(/\{\{([a-zA-Z_][a-zA-Z0-9_]{0,29})\}\}/g, (whole, name: string) => (Object.hasOwn(inputs, name) ? toText(inputs[name]) : whole));
}

function toRole(raw: unknown): Role {
  return raw === 'system' || raw === 'assistant' ? raw : 'user';
}

function buildMessages(request: ModelConfigRunRequest): PromptMessage[] {
  const config = request.modelConfig;
  const render = (text: unknown): string => renderSimplePrompt(str(text), request.inputs, request.query);
  if (config.prompt_type === 'advanced') {
    const chat = isRecord(config.chat_prompt_config) ? config.chat_prompt_config : {};
    const completion = isRecord(config.completion_prompt_config) ? config.completion_prompt_config : {};
    if (Array.isArray(chat.prompt) && chat.prompt.length > 0) {
      const messages = chat.prompt.filter(isRecord).map((m): PromptMessage => ({ role: toRole(m.role), text: render(m.text) }));
      return request.query ? [...messages, { role: 'user', text: request.query }] : messages;
    }
    if (isRecord(completion.prompt)) return [{ role: 'user', text: render(completion.prompt.text) }];
  }
  const prePrompt = render(config.pre_prompt);
  if (request.mode === 'completion') {
    return [{ role: 'user', text: request.query ? `${prePrompt}\n${request.query}` : prePrompt }];
  }
  return [...(prePrompt ? [{ role: 'system' as const, text: prePrompt }] : []), { role: 'user', text: request.query }];
}

export function runModelConfig(request: ModelConfigRunRequest): ModelConfigRunResult {
  const model = isRecord(request.modelConfig.model) ? request.modelConfig.model : {};
  const provider = typeof model.provider === 'string' ? normalizeProviderId(model.provider) : null;
  if (provider !== null && (request.unavailableProviders ?? []).includes(provider)) {
    return {
      answer: '',
      usage: { promptTokens: 0, completionTokens: 0, totalTokens: 0 },
      error: { code: 'provider_not_initialize', message: `Model ${str(model.name, 'unknown')} credentials is not initialized.` },
      latencyMs: 0,
    };
  }
  const reply = invokeStubModel(buildMessages(request));
  if (!reply.ok) {
    return { answer: '', usage: reply.usage, error: { code: 'completion_request_error', message: reply.error }, latencyMs: reply.latencyMs };
  }
  return { answer: reply.text, usage: reply.usage, error: null, latencyMs: reply.latencyMs };
}
