// The JSON Schemas of the files users write (schemas/config.v1.json, schemas/app.v1.json): found
// next to our package.json — the same files editors use through the yaml-language-server comment
// and the npm package ships — and compiled with ajv + ajv-formats once per process: they ship with
// the package and never change while it runs, and compiling takes ~80 ms and code space that a
// long-running `serve`, which loads the repository on every reconcile, would pile up.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

export const CONFIG_SCHEMA_ID = 'https://dify-gitops.dev/schemas/config.v1.json';
export const APP_SCHEMA_ID = 'https://dify-gitops.dev/schemas/app.v1.json';
export const API_VERSION = 'dify-gitops.dev/v1';

export type JsonSchema = Record<string, unknown>;

export interface ToolSchemas {
  config: JsonSchema;
  app: JsonSchema;
}

export interface ToolValidators {
  config: ValidateFunction;
  app: ValidateFunction;
}

/** The directory holding our own schemas, from src/config (vitest) or dist/src/config (built). */
export function toolSchemaDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'schemas', 'config.v1.json')) && existsSync(join(dir, 'package.json'))) {
      return join(dir, 'schemas');
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the dify-gitops schemas/ directory');
    dir = parent;
  }
}

export function loadToolSchemas(dir: string = toolSchemaDir()): ToolSchemas {
  const read = (name: string): JsonSchema => JSON.parse(readFileSync(join(dir, name), 'utf8')) as JsonSchema;
  return { config: read('config.v1.json'), app: read('app.v1.json') };
}

let shipped: ToolValidators | undefined;

/** The validators of the schemas this package ships, compiled on first use. */
export function shippedToolValidators(): ToolValidators {
  shipped ??= compileToolSchemas(loadToolSchemas());
  return shipped;
}

export function compileToolSchemas(schemas: ToolSchemas): ToolValidators {
  // verbose: errors carry the offending data (for "got number") and the parent schema (for
  // "did you mean" and titles). strict: our schemas must use only keywords ajv knows.
  const ajv = new Ajv({ allErrors: true, verbose: true, strict: true, allowUnionTypes: true });
  addFormats.default(ajv);
  return { config: ajv.compile(schemas.config), app: ajv.compile(schemas.app) };
}
