// Problems in an output-schema file, as Diagnostics with the file, line and column of the
// offending field: meta-schema violations (`type: strin`) and ajv compile errors (a misspelt
// keyword, an unknown format, an unresolvable `$ref`), which carry no path of their own. Pure.

import type { ErrorObject } from 'ajv';
import { isMap, isPair, isScalar, isSeq, type Document, type LineCounter } from 'yaml';
import type { Diagnostic } from '../diagnostics.js';
import { positionOf } from '../yaml/parse-yaml.js';

export interface SchemaSource {
  file: string;
  doc: Document;
  lines: LineCounter;
}

type Segment = string | number;

export function diagnosticAt(source: SchemaSource, segments: readonly Segment[], code: string, message: string): Diagnostic {
  const { line, col } = positionOf(source.doc, source.lines, segments, { key: segments.length > 0 });
  const diagnostic: Diagnostic = { file: source.file, line, col, severity: 'error', code, message };
  if (segments.length > 0) diagnostic.path = segmentsToPointer(segments);
  return diagnostic;
}

/** The meta-schema reports one error per failed anyOf branch; the deepest path says it best. */
export function metaSchemaDiagnostics(errors: readonly ErrorObject[], source: SchemaSource): Diagnostic[] {
  const byPath = new Map<string, ErrorObject>();
  for (const error of errors) if (!byPath.has(error.instancePath)) byPath.set(error.instancePath, error);
  const paths = [...byPath.keys()];
  const deepest = paths.filter((p) => !paths.some((q) => q !== p && q.startsWith(p + '/')));
  return deepest.map((pointer) => {
    const error = byPath.get(pointer)!;
    const where = pointer === '' ? '' : ` at ${pointer}`;
    return diagnosticAt(source, pointerToSegments(pointer), 'output-schema-invalid', `not a valid JSON Schema${where}: ${error.message ?? error.keyword}`);
  });
}

/** An ajv compile error: find the keyword or format it names, so the diagnostic has a line. */
export function compileErrorDiagnostic(error: unknown, source: SchemaSource): Diagnostic {
  const message = ((error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '').replace(/^strict mode: /, '');
  // Unknown formats come with the schema path ("… at path \"#/properties/phone\""); use it.
  const formatAt = /unknown format .* at path "#([^"]*)"/.exec(message)?.[1];
  const named =
    /unknown (?:keyword|format):? "?([^"\s]+)"?/.exec(message)?.[1] ?? /can't resolve reference (\S+)/.exec(message)?.[1];
  const segments =
    formatAt !== undefined ? [...pointerToSegments(formatAt), 'format'] : named === undefined ? [] : findKeyOrValue(source, named);
  return diagnosticAt(source, segments, 'output-schema-invalid', `cannot compile the schema: ${readable(message)}`);
}

/** ajv's wording names its internal schema keys and says "ignored" for what is an error here. */
function readable(message: string): string {
  const format = /unknown format "([^"]+)"/.exec(message)?.[1];
  if (format !== undefined) {
    return `unknown format "${format}" (known: date, time, date-time, duration, email, hostname, ipv4, ipv6, uri, uri-reference, uuid, regex, …)`;
  }
  const ref = /can't resolve reference (\S+)/.exec(message)?.[1];
  if (ref !== undefined) return `can't resolve the reference ${ref} (no output schema has that $id)`;
  return message;
}

function pointerToSegments(pointer: string): Segment[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((raw) => raw.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^(0|[1-9][0-9]*)$/.test(s) ? Number(s) : s));
}

function segmentsToPointer(segments: readonly Segment[]): string {
  return segments.map((s) => '/' + String(s).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

/** Path of the first mapping key, or the key whose scalar value, equals `name` (breadth first). */
function findKeyOrValue(source: SchemaSource, name: string): Segment[] {
  const queue: { node: unknown; path: Segment[] }[] = [{ node: source.doc.contents, path: [] }];
  while (queue.length > 0) {
    const { node, path } = queue.shift()!;
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair) || !isScalar(pair.key)) continue;
        const key = String(pair.key.value);
        if (key === name || (isScalar(pair.value) && String(pair.value.value) === name)) return [...path, key];
        queue.push({ node: pair.value, path: [...path, key] });
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => queue.push({ node: item, path: [...path, index] }));
    }
  }
  return [];
}
