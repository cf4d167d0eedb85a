// Renders the prompts of LLM-family nodes into stub-model messages and invokes the stub model,
// including the provider-credential check that turns a missing key into a node failure.

import { normalizeProviderId } from '../../provider-id.js';
import type { NodeOutcome, RunContext } from '../context.js';
import { invokeStubModel, type PromptMessage, type Role } from '../stub-model.js';
import { renderTemplate } from '../template.js';
import type { TokenUsage } from '../types.js';
import { usageMetadata } from '../usage.js';
import { isRecord, isSelector, lookup, toText } from '../variable-pool.js';
import { renderJinjaOutcome, selectorVariables } from './basic.js';

export type ModelCall =
  | { ok: true; text: string; usage: TokenUsage; latencyMs: number; source: 'respond' | 'echo' }
  | { ok: false; outcome: NodeOutcome };

function role(raw: unknown): Role {
  return raw === 'system' || raw === 'assistant' ? raw : 'user';
}

/** `{{#context#}}` text: the context variable, with retrieval results joined by their content. */
function contextText(raw: unknown, ctx: RunContext): string | undefined {
  if (!isRecord(raw) || raw.enabled !== true || !isSelector(raw.variable_selector)) return undefined;
  const found = lookup(ctx.pool, raw.variable_selector);
  if (!found.found) return '';
  if (Array.isArray(found.value)) {
    return found.value.map((item) => (isRecord(item) && typeof item.content === 'string' ? item.content : toText(item))).join('\n');
  }
  return toText(found.value);
}

/** Messages of an llm node: chat prompt list, completion prompt object, jinja2 edition, memory query. */
export function llmMessages(data: Record<string, unknown>, ctx: RunContext): { ok: true; messages: PromptMessage[] } | { ok: false; error: string } {
  const context = contextText(data.context, ctx);
  const promptConfig = isRecord(data.prompt_config) ? data.prompt_config : {};
  const jinjaVariables = selectorVariables(promptConfig.jinja2_variables, ctx.pool);
  const items = Array.isArray(data.prompt_template) ? data.prompt_template : isRecord(data.prompt_template) ? [data.prompt_template] : [];
  const messages: PromptMessage[] = [];
  for (const item of items) {
    if (!isRecord(item)) continue;
    if (item.edition_type === 'jinja2') {
      const rendered = renderJinjaOutcome(typeof item.jinja2_text === 'string' ? item.jinja2_text : '', jinjaVariables);
      if (!rendered.ok) return rendered;
      messages.push({ role: role(item.role), text: rendered.text });
    } else {
      messages.push({ role: role(item.role), text: renderTemplate(typeof item.text === 'string' ? item.text : '', ctx.pool, context) });
    }
  }
  if (isRecord(data.memory) && ctx.mode === 'advanced-chat') {
    const template = typeof data.memory.query_prompt_template === 'string' && data.memory.query_prompt_template !== ''
      ? data.memory.query_prompt_template
      : '{{#sys.query#}}';
    messages.push({ role: 'user', text: renderTemplate(template, ctx.pool, context) });
  }
  return { ok: true, messages };
}

/** Calls the stub model for a node whose model config is `model` ({provider, name}). */
export function callModel(model: unknown, messages: PromptMessage[], ctx: RunContext): ModelCall {
  const config = isRecord(model) ? model : {};
  const provider = typeof config.provider === 'string' ? normalizeProviderId(config.provider) : null;
  const name = typeof config.name === 'string' ? config.name : typeof config.model === 'string' ? config.model : 'unknown';
  if (provider !== null && ctx.unavailableProviders.has(provider)) {
    return {
      ok: false,
      outcome: { status: 'failed', error: `Model ${name} credentials is not initialized.`, errorType: 'ProviderTokenNotInitError' },
    };
  }
  const reply = invokeStubModel(messages);
  if (!reply.ok) {
    return {
      ok: false,
      outcome: { status: 'failed', error: reply.error, errorType: 'InvokeError', usage: reply.usage, latencyMs: reply.latencyMs },
    };
  }
  return reply;
}

export function usageOutput(usage: TokenUsage, latencyMs: number): Record<string, unknown> {
  return { ...usageMetadata(usage, latencyMs / 1000) };
}

export function promptInputs(messages: readonly PromptMessage[]): Record<string, unknown> {
  return { prompts: messages.map((m) => ({ role: m.role, text: m.text })) };
}
