// Turns ajv's errors into Diagnostics a person can act on: the field in dotted form, its line and
// column, and a sentence ("must be a string (got number)", "unknown field `urll` (did you mean
// `url`?)"). Values are never quoted back: a misplaced secret must not end up in CI logs.

import type { ErrorObject } from 'ajv';
import type { Diagnostic } from '../diagnostics.js';
import { formatFieldPath, jsonTypeOf, pointerToSegments, segmentsToPointer, suggestion, type PathSegment } from './field-path.js';
import { diagnosticAt, type YamlSource } from './yaml-source.js';

/** Stable codes, one per kind of schema violation. */
export type SchemaDiagnosticCode =
  | 'schema-type'
  | 'schema-unknown-field'
  | 'schema-required'
  | 'schema-enum'
  | 'schema-format'
  | 'schema-pattern'
  | 'schema-choice'
  | 'schema-value';

interface Translated {
  segments: PathSegment[];
  code: SchemaDiagnosticCode;
  message: string;
  /** Point at the key (unknown field, object-level problems) rather than the value. */
  key: boolean;
  /** The field the message names, when it is not `segments` (an unknown field names its parent). */
  label?: PathSegment[];
}

/**
 * One diagnostic per real problem. `skipPaths` holds JSON pointers already reported by a more
 * specific rule (literal secrets), whose unknown-field errors would only repeat it.
 */
export function translateSchemaErrors(
  errors: readonly ErrorObject[],
  source: YamlSource,
  skipPaths: ReadonlySet<string> = new Set(),
): Diagnostic[] {
  // A wrong type makes every other complaint about the same value noise.
  const typeErrorPaths = errors.filter((e) => e.keyword === 'type').map((e) => e.instancePath);
  const out: Diagnostic[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    if (error.keyword === 'propertyNames' || error.keyword === '$ref') continue;
    if (error.keyword !== 'type' && typeErrorPaths.some((p) => within(error.instancePath, p))) continue;
    const translated = translateOne(error);
    if (translated === undefined) continue;
    const pointer = segmentsToPointer(translated.segments);
    if (skipPaths.has(pointer)) continue;
    // One complaint per value (a bad URL fails both `pattern` and `format`); object-level
    // problems (unknown or missing fields) are one per field name.
    const dedupe = translated.key ? `${pointer}\u0000${translated.code}\u0000${translated.message}` : pointer;
    if (seen.has(dedupe)) continue;
    seen.add(dedupe);
    const label = formatFieldPath(translated.label ?? translated.segments);
    const message = label === '(top level)' ? `${translated.message} at the top level` : `${label}: ${translated.message}`;
    out.push(diagnosticAt(source, translated.segments, 'error', translated.code, message, { key: translated.key, withPath: false }));
  }
  return out;
}

function translateOne(error: ErrorObject): Translated | undefined {
  const segments = pointerToSegments(error.instancePath);
  const params = error.params as Record<string, unknown>;
  const parent = (error.parentSchema ?? {}) as Record<string, unknown>;
  const title = typeof parent.title === 'string' ? parent.title : undefined;

  // Errors about a property *name* (propertyNames): point at the offending key.
  const propertyName = (error as ErrorObject & { propertyName?: string }).propertyName;
  if (propertyName !== undefined) {
    const what = title ?? (typeof params.pattern === 'string' ? `matching ${String(params.pattern)}` : 'valid');
    return {
      segments: [...segments, propertyName],
      label: segments,
      code: 'schema-pattern',
      message: `the name \`${propertyName}\` is not allowed here: must be ${what}`,
      key: true,
    };
  }

  switch (error.keyword) {
    case 'type': {
      const expected = ([] as string[]).concat(params.type as string | string[]);
      return { segments, code: 'schema-type', message: `must be ${describeTypes(expected)} (got ${jsonTypeOf(error.data)})`, key: false };
    }
    case 'additionalProperties': {
      const field = String(params.additionalProperty);
      const known = Object.keys((parent.properties ?? {}));
      return {
        segments: [...segments, field],
        label: segments,
        code: 'schema-unknown-field',
        message: `unknown field \`${field}\`${suggestion(field, known)}`,
        key: true,
      };
    }
    case 'required':
      return { segments, code: 'schema-required', message: `missing required field \`${String(params.missingProperty)}\``, key: true };
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map((v) => `\`${String(v)}\``).join(', ');
      return { segments, code: 'schema-enum', message: `must be one of ${allowed}`, key: false };
    }
    case 'const':
      return { segments, code: 'schema-enum', message: `must be \`${String(params.allowedValue)}\``, key: false };
    case 'pattern':
      return { segments, code: 'schema-pattern', message: `must be ${title ?? `a string matching ${String(params.pattern)}`}`, key: false };
    case 'format':
      return { segments, code: 'schema-format', message: `must be ${formatName(String(params.format))}`, key: false };
    case 'minProperties':
    case 'maxProperties':
      return choiceOrCount(error, segments, parent);
    default:
      return { segments, code: 'schema-value', message: error.message ?? `is not valid (${error.keyword})`, key: false };
  }
}

/** `maxProperties: 1` + `minProperties: 1` is how the schemas say "exactly one of these fields". */
function choiceOrCount(error: ErrorObject, segments: PathSegment[], parent: Record<string, unknown>): Translated {
  const names = Object.keys((parent.properties ?? {}));
  if (parent.maxProperties === 1 && names.length > 1) {
    const list = names.map((n) => `\`${n}\``).join(', ');
    return { segments, code: 'schema-choice', message: `must set exactly one of ${list}`, key: true };
  }
  return { segments, code: 'schema-value', message: error.message ?? 'has the wrong number of fields', key: true };
}

function describeTypes(types: string[]): string {
  const words = types.map((t) => (t === 'integer' || t === 'array' || t === 'object' ? `an ${t}` : t === 'null' ? 'null' : `a ${t}`));
  if (types.length === 1 && types[0] === 'object') return 'a mapping (an object)';
  return words.join(' or ');
}

function formatName(format: string): string {
  switch (format) {
    case 'uri':
      return 'an absolute URL';
    case 'uuid':
      return 'a UUID';
    default:
      return `a valid ${format}`;
  }
}

function within(path: string, ancestor: string): boolean {
  return path === ancestor || path.startsWith(ancestor + '/');
}
