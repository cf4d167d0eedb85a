// Generated from the JSON Schemas: for every typed field of a config and a manifest that use
// every field the schemas define, put a value of the wrong type there and expect exactly one
// diagnostic, `schema-type`, on that field's line, naming the field. A coverage check fails when
// a schema gains a field the maximal examples below do not exercise.

import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { compileToolSchemas, loadToolSchemas, type JsonSchema } from '../../src/config/tool-schemas.js';
import { validateDocument } from '../../src/config/validate-document.js';

const SOURCE = { env: 'A_SECRET' };

const POLICIES = {
  sync: 'manual',
  drift: 'heal',
  prune: true,
  suspend: false,
  allowPendingImport: true,
  reconcileInterval: '1h30m',
  ignore: [{ path: '/workflow/graph/nodes/*/data/selected', nodeType: 'llm', reason: 'editor noise' }],
};

const MAX_CONFIG = {
  apiVersion: 'dify-gitops.dev/v1',
  kind: 'Config',
  environments: {
    dev: {
      url: 'http://127.0.0.1:5001',
      urlEnv: 'DEV_URL',
      dev: true,
      auth: {
        emailEnv: 'E',
        emailFrom: { env: 'E2' },
        passwordEnv: 'P',
        passwordFrom: { file: '/run/secrets/p' },
        adminApiKeyEnv: 'K',
        adminApiKeyFrom: { command: ['vault', 'read', 'k'] },
        workspaceId: '0b6c1c1e-5d0a-4a0b-9a52-2a7c8d9e0f11',
        workspaceIdEnv: 'W',
      },
      expect: { serverVersion: '>=1.9.2 <2.0.0', dslVersion: '0.6.0' },
      policies: POLICIES,
    },
  },
  policies: POLICIES,
  apps: { manifests: 'workflows/*/app.yaml' },
  outputSchemas: { dir: 'schemas/outputs' },
  lint: { severities: { DSL012: 'off', 'dsl-version': 'error' } },
  rotation: {
    key: {
      kind: 'appApiKey',
      environment: 'dev',
      app: 'triage',
      variable: 'V',
      provider: 'openai',
      field: 'openai_api_key',
      source: SOURCE,
      previousSource: { env: 'OLD' },
      sinks: [{ githubSecret: { repository: 'acme/apps', name: 'N', environment: 'prod', tokenEnv: 'T' } }, { file: 'f' }, { command: ['c'] }],
      healthApps: ['triage'],
      schedule: '0 3 * * 1',
      gracePeriod: '5m',
      quietPeriod: '1m',
      maxWait: '1h',
    },
  },
};

const MAX_MANIFEST = {
  apiVersion: 'dify-gitops.dev/v1',
  kind: 'App',
  name: 'triage',
  dsl: 'triage.dsl.yml',
  description: 'd',
  tags: ['support'],
  policies: POLICIES,
  overrides: { envVars: { BASE_URL: 'https://x', MAX: 3 }, nodes: { classify: { '/model/name': 'gpt-4o' } }, modelConfig: { '/model/name': 'gpt-4o' } },
  secrets: { A: SOURCE, B: { file: 'f' }, C: { command: ['c'] }, D: { keepLive: true } },
  healthChecks: [
    {
      name: 'check',
      description: 'd',
      environments: ['dev'],
      inputs: { ticket: 't' },
      query: 'q',
      responseMode: 'streaming',
      attempts: 3,
      minPasses: 2,
      timeout: '30s',
      expect: {
        status: 'succeeded',
        output: 'result',
        json: true,
        schema: 'triage',
        contains: 'a',
        notContains: ['b'],
        regex: 'x+',
        maxLatencyMs: 1000,
        maxTokens: 100,
      },
    },
  ],
  environments: {
    dev: { target: { appId: '3f2504e0-4f89-41d3-9a0c-0305e82c3301' } },
    staging: { target: { adopt: 'Triage' } },
    prod: {
      target: { create: true },
      overrides: { envVars: { BASE_URL: 'https://y' } },
      datasets: { faq: '0b6c1c1e-5d0a-4a0b-9a52-2a7c8d9e0f12' },
      toolCredentials: { 'langgenius/tavily/tavily': 'cred' },
      secrets: { A: SOURCE },
      policies: POLICIES,
    },
  },
};

type Segment = string | number;
interface Case {
  path: Segment[];
  schema: JsonSchema;
}

const schemas = loadToolSchemas();
const validators = compileToolSchemas(schemas);

function deref(root: JsonSchema, schema: JsonSchema): { schema: JsonSchema; at: string } {
  const ref = schema.$ref;
  if (typeof ref !== 'string') return { schema, at: '' };
  const name = ref.replace('#/definitions/', '');
  const target = (root.definitions as Record<string, JsonSchema>)[name]!;
  return { schema: { ...target, ...schema, $ref: undefined }, at: name };
}

