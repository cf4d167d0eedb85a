// The output schemas of a repository (schemas/outputs/<name>.schema.yaml, or JSON), compiled once
// and looked up by name or by path. Takes file texts, not paths: reading files is the caller's
// job (config loading, the check-output command), so this stays pure and is the one primitive
// every caller shares. All schemas of one dialect go into one ajv instance, so a schema may
// `$ref` another by its `$id`; each is checked against the meta-schema first, so a mistake is a
// Diagnostic naming file, line and column, never a thrown ajv error.

import { Ajv, type ValidateFunction } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { Diagnostic } from '../diagnostics.js';
import { parseYaml } from '../yaml/parse-yaml.js';
import { formatSchemaErrors } from './format-schema-errors.js';
import { compileErrorDiagnostic, diagnosticAt, metaSchemaDiagnostics, type SchemaSource } from './schema-diagnostics.js';

export interface OutputSchemaFile {
  /** How health checks and `check-output --schema` refer to it; default: outputSchemaName(path). */
  name?: string;
  /** Repo-relative path with forward slashes; diagnostics print it and lookups accept it. */
  path: string;
  text: string;
}

export interface CompiledOutputSchema {
  name: string;
  path: string;
  /** The schema as parsed from the file. */
  schema: unknown;
  /** The compiled ajv validator (allErrors, verbose): pass it to enforceOutput. */
  validate: ValidateFunction;
  /** Readable problems (`/priority: must be one of low, medium, high`); empty when valid. */
  check(value: unknown): string[];
}

export interface OutputSchemaRegistry {
  readonly schemas: readonly CompiledOutputSchema[];
  /** By name, or by path (`./` and backslashes are tolerated). */
  get(nameOrPath: string): CompiledOutputSchema | undefined;
}

export interface CompiledOutputSchemas {
  /** Holds every schema that compiled; broken ones are left out and reported in `diagnostics`. */
  registry: OutputSchemaRegistry;
  diagnostics: Diagnostic[];
}

type Dialect = 'draft-07' | '2019-09' | '2020-12';

/** Output schemas are small; the caps stop a hostile file early. */
const SCHEMA_YAML_LIMITS = { maxBytes: 1024 * 1024, maxDepth: 64, maxAliasCount: 200 };

export function compileOutputSchemas(files: readonly OutputSchemaFile[]): CompiledOutputSchemas {
  const diagnostics: Diagnostic[] = [];
  const instances = new Map<Dialect, Ajv>();
  const added: { name: string; path: string; schema: unknown; source: SchemaSource; ajv: Ajv }[] = [];
  const names = new Map<string, string>();

  for (const file of files) {
    const path = normalizePath(file.path);
    const name = file.name ?? outputSchemaName(path);
    const parsed = parseYaml(file.text, { version: '1.2', limits: SCHEMA_YAML_LIMITS });
    if (!parsed.ok) {
      for (const p of parsed.problems) diagnostics.push({ file: path, line: p.line, col: p.col, severity: 'error', code: p.code, message: p.message });
      continue;
    }
    const source: SchemaSource = { file: path, doc: parsed.doc, lines: parsed.lines };
    const schema = parsed.value;
    if (typeof schema !== 'boolean' && (typeof schema !== 'object' || schema === null || Array.isArray(schema))) {
      diagnostics.push(diagnosticAt(source, [], 'output-schema-invalid', 'an output schema must be a mapping (a JSON Schema object)'));
      continue;
    }
    const clash = names.get(name);
    if (clash !== undefined) {
      diagnostics.push(diagnosticAt(source, [], 'output-schema-duplicate', `the output schema name \`${name}\` is already used by ${clash}`));
      continue;
    }
    const dialect = dialectOf(schema);
    if (dialect === undefined) {
      const message =
        'unsupported `$schema`; use draft-07 (`http://json-schema.org/draft-07/schema#`), 2019-09 or 2020-12 (`https://json-schema.org/draft/2020-12/schema`)';
      diagnostics.push(diagnosticAt(source, ['$schema'], 'output-schema-invalid', message));
      continue;
    }
    let ajv = instances.get(dialect);
    if (ajv === undefined) instances.set(dialect, (ajv = newAjv(dialect)));
    if (!(ajv.validateSchema(schema) as boolean)) {
      diagnostics.push(...metaSchemaDiagnostics(ajv.errors ?? [], source));
      continue;
    }
    try {
      ajv.addSchema(schema, keyOf(path));
    } catch (error) {
      diagnostics.push(compileErrorDiagnostic(error, source));
      continue;
    }
    names.set(name, path);
    added.push({ name, path, schema, source, ajv });
  }

  // Compile after every schema is added, so `$ref`s between them resolve in any order.
  const schemas: CompiledOutputSchema[] = [];
  for (const entry of added) {
    let validate: ValidateFunction | undefined;
    try {
      validate = entry.ajv.getSchema(keyOf(entry.path));
    } catch (error) {
      entry.ajv.removeSchema(keyOf(entry.path));
      diagnostics.push(compileErrorDiagnostic(error, entry.source));
      continue;
    }
    if (validate === undefined) continue;
    const compiled = validate;
    schemas.push({
      name: entry.name,
      path: entry.path,
      schema: entry.schema,
      validate: compiled,
      check: (value) => ((compiled(value)) ? [] : formatSchemaErrors(compiled.errors)),
    });
  }
  return { registry: createRegistry(schemas), diagnostics };
}

/** `schemas/outputs/ticket.schema.yaml` → `ticket`; `extra/ticket.json` → `ticket`. */
export function outputSchemaName(path: string): string {
  const base = normalizePath(path).split('/').pop() ?? path;
  return base.replace(/\.schema\.(ya?ml|json)$/i, '').replace(/\.(ya?ml|json)$/i, '');
}

function createRegistry(schemas: CompiledOutputSchema[]): OutputSchemaRegistry {
  const byName = new Map(schemas.map((s) => [s.name, s]));
  const byPath = new Map(schemas.map((s) => [s.path, s]));
  return {
    schemas,
    get: (nameOrPath) => byName.get(nameOrPath) ?? byPath.get(normalizePath(nameOrPath)),
  };
}

function newAjv(dialect: Dialect): Ajv {
  // verbose: errors carry the data, for "(got string)". strictSchema: a misspelt keyword
  // (`requried`) or an unknown format is an error, not a silently ignored rule. strictTypes and
  // friends stay off: they reject common, valid schemas. No logger: problems become diagnostics.
  const options = { allErrors: true, verbose: true, strict: false, strictSchema: true, logger: false as const, allowUnionTypes: true };
  const ajv = dialect === '2020-12' ? new Ajv2020(options) : dialect === '2019-09' ? new Ajv2019(options) : new Ajv(options);
  addFormats.default(ajv);
  return ajv;
}

function dialectOf(schema: unknown): Dialect | undefined {
  const declared = typeof schema === 'object' && schema !== null ? (schema as Record<string, unknown>).$schema : undefined;
  if (declared === undefined) return 'draft-07';
  if (typeof declared !== 'string') return undefined;
  if (/draft-07\/schema/.test(declared)) return 'draft-07';
  if (/draft\/2019-09\/schema/.test(declared)) return '2019-09';
  if (/draft\/2020-12\/schema/.test(declared)) return '2020-12';
  return undefined;
}

function keyOf(path: string): string {
  return `dify-gitops-output:${path}`;
}

function normalizePath(path: string): string {
  return path.replace(/\\/g, '/').replace(/^(\.\/)+/, '');
}
