// Schema validity of one app's answer, after repair (src/output's enforceOutput): the answer text
// of chat-family and completion apps is extracted and repaired; a workflow's outputs object (or
// one output of it, `--output <name>`) is validated as it is, or extracted when it is a string.
// Pure.

import type { ValidateFunction } from 'ajv';
import { enforceOutput } from '../output/index.js';
import type { Invocation, SchemaVerdict } from './types.js';

export interface OutputCheck {
  /** The schema's name in the repository, for reports. */
  name: string;
  validate: ValidateFunction;
  /** Workflow apps: check `outputs[output]` instead of the whole outputs object. */
  output?: string | undefined;
}

/** Null when there is nothing to judge (the run did not succeed); otherwise the verdict. */
export function assessOutput(invocation: Invocation, check: OutputCheck): SchemaVerdict | null {
  if (invocation.status !== 'ok') return null;
  const { subject, value, missing } = subjectOf(invocation, check.output);
  if (missing !== undefined) return { name: check.name, subject, valid: false, repaired: false, reasons: [missing] };
  const enforced = enforceOutput(value, { schema: check.validate, fallback: { policy: 'fail' } });
  return { name: check.name, subject, valid: enforced.valid, repaired: enforced.repaired, reasons: enforced.reasons };
}

function subjectOf(invocation: Invocation, output: string | undefined): { subject: string; value: unknown; missing?: string } {
  if (invocation.answer !== undefined) return { subject: 'answer', value: invocation.answer };
  const outputs = invocation.outputs ?? null;
  if (output === undefined) return outputs === null ? { subject: 'outputs', value: undefined, missing: 'the run has no outputs' } : { subject: 'outputs', value: outputs };
  const subject = `outputs.${output}`;
  if (outputs === null || !Object.hasOwn(outputs, output)) {
    const names = outputs === null ? [] : Object.keys(outputs);
    return { subject, value: undefined, missing: `the run has no output \`${output}\` (it has ${names.length === 0 ? 'none' : names.map((n) => `\`${n}\``).join(', ')})` };
  }
  return { subject, value: outputs[output] };
}