/** Every typed field present in `value`, and which (definition, property) pairs were visited. */
function collectCases(root: JsonSchema, schema: JsonSchema, value: unknown, path: Segment[], visited: Set<string>, owner = '#'): Case[] {
  const { schema: s, at } = deref(root, schema);
  const here = at === '' ? owner : at;
  const cases: Case[] = [];
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const properties = (s.properties ?? {}) as Record<string, JsonSchema>;
    for (const [key, item] of Object.entries(value)) {
      const sub = properties[key] ?? (typeof s.additionalProperties === 'object' ? (s.additionalProperties as JsonSchema) : undefined);
      if (sub === undefined) continue;
      if (properties[key] !== undefined) visited.add(`${here}.${key}`);
      const resolved = deref(root, sub).schema;
      if (resolved.type !== undefined) cases.push({ path: [...path, key], schema: resolved });
      cases.push(...collectCases(root, sub, item, [...path, key], visited, properties[key] !== undefined ? `${here}.${key}` : `${here}.*`));
    }
  } else if (Array.isArray(value) && typeof s.items === 'object') {
    value.forEach((item, index) => {
      const resolved = deref(root, s.items as JsonSchema).schema;
      if (resolved.type !== undefined) cases.push({ path: [...path, index], schema: resolved });
      cases.push(...collectCases(root, s.items as JsonSchema, item, [...path, index], visited, `${here}[]`));
    });
  }
  return cases;
}

/** Every (definition, property) pair the schema declares, so coverage can be checked. */
function declaredProperties(root: JsonSchema): string[] {
  const out: string[] = [];
  const walk = (schema: unknown, owner: string): void => {
    if (schema === null || typeof schema !== 'object') return;
    const s = schema as JsonSchema;
    for (const [key, sub] of Object.entries((s.properties ?? {}) as Record<string, unknown>)) {
      out.push(`${owner}.${key}`);
      walk(sub, `${owner}.${key}`);
    }
    if (typeof s.additionalProperties === 'object') walk(s.additionalProperties, `${owner}.*`);
    if (typeof s.items === 'object') walk(s.items, `${owner}[]`);
  };
  walk(root, '#');
  for (const [name, def] of Object.entries((root.definitions ?? {}) as Record<string, unknown>)) walk(def, name);
  return out;
}

/** A value of a type the field does not accept, unique so its line can be found in the text. */
function wrongValue(schema: JsonSchema, id: number): unknown {
  const types = ([] as string[]).concat(schema.type as string | string[]);
  if (types.includes('string') && types.includes('number')) return { wrong: id };
  if (types.some((t) => t === 'number' || t === 'integer' || t === 'boolean')) return `wrong-${id}`;
  return id;
}

function setAt(root: unknown, path: readonly Segment[], value: unknown): unknown {
  // A JSON round trip, not structuredClone: the examples share objects (POLICIES), which must not stay shared.
  const copy = JSON.parse(JSON.stringify(root)) as Record<string | number, unknown>;
  let node = copy;
  for (const segment of path.slice(0, -1)) node = node[segment] as Record<string | number, unknown>;
  node[path[path.length - 1]!] = value;
  return copy;
}

function human(path: readonly Segment[]): string {
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : /^[A-Za-z0-9_$-]+$/.test(s) ? `.${s}` : `[${JSON.stringify(s)}]`)).join('');
}

for (const [label, example, schema, validate] of [
  ['dify-gitops.yaml', MAX_CONFIG, schemas.config, validators.config],
  ['app manifest', MAX_MANIFEST, schemas.app, validators.app],
] as const) {
  describe(`wrong type in every field of the ${label}`, () => {
    const visited = new Set<string>();
    const cases = collectCases(schema, schema, example, [], visited);

    it('the maximal example is valid and uses every field the schema defines', () => {
      const result = validateDocument(stringify(example, { aliasDuplicateObjects: false }), 'f.yaml', validate);
      expect(result.diagnostics).toEqual([]);
      const missing = declaredProperties(schema).filter((p) => !visited.has(p) && !/^(#|[a-zA-Z]+)\.(.*\.)?\*/.test(p));
      expect(missing).toEqual([]);
      expect(cases.length).toBeGreaterThan(label === 'app manifest' ? 60 : 40);
    });

    for (const [index, c] of cases.entries()) {
      it(`${human(c.path)} (${([] as string[]).concat(c.schema.type as string).join('|')})`, () => {
        const id = 900_000 + index;
        const text = stringify(setAt(example, c.path, wrongValue(c.schema, id)), { aliasDuplicateObjects: false });
        const line = text.split('\n').findIndex((l) => l.includes(String(id))) + 1;
        const result = validateDocument('# the field below has the wrong type\n' + text, 'file.yaml', validate);
        expect(result.ok).toBe(false);
        expect(result.diagnostics).toHaveLength(1);
        expect(result.diagnostics[0]).toMatchObject({ file: 'file.yaml', line: line + 1, severity: 'error', code: 'schema-type' });
        expect(result.diagnostics[0]?.message).toMatch(new RegExp(`^${escape(human(c.path))}: must be .+ \\(got (number|string|object)\\)$`));
      });
    }
  });
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
