import { describe, expect, it } from 'vitest';
import { countTokens, invokeStubModel, MAX_SLEEP_MS } from '../../../src/simulator/engine/stub-model.js';
import { totalPrice, usageMetadata } from '../../../src/simulator/engine/usage.js';

describe('stub model', () => {
  it('echoes the last user message, trimmed, when no directive is present', () => {
    const reply = invokeStubModel([
      { role: 'system', text: 'You are terse.' },
      { role: 'user', text: 'first' },
      { role: 'assistant', text: 'ok' },
      { role: 'user', text: '  second question \n' },
    ]);
    expect(reply).toMatchObject({ ok: true, text: 'echo: second question' });
  });

  it('falls back to the last message of any role when there is no user message', () => {
    expect(invokeStubModel([{ role: 'system', text: 'only system' }])).toMatchObject({ ok: true, text: 'echo: only system' });
    expect(invokeStubModel([])).toMatchObject({ ok: true, text: 'echo: ' });
  });

  it('answers with the last RESPOND line and decodes \\n, \\t and \\\\ escapes', () => {
    const reply = invokeStubModel([
      { role: 'system', text: 'RESPOND: from system' },
      { role: 'user', text: 'hello\n   RESPOND: line1\\nline2\\ttab\\\\n' },
    ]);
    expect(reply).toMatchObject({ ok: true, text: 'line1\nline2\ttab\\n' });
  });

  it('fails on the first FAIL line even when RESPOND is present', () => {
    const reply = invokeStubModel([{ role: 'user', text: 'RESPOND: ok\nFAIL: quota exceeded\nFAIL: second' }]);
    expect(reply).toMatchObject({ ok: false, error: 'quota exceeded' });
    expect(reply.usage.completionTokens).toBe(0);
  });

  it('reads SLEEP_MS as latency, capped, and ignores garbage', () => {
    expect(invokeStubModel([{ role: 'user', text: 'SLEEP_MS: 250' }]).latencyMs).toBe(250);
    expect(invokeStubModel([{ role: 'user', text: 'SLEEP_MS: 99999999' }]).latencyMs).toBe(MAX_SLEEP_MS);
    expect(invokeStubModel([{ role: 'user', text: 'SLEEP_MS: soon' }]).latencyMs).toBe(0);
    expect(invokeStubModel([{ role: 'user', text: 'no directive' }]).latencyMs).toBe(0);
    // Directive lines are not echoed, so a SLEEP_MS line does not change the answer.
    expect(invokeStubModel([{ role: 'user', text: 'SLEEP_MS: 5\nhello' }])).toMatchObject({ ok: true, text: 'echo: hello' });
  });

  it('only treats directives at the start of a line as directives', () => {
    expect(invokeStubModel([{ role: 'user', text: 'please RESPOND: x' }])).toMatchObject({ ok: true, text: 'echo: please RESPOND: x' });
  });

  it('counts tokens as ceil(code points / 4) for prompt and reply', () => {
    expect(countTokens('')).toBe(0);
    expect(countTokens('abcd')).toBe(1);
    expect(countTokens('abcde')).toBe(2);
    expect(countTokens('😀😀😀😀😀')).toBe(2);
    const reply = invokeStubModel([
      { role: 'system', text: 'sys' },
      { role: 'user', text: 'hello' },
    ]);
    // prompt "sys\nhello" = 9 chars → 3 tokens; reply "echo: hello" = 11 chars → 3 tokens
    expect(reply.usage).toEqual({ promptTokens: 3, completionTokens: 3, totalTokens: 6 });
  });

  it('prices usage as decimal strings with seven decimals', () => {
    const meta = usageMetadata({ promptTokens: 12, completionTokens: 5, totalTokens: 17 }, 0.9104);
    expect(meta).toMatchObject({
      prompt_price: '0.0000120',
      completion_price: '0.0000100',
      total_price: '0.0000220',
      prompt_unit_price: '0.001',
      completion_unit_price: '0.002',
      currency: 'USD',
      latency: 0.91,
    });
    expect(totalPrice({ promptTokens: 1_000_000, completionTokens: 0, totalTokens: 1_000_000 })).toBe('1.0000000');
  });
});
