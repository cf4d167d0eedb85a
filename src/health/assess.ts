// Judges health-check attempts (Argo Rollouts' analysis: read a value, compare, count passes).
// Per attempt: run status; the subject (all outputs, one named output, or the chat answer) parsed
// as JSON after repair (src/output) and validated against the output schema; contains,
// not-contains and regex; latency and token ceilings. A check passes when at least `minPasses` of
// its attempts pass. Every failure is a sentence a reviewer can act on. Pure.

import type { HealthCheck, HealthExpectation } from '../config/types.js';
import { extractJson } from '../output/extract-json.js';
import type { AttemptVerdict, HealthAttempt, HealthCheckResult, HealthReport } from './types.js';

export function assessAttempt(check: HealthCheck, attempt: HealthAttempt): AttemptVerdict {
  const verdict = (reasons: string[]): AttemptVerdict => ({ passed: reasons.length === 0, reasons, latencyMs: attempt.latencyMs, totalTokens: attempt.totalTokens });
  if (attempt.error !== undefined) return verdict([`the call failed: ${attempt.error}`]);

  const expect = check.expect;
  const reasons: string[] = [];
  if (expect.status !== undefined && attempt.status !== expect.status) {
    const why = attempt.runError ? `: ${attempt.runError}` : '';
    reasons.push(`run status is ${attempt.status ?? 'unknown'}, expected ${expect.status}${why}`);
  }
  const subject = subjectOf(expect, attempt);
  if (!subject.found) reasons.push(subject.missing);
  else reasons.push(...assessSubject(expect, subject.value));

  if (expect.maxLatencyMs !== undefined && attempt.latencyMs > expect.maxLatencyMs) {
    reasons.push(`latency ${Math.round(attempt.latencyMs)} ms is over the limit of ${expect.maxLatencyMs} ms`);
  }
  if (expect.maxTokens !== undefined) {
    if (attempt.totalTokens === undefined) reasons.push('the response did not report token usage, so maxTokens cannot be checked');
    else if (attempt.totalTokens > expect.maxTokens) reasons.push(`used ${attempt.totalTokens} tokens, over the limit of ${expect.maxTokens}`);
  }
  return verdict(reasons);
}

export function assessHealthCheck(check: HealthCheck, attempts: readonly HealthAttempt[]): HealthCheckResult {
  const verdicts = attempts.map((attempt) => assessAttempt(check, attempt));
  const passes = verdicts.filter((v) => v.passed).length;
  const required = check.minPasses;
  const passed = attempts.length > 0 && passes >= required;
  const firstFailure = verdicts.find((v) => !v.passed)?.reasons[0];
  const summary = `${passes}/${attempts.length} attempts passed (needs ${required})${!passed && firstFailure ? `; ${firstFailure}` : ''}`;
  return { name: check.name, passed, passes, attempts: attempts.length, required, verdicts, summary };
}

export function assessHealth(results: readonly HealthCheckResult[]): HealthReport {
  return { passed: results.every((r) => r.passed), checks: [...results] };
}

type Subject = { found: true; value: unknown } | { found: false; missing: string };

function subjectOf(expect: HealthExpectation, attempt: HealthAttempt): Subject {
  switch (expect.subject.kind) {
    case 'answer':
      return attempt.answer === undefined ? { found: false, missing: 'the response has no answer' } : { found: true, value: attempt.answer };
    case 'outputs':
      return attempt.outputs == null ? { found: false, missing: 'the run has no outputs' } : { found: true, value: attempt.outputs };
    case 'output': {
      const { name } = expect.subject;
      if (attempt.outputs == null || !Object.hasOwn(attempt.outputs, name)) return { found: false, missing: `the run has no output \`${name}\`` };
      return { found: true, value: attempt.outputs[name] };
    }
  }
}

function assessSubject(expect: HealthExpectation, raw: unknown): string[] {
  const reasons: string[] = [];
  const label = expect.subject.kind === 'output' ? `output \`${expect.subject.name}\`` : expect.subject.kind === 'answer' ? 'the answer' : 'the outputs object';
  if (expect.json) {
    let value: unknown = raw;
    let parsed = true;
    if (typeof raw === 'string') {
      const extracted = extractJson(raw);
      parsed = extracted.ok;
      if (extracted.ok) value = extracted.value;
      else reasons.push(`${label} is not JSON even after repair: ${extracted.error}`);
    }
    if (parsed && expect.schema !== undefined) {
      const problems = expect.schema.check(value);
      if (problems.length > 0) reasons.push(`${label} does not satisfy schema ${expect.schema.name}: ${problems.join('; ')}`);
    }
  }
  const text = typeof raw === 'string' ? raw : JSON.stringify(raw) ?? '';
  for (const needle of expect.contains) if (!text.includes(needle)) reasons.push(`${label} does not contain ${JSON.stringify(needle)}`);
  for (const needle of expect.notContains) if (text.includes(needle)) reasons.push(`${label} contains ${JSON.stringify(needle)}, which it must not`);
  if (expect.regex !== undefined) {
    let pattern: RegExp | undefined;
    try {
      pattern = new RegExp(expect.regex);
    } catch (error) {
      reasons.push(`regex ${expect.regex} is invalid: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (pattern !== undefined && !pattern.test(text)) reasons.push(`${label} does not match /${expect.regex}/`);
  }
  return reasons;
}
