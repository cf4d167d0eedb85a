// ajv's errors about an LLM output, as one readable line each: `/priority: must be one of low,
// medium, high`, `/title: is required`, `/extra: is not allowed by the schema`. The path is a JSON
// Pointer into the output (`/` is the whole value). Pure.

import type { ErrorObject } from 'ajv';

export function formatSchemaErrors(errors: readonly ErrorObject[] | null | undefined): string[] {
  const lines: string[] = [];
  for (const error of errors ?? []) {
    // anyOf/oneOf/if summaries repeat what their branches already said.
    if (error.keyword === 'anyOf' || error.keyword === 'oneOf' || error.keyword === 'if') {
      if (errors!.some((other) => other !== error && other.schemaPath.startsWith(error.schemaPath + '/'))) continue;
    }
    const line = formatOne(error);
    if (!lines.includes(line)) lines.push(line);
  }
  return lines;
}

function formatOne(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  const at = (suffix?: string): string => {
    const path = suffix === undefined ? error.instancePath : `${error.instancePath}/${escapePointer(suffix)}`;
    return path === '' ? '/' : path;
  };
  switch (error.keyword) {
    case 'required':
      return `${at(String(params.missingProperty))}: is required`;
    case 'additionalProperties':
      return `${at(String(params.additionalProperty))}: is not allowed by the schema`;
    case 'unevaluatedProperties':
      return `${at(String(params.unevaluatedProperty))}: is not allowed by the schema`;
    case 'enum':
      return `${at()}: must be one of ${(params.allowedValues as unknown[]).map(show).join(', ')}`;
    case 'const':
      return `${at()}: must be ${show(params.allowedValue)}`;
    case 'type':
      // `data` is there only when the validator was compiled with `verbose: true` (the registry's are).
      return `${at()}: must be ${String(params.type).replace(/,/g, ' or ')}${error.data === undefined ? '' : ` (got ${jsonTypeOf(error.data)})`}`;
    case 'format':
      return `${at()}: must be a valid ${String(params.format)}`;
    default:
      return `${at()}: ${error.message ?? `fails ${error.keyword}`}`;
  }
}

function show(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

function jsonTypeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}
