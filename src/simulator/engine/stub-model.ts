// The simulator's built-in model: a deterministic function of the rendered prompt, so that
// editing a prompt or the graph really changes run outputs (and can really fail a health check).
//
// Rule (documented in docs/simulator.md, "Stub model"): the prompt is the rendered messages
// joined with "\n". Scanning it line by line (leading whitespace ignored):
//   FAIL: <message>     the invocation fails with <message> (the first FAIL line wins);
//   RESPOND: <text>     the reply is <text> with \n, \t and \\ escapes decoded (the last one wins);
//   SLEEP_MS: <n>       the invocation takes n ms (last one wins, capped at 60000); the HTTP layer
//                       waits that long, which is what makes SSE pings observable.
// Otherwise the reply is `echo: <last user message>` — that message with its directive lines
// removed, then trimmed (the last message of any role when there is no user message). Tokens: ceil(characters / 4) of the prompt and of the reply,
// counting Unicode code points; a failed call has 0 completion tokens.

import type { TokenUsage } from './types.js';

export type Role = 'system' | 'user' | 'assistant';
export interface PromptMessage {
  role: Role;
  text: string;
}

export type StubReply =
  | { ok: true; text: string; usage: TokenUsage; latencyMs: number; source: 'respond' | 'echo' }
  | { ok: false; error: string; usage: TokenUsage; latencyMs: number };

const DIRECTIVE = /^\s*(RESPOND|FAIL|SLEEP_MS):[ \t]?(.*)$/;
export const MAX_SLEEP_MS = 60_000;

export function countTokens(text: string): number {
  return Math.ceil([...text].length / 4);
}

export function promptText(messages: readonly PromptMessage[]): string {
  return messages.map((m) => m.text).join('\n');
}

function decodeEscapes(text: string): string {
  return text.replace(/\\(n|t|\\)/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : '\\'));
}

export function invokeStubModel(messages: readonly PromptMessage[]): StubReply {
  const prompt = promptText(messages);
  const promptTokens = countTokens(prompt);
  let respond: string | null = null;
  let failure: string | null = null;
  let latencyMs = 0;
  for (const line of prompt.split('\n')) {
    const m = DIRECTIVE.exec(line);
    if (!m) continue;
    const value = (m[2] ?? '').trimEnd();
    if (m[1] === 'FAIL') failure ??= decodeEscapes(value);
    else if (m[1] === 'RESPOND') respond = decodeEscapes(value);
    else {
      const n = Number.parseInt(value, 10);
      latencyMs = Number.isFinite(n) && n > 0 ? Math.min(n, MAX_SLEEP_MS) : 0;
    }
  }
  if (failure !== null) {
    return { ok: false, error: failure, latencyMs, usage: { promptTokens, completionTokens: 0, totalTokens: promptTokens } };
  }
  const text = respond ?? `echo: ${lastUserText(messages).trim()}`;
  const completionTokens = countTokens(text);
  const usage = { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens };
  return { ok: true, text, latencyMs, usage, source: respond === null ? 'echo' : 'respond' };
}

function lastUserText(messages: readonly PromptMessage[]): string {
  const user = messages.filter((m) => m.role === 'user').at(-1);
  const text = (user ?? messages.at(-1))?.text ?? '';
  return text
    .split('\n')
    .filter((line) => !DIRECTIVE.test(line))
    .join('\n');
}

export function addUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  return {
    promptTokens: a.promptTokens + b.promptTokens,
    completionTokens: a.completionTokens + b.completionTokens,
    totalTokens: a.totalTokens + b.totalTokens,
  };
}

export const ZERO_USAGE: TokenUsage = { promptTokens: 0, completionTokens: 0, totalTokens: 0 };
