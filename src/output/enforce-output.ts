// Structured-output enforcement: repair, then validate against the output's JSON Schema, then
// apply the fallback policy (instructor's order). Text goes through extractJson; a value that is
// already structured (Dify workflow `outputs` can be objects) is validated as it is. Pure: the
// caller compiles the schema once (see schema-registry.ts) and passes the validator in.

import type { ValidateFunction } from 'ajv';
import { extractJson } from './extract-json.js';
import { formatSchemaErrors } from './format-schema-errors.js';

/**
 * What to do when the output cannot be parsed or does not satisfy the schema:
 * `fail` reports it (ok: false); `default` substitutes a value (which must satisfy the schema);
 * `null` substitutes null (the caller decided null means "no answer").
 */
export type FallbackPolicy = { policy: 'fail' } | { policy: 'default'; value: unknown } | { policy: 'null' };

export interface EnforceOutputOptions {
  /** A compiled ajv validator; compile with `allErrors` and `verbose` for the best reasons. */
  schema: ValidateFunction;
  /** Default: `{ policy: 'fail' }`. */
  fallback?: FallbackPolicy;
}

export interface EnforcedOutput {
  /** The caller may use `value`: the output was valid, or a fallback stood in for it. */
  ok: boolean;
  /** The output (parsed, repaired) when valid; the fallback when one was used; otherwise whatever parsed, or null. */
  value: unknown;
  /** The model's own output satisfied the schema (possibly after repair). */
  valid: boolean;
  /** Parsing needed at least one step (fence, prose, repair, decoding). */
  repaired: boolean;
  /** Every repair step, then every parse or schema problem, then the fallback taken, in words. */
  reasons: string[];
  usedFallback: boolean;
}

export function enforceOutput(raw: unknown, options: EnforceOutputOptions): EnforcedOutput {
  const fallback = options.fallback ?? { policy: 'fail' };
  const reasons: string[] = [];
  let value: unknown = null;
  let parsed = false;
  let repaired = false;

  if (typeof raw === 'string') {
    const extracted = extractJson(raw);
    reasons.push(...extracted.steps);
    repaired = extracted.steps.length > 0;
    if (extracted.ok) {
      value = extracted.value;
      parsed = true;
    } else {
      reasons.push(`not JSON: ${extracted.error}`);
    }
  } else if (raw === undefined) {
    reasons.push('not JSON: there is no output');
  } else {
    value = raw;
    parsed = true;
  }

  if (parsed) {
    if (options.schema(value)) return { ok: true, value, valid: true, repaired, reasons, usedFallback: false };
    reasons.push(...formatSchemaErrors(options.schema.errors));
  }

  switch (fallback.policy) {
    case 'fail':
      return { ok: false, value, valid: false, repaired, reasons, usedFallback: false };
    case 'null':
      reasons.push('used the fallback: null');
      return { ok: true, value: null, valid: false, repaired, reasons, usedFallback: true };
    case 'default': {
      if (!options.schema(fallback.value)) {
        const problems = formatSchemaErrors(options.schema.errors).map((line) => `fallback default ${line}`);
        reasons.push('the fallback default does not satisfy the schema either', ...problems);
        return { ok: false, value, valid: false, repaired, reasons, usedFallback: false };
      }
      reasons.push('used the fallback: the default value');
      return { ok: true, value: fallback.value, valid: false, repaired, reasons, usedFallback: true };
    }
  }
}
