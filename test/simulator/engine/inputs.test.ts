import { describe, expect, it } from 'vitest';
import { buildUserInputForm, startVariables, validateInputs, variablesFromUserInputForm } from '../../../src/simulator/engine/inputs.js';
import { runModelConfig } from '../../../src/simulator/engine/model-config-run.js';

const vars = [
  { variable: 'name', label: 'Name', type: 'text-input', required: true, max_length: 5 },
  { variable: 'bio', type: 'paragraph', required: false, default: 'none' },
  { variable: 'lang', type: 'select', required: false, options: ['en', "d'e"] },
  { variable: 'age', type: 'number', required: false },
  { variable: 'ok', type: 'checkbox', required: false },
  { variable: 'cfg', type: 'json_object', required: false },
  { variable: 'doc', type: 'file', required: false },
];

describe('validateInputs', () => {
  it('keeps only declared variables, applies defaults and coerces numbers and checkboxes', () => {
    expect(validateInputs(vars, { name: 'Ada', age: '42', ok: 'yes', extra: 1, doc: '' })).toEqual({
      ok: true,
      inputs: { name: 'Ada', bio: 'none', lang: null, age: 42, ok: true, cfg: null, doc: null },
    });
    expect(validateInputs(vars, { name: 'Ada', age: '4.5' })).toMatchObject({ inputs: { age: 4.5 } });
    expect(validateInputs(vars, { name: 'Ada', age: ' ' })).toMatchObject({ inputs: { age: null } });
  });

  it.each([
    [{}, 'name is required in input form'],
    [{ name: null }, 'name is required in input form'],
    [{ name: 'toolong' }, 'name in input form must be less than 5 characters'],
    [{ name: 5 }, "(type 'text-input') name in input form must be a string"],
    [{ name: 'a', lang: 'fr' }, "lang in input form must be one of the following: ['en', 'd\\'e']"],
    [{ name: 'a', age: 'many' }, 'age in input form must be a valid number'],
    [{ name: 'a', age: '1e' }, 'age in input form must be a valid number'],
    [{ name: 'a', cfg: [1] }, 'cfg in input form must be a dict'],
    [{ name: 'a', doc: 'x' }, 'doc in input form must be a file'],
  ])('%j → %s', (inputs, message) => {
    expect(validateInputs(vars, inputs)).toEqual({ ok: false, message });
  });

  it('counts characters as code points for max_length', () => {
    expect(validateInputs(vars, { name: '😀😀😀😀😀' })).toMatchObject({ ok: true });
  });
});

describe('user_input_form', () => {
  it('builds the old-style list from start variables and back', () => {
    const graph = { nodes: [{ id: 's', type: 'custom', data: { type: 'start', variables: vars.slice(0, 2) } }], edges: [] };
    const form = buildUserInputForm(startVariables(graph));
    expect(form).toEqual([{ 'text-input': vars[0] }, { paragraph: vars[1] }]);
    expect(variablesFromUserInputForm(form)).toEqual(vars.slice(0, 2));
    expect(startVariables({ nodes: [], edges: [] })).toEqual([]);
  });
});

describe('runModelConfig', () => {
  const modelConfig = { model: { provider: 'openai', name: 'gpt-4o', mode: 'chat' }, pre_prompt: 'You are {{persona}}.', prompt_type: 'simple' };

  it('chat apps: pre_prompt with inputs as system, query as user', () => {
    const result = runModelConfig({ mode: 'chat', modelConfig, inputs: { persona: 'kind' }, query: 'hello' });
    // prompt "You are kind.\nhello" = 19 chars → 5 tokens; reply "echo: hello" → 3 tokens
    expect(result).toEqual({ answer: 'echo: hello', usage: { promptTokens: 5, completionTokens: 3, totalTokens: 8 }, error: null, latencyMs: 0 });
  });

  it('completion apps put the pre_prompt and query into one user message', () => {
    const result = runModelConfig({ mode: 'completion', modelConfig: { ...modelConfig, pre_prompt: 'Translate {{text}}' }, inputs: { text: 'hola' }, query: '' });
    expect(result.answer).toBe('echo: Translate hola');
  });

  it('advanced prompts and directives; FAIL maps to completion_request_error', () => {
    const advanced = { ...modelConfig, prompt_type: 'advanced', chat_prompt_config: { prompt: [{ role: 'system', text: 'RESPOND: fixed {{persona}}' }] } };
    expect(runModelConfig({ mode: 'agent-chat', modelConfig: advanced, inputs: { persona: 'p' }, query: 'q' }).answer).toBe('fixed p');
    const failing = runModelConfig({ mode: 'chat', modelConfig: { ...modelConfig, pre_prompt: 'FAIL: no quota' }, inputs: {}, query: 'q' });
    expect(failing.error).toEqual({ code: 'completion_request_error', message: 'no quota' });
  });

  it('provider without a valid credential → provider_not_initialize', () => {
    const result = runModelConfig({ mode: 'chat', modelConfig, inputs: {}, query: 'q', unavailableProviders: ['langgenius/openai/openai'] });
    expect(result.error).toEqual({ code: 'provider_not_initialize', message: 'Model gpt-4o credentials is not initialized.' });
  });
});
