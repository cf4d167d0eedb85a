// User output schemas (schemas/outputs/<name>.schema.yaml): JSON Schema written as YAML or JSON.
// All are added to one ajv instance per dialect (draft-07 by default, 2020-12 when `$schema` says
// so) so they can `$ref` each other by `$id`, checked against the meta-schema with positions, and
// each compiled exactly once; health checks then call `check(value)`.

import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { isMap, isPair, isScalar, isSeq } from 'yaml';
import type { Diagnostic } from '../diagnostics.js';
import { pointerToSegments } from './field-path.js';
import type { OutputSchema } from './types.js';
import { diagnosticAt, parseYamlSource, type YamlSource } from './yaml-source.js';

export interface OutputSchemaFile {
  /** How health checks refer to it: the name for files in the schemas dir, else the repo-relative path. */
  name: string;
  /** Repo-relative path. */
  file: string;
  text: string;
}

type Dialect = 'draft-07' | '2020-12';

export function compileOutputSchemas(files: readonly OutputSchemaFile[]): { schemas: OutputSchema[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const instances = { 'draft-07': newAjv('draft-07'), '2020-12': newAjv('2020-12') };
  const added: { entry: OutputSchemaFile; source: YamlSource; schema: unknown; ajv: Ajv }[] = [];

  for (const entry of files) {
    const parsed = parseYamlSource(entry.text, entry.file);
    diagnostics.push(...parsed.diagnostics);
    if (!parsed.ok) continue;
    const { source, value: schema } = parsed;
    if (typeof schema !== 'boolean' && (typeof schema !== 'object' || Array.isArray(schema))) {
      diagnostics.push(diagnosticAt(source, [], 'error', 'output-schema-invalid', 'an output schema must be a mapping (a JSON Schema object)', { withPath: false }));
      continue;
    }
    const dialect = dialectOf(schema);
    if (dialect === undefined) {
      diagnostics.push(diagnosticAt(source, ['$schema'], 'error', 'output-schema-invalid', 'unsupported `$schema`; use draft-07 (`http://json-schema.org/draft-07/schema#`) or 2020-12 (`https://json-schema.org/draft/2020-12/schema`)'));
      continue;
    }
    const ajv = instances[dialect];
    if (!(ajv.validateSchema(schema as object) as boolean)) {
      diagnostics.push(...metaSchemaDiagnostics(ajv.errors ?? [], source));
      continue;
    }
    try {
      ajv.addSchema(schema as object, keyOf(entry));
      added.push({ entry, source, schema, ajv });
    } catch (error) {
      diagnostics.push(compileDiagnostic(error, source));
    }
  }

  const schemas: OutputSchema[] = [];
  for (const { entry, source, schema, ajv } of added) {
    let validate: ValidateFunction | undefined;
    try {
      validate = ajv.getSchema(keyOf(entry));
    } catch (error) {
      diagnostics.push(compileDiagnostic(error, source));
      continue;
    }
    if (validate === undefined) continue;
    const compiled = validate;
    schemas.push({ name: entry.name, file: entry.file, schema, check: (value) => checkWith(compiled, value) });
  }
  return { schemas, diagnostics };
}

/** Output schema file names: `<name>.schema.yaml`, `.schema.yml` or `.schema.json`. */
export function outputSchemaName(fileName: string): string | undefined {
  const match = /^(.+)\.schema\.(ya?ml|json)$/.exec(fileName);
  return match?.[1];
}

function newAjv(dialect: Dialect): Ajv {
  // strictSchema catches misspelt keywords (`requried`) and unknown formats; strictTypes and
  // friends are left off because they reject common, valid schemas. No logger: problems are
  // diagnostics, never console output.
  const options = { allErrors: true, strict: false, strictSchema: true, logger: false as const, allowUnionTypes: true };
  const ajv = dialect === '2020-12' ? new Ajv2020(options) : new Ajv(options);
  addFormats.default(ajv);
  return ajv;
}

function dialectOf(schema: unknown): Dialect | undefined {
  const declared = typeof schema === 'object' && schema !== null ? (schema as Record<string, unknown>).$schema : undefined;
  if (declared === undefined) return 'draft-07';
  if (typeof declared !== 'string') return undefined;
  if (/draft-0[67]\/schema/.test(declared)) return 'draft-07';
  if (/draft\/2020-12\/schema/.test(declared)) return '2020-12';
  return undefined;
}

function keyOf(entry: OutputSchemaFile): string {
  return `dify-gitops-output:${entry.file}`;
}

function checkWith(validate: ValidateFunction, value: unknown): string[] {
  if (validate(value)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath === '' ? '(root)' : e.instancePath} ${e.message ?? e.keyword}`);
}

function metaSchemaDiagnostics(errors: readonly ErrorObject[], source: YamlSource): Diagnostic[] {
  // The meta-schema reports one error per failed branch of its anyOfs; the deepest path says it best.
  const byPath = new Map<string, ErrorObject>();
  for (const error of errors) if (!byPath.has(error.instancePath)) byPath.set(error.instancePath, error);
  const paths = [...byPath.keys()].filter((p) => ![...byPath.keys()].some((q) => q !== p && q.startsWith(p + '/')));
  return paths.map((p) => {
    const error = byPath.get(p)!;
    return diagnosticAt(source, pointerToSegments(p), 'error', 'output-schema-invalid', `not a valid JSON Schema: ${error.message ?? error.keyword}`);
  });
}

function compileDiagnostic(error: unknown, source: YamlSource): Diagnostic {
  const message = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
  const keyword = /unknown (?:keyword|format):? "?([^"\s]+)"?/.exec(message)?.[1];
  const path = keyword === undefined ? [] : findKeyPath(source, keyword);
  return diagnosticAt(source, path, 'error', 'output-schema-invalid', message.replace(/^strict mode: /, ''), { withPath: false });
}

/** Path of the first mapping key (or scalar value) equal to `name`, for compile errors without a path. */
function findKeyPath(source: YamlSource, name: string): (string | number)[] {
  const stack: { node: unknown; path: (string | number)[] }[] = [{ node: source.doc.contents, path: [] }];
  while (stack.length > 0) {
    const { node, path } = stack.shift()!;
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isPair(pair) || !isScalar(pair.key)) continue;
        const key = String(pair.key.value);
        if (key === name || (isScalar(pair.value) && String(pair.value.value) === name)) return [...path, key];
        stack.push({ node: pair.value, path: [...path, key] });
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => stack.push({ node: item, path: [...path, index] }));
    }
  }
  return [];
}
