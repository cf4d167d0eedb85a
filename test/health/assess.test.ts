import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import type { OutputSchema } from '../../src/config/types.js';
import { assessAttempt, assessHealth, assessHealthCheck } from '../../src/health/assess.js';
import type { HealthAttempt } from '../../src/health/types.js';
import { healthCheck } from '../support/plan-builders.js';

function schema(definition: object, name = 'verdict'): OutputSchema {
  const validate = new Ajv({ allErrors: true }).compile(definition);
  return {
    name,
    file: `schemas/outputs/${name}.schema.yaml`,
    schema: definition,
    check: (value) => (validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`)),
    validate,
  };
}

const VERDICT = schema({ type: 'object', required: ['verdict'], properties: { verdict: { enum: ['ok', 'bad'] } } });
const ok = (outputs: Record<string, unknown>, extra: Partial<HealthAttempt> = {}): HealthAttempt => ({ status: 'succeeded', outputs, latencyMs: 100, totalTokens: 20, ...extra });

describe('assessAttempt', () => {
  it('passes a succeeded run whose named output is fenced JSON with a trailing comma (repair) that satisfies the schema', () => {
    const check = healthCheck({ subject: { kind: 'output', name: 'result' }, json: true, schema: VERDICT });
    const verdict = assessAttempt(check, ok({ result: 'Here:\n```json\n{"verdict": "ok",}\n```' }));
    expect(verdict).toEqual({ passed: true, reasons: [], latencyMs: 100, totalTokens: 20 });
  });

  it('fails when the output parses but breaks the schema, naming the schema and the field', () => {
    const check = healthCheck({ subject: { kind: 'output', name: 'result' }, json: true, schema: VERDICT });
    const verdict = assessAttempt(check, ok({ result: '{"verdict": "maybe"}' }));
    expect(verdict.passed).toBe(false);
    expect(verdict.reasons.join('\n')).toMatch(/output `result` does not satisfy schema verdict: \/verdict/);
  });

  it('fails when the output is not JSON even after repair', () => {
    const check = healthCheck({ subject: { kind: 'output', name: 'result' }, json: true });
    const verdict = assessAttempt(check, ok({ result: 'I cannot answer that.' }));
    expect(verdict.reasons[0]).toMatch(/is not JSON even after repair/);
  });

  it('fails a failed run (HTTP 200 with status failed) and quotes the run error', () => {
    const verdict = assessAttempt(healthCheck(), { status: 'failed', runError: 'model exploded', outputs: null, latencyMs: 5 });
    expect(verdict.reasons).toContain('run status is failed, expected succeeded: model exploded');
  });

  it('reports a missing named output and a transport error', () => {
    const check = healthCheck({ subject: { kind: 'output', name: 'answer' } });
    expect(assessAttempt(check, ok({ result: 'x' })).reasons).toEqual(['the run has no output `answer`']);
    expect(assessAttempt(check, { error: 'timed out after 10000 ms', latencyMs: 10_000 }).reasons).toEqual(['the call failed: timed out after 10000 ms']);
  });

  it('checks contains, notContains and regex on the chat answer', () => {
    const check = healthCheck({ status: undefined, subject: { kind: 'answer' }, contains: ['hello'], notContains: ['error'], regex: '^[a-z ]+$' });
    expect(assessAttempt(check, { answer: 'hello there', latencyMs: 1 }).passed).toBe(true);
    const bad = assessAttempt(check, { answer: 'Error: HELLO', latencyMs: 1 });
    expect(bad.reasons).toEqual(['the answer does not contain "hello"', 'the answer does not match /^[a-z ]+$/']);
    expect(assessAttempt(check, { answer: 'hello error', latencyMs: 1 }).reasons).toEqual(['the answer contains "error", which it must not']);
  });

  it('checks latency and token ceilings, and fails closed when tokens are not reported', () => {
    const check = healthCheck({ maxLatencyMs: 500, maxTokens: 10 });
    expect(assessAttempt(check, ok({ a: 1 }, { latencyMs: 900, totalTokens: 30 })).reasons).toEqual([
      'latency 900 ms is over the limit of 500 ms',
      'used 30 tokens, over the limit of 10',
    ]);
    const { totalTokens: _drop, ...noTokens } = ok({ a: 1 }, { latencyMs: 1 });
    expect(assessAttempt(check, noTokens).reasons).toEqual(['the response did not report token usage, so maxTokens cannot be checked']);
  });
});

describe('assessHealthCheck', () => {
  it('applies the N-of-M rule', () => {
    const check = healthCheck({ contains: ['good'] }, { attempts: 3, minPasses: 2 });
    const good = ok({ r: 'good' });
    const bad = ok({ r: 'nope' });
    const two = assessHealthCheck(check, [good, bad, good]);
    expect(two).toMatchObject({ passed: true, passes: 2, attempts: 3, required: 2, summary: '2/3 attempts passed (needs 2)' });
    const one = assessHealthCheck(check, [bad, good, bad]);
    expect(one.passed).toBe(false);
    expect(one.summary).toBe('1/3 attempts passed (needs 2); the outputs object does not contain "good"');
  });

  it('fails a check that made no attempts', () => {
    expect(assessHealthCheck(healthCheck({}, { minPasses: 0 }), []).passed).toBe(false);
  });

  it('reports overall health as the conjunction of the checks', () => {
    const check = healthCheck();
    const pass = assessHealthCheck(check, [ok({ a: 1 })]);
    const fail = assessHealthCheck(check, [{ status: 'failed', latencyMs: 1 }]);
    expect(assessHealth([pass]).passed).toBe(true);
    expect(assessHealth([pass, fail]).passed).toBe(false);
  });
});
