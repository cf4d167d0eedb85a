// The published JSON Schemas: versioned ids, strict-mode clean, and the definitions both files
// share (policies, names, durations) kept identical so config and manifests never drift apart.

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { API_VERSION, APP_SCHEMA_ID, CONFIG_SCHEMA_ID } from '../../src/config/index.js';
import { compileToolSchemas, loadToolSchemas, toolSchemaDir } from '../../src/config/tool-schemas.js';
import { REPO_ROOT } from '../support/config-repo.js';

describe('tool schemas', () => {
  const schemas = loadToolSchemas();

  it('live in schemas/ with an $id of the form https://dify-gitops.dev/schemas/<name>.v<major>.json', () => {
    expect(toolSchemaDir()).toBe(join(REPO_ROOT, 'schemas'));
    const files = readdirSync(join(REPO_ROOT, 'schemas')).filter((f) => f.endsWith('.json'));
    expect(files.sort()).toEqual(['app.v1.json', 'config.v1.json']);
    expect(schemas.config.$id).toBe(CONFIG_SCHEMA_ID);
    expect(schemas.app.$id).toBe(APP_SCHEMA_ID);
    for (const schema of [schemas.config, schemas.app]) {
      expect(schema.$id).toMatch(/^https:\/\/dify-gitops\.dev\/schemas\/[a-z]+\.v[0-9]+\.json$/);
      expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
      expect((schema.properties as Record<string, { const?: string }>).apiVersion?.const).toBe(API_VERSION);
    }
  });

  it('compile under ajv strict mode (no unknown keywords)', () => {
    expect(() => compileToolSchemas(schemas)).not.toThrow();
  });

  it('share identical definitions', () => {
    const config = schemas.config.definitions as Record<string, unknown>;
    const app = schemas.app.definitions as Record<string, unknown>;
    const shared = Object.keys(config).filter((k) => k in app);
    expect(shared.sort()).toEqual(['duration', 'envVarName', 'ignoreRule', 'jsonPointer', 'name', 'policies']);
    for (const key of shared) expect(app[key], key).toEqual(config[key]);
  });

  it('describe every property, so the generated reference has no blank rows', () => {
    const undocumented: string[] = [];
    const walk = (schema: unknown, path: string): void => {
      if (schema === null || typeof schema !== 'object') return;
      const s = schema as Record<string, unknown>;
      for (const [key, sub] of Object.entries((s.properties ?? {}) as Record<string, Record<string, unknown>>)) {
        if (typeof sub.description !== 'string' && typeof sub.$ref !== 'string') undocumented.push(`${path}.${key}`);
        walk(sub, `${path}.${key}`);
      }
      if (typeof s.additionalProperties === 'object') walk(s.additionalProperties, `${path}.*`);
      if (typeof s.items === 'object') walk(s.items, `${path}[]`);
    };
    for (const [name, schema] of Object.entries(schemas)) {
      walk(schema, name);
      for (const [def, sub] of Object.entries(schema.definitions as Record<string, unknown>)) walk(sub, `${name}#${def}`);
    }
    expect(undocumented).toEqual([]);
  });
});
