// Every kind of problem the config layer reports, each with the file, the line of the offending
// field, its stable code and a message that names the field. Each case changes the valid baseline
// repository in one place and expects exactly the listed config diagnostics (DSL lint findings,
// codes DSLnnn, belong to src/dsl and are filtered out here).

import { describe, expect, it } from 'vitest';
import { loadRepository } from '../../src/config/index.js';
import { BASE_CONFIG, BASE_DSL, BASE_MANIFEST, edit, lineOf, makeRepo } from '../support/config-repo.js';

const CONFIG = 'dify-gitops.yaml';
const MANIFEST = 'workflows/triage/app.yaml';
const DSL = 'workflows/triage/triage.dsl.yml';
const SCHEMA = 'schemas/outputs/triage.schema.yaml';

interface Expected {
  file: string;
  /** Text on the expected line (its first occurrence in the final file), or a line number. */
  at: string | number;
  code: string;
  severity?: 'error' | 'warning';
  message: string | RegExp;
}

interface Case {
  name: string;
  files: Record<string, string | null>;
  expected: Expected[];
}

const manifest = (from: string, to: string): Record<string, string> => ({ [MANIFEST]: edit(BASE_MANIFEST, from, to) });
const config = (from: string, to: string): Record<string, string> => ({ [CONFIG]: edit(BASE_CONFIG, from, to) });
const check = (from: string, to: string): Record<string, string> => manifest(from, to);

const CRM_DSL = edit(BASE_DSL, '  conversation_variables: []', "  - id: 55555555-5555-4555-8555-555555555555\n    name: CRM_LOGIN\n    value: ''\n    value_type: secret\n  conversation_variables: []");
const COMPLETION_DSL = `app:\n  mode: completion\n  name: Notes\nkind: app\nversion: 0.6.0\nmodel_config:\n  model: { provider: langgenius/openai/openai, name: gpt-4o-mini, mode: chat }\n  pre_prompt: 'Notes for {{product}}'\n  user_input_form:\n  - text-input: { variable: product, label: Product, required: true }\n`;
const COMPLETION_MANIFEST = `apiVersion: dify-gitops.dev/v1\nkind: App\nname: notes\ndsl: notes.dsl.yml\nenvironments:\n  dev:\n    target: { create: true }\n    overrides:\n      nodes:\n        classify: { /model/name: x }\nhealthChecks:\n  - name: writes\n    inputs: { product: Acme }\n    expect:\n      status: succeeded\n      output: result\n`;
const AGENT_DSL = `app:\n  mode: advanced-chat\n  name: Chat\nkind: app\nversion: 0.6.0\nworkflow:\n  graph:\n    nodes:\n    - id: start\n      data: { type: start, variables: [] }\n    - id: answer\n      data: { type: answer, answer: hi }\n    edges:\n    - { source: start, target: answer }\n`;

const CASES: Case[] = [
  {
    name: 'unknown field, with a suggestion',
    files: config('    url: http://127.0.0.1:5001\n', '    url: http://127.0.0.1:5001\n    urll: http://x\n'),
    expected: [{ file: CONFIG, at: 'urll:', code: 'schema-unknown-field', message: 'environments.dev: unknown field `urll` (did you mean `url`?)' }],
  },
  {
    name: 'wrong type',
    files: config('    url: https://dify.example.com', '    url: 42'),
    expected: [{ file: CONFIG, at: 'url: 42', code: 'schema-type', message: 'environments.prod.url: must be a string (got number)' }],
  },
  {
    name: 'value not in the enum',
    files: config('  sync: manual', '  sync: automatic'),
    expected: [{ file: CONFIG, at: 'sync: automatic', code: 'schema-enum', message: 'policies.sync: must be one of `auto`, `manual`' }],
  },
  {
    name: 'bad duration',
    files: config('  reconcileInterval: 90s', '  reconcileInterval: 10 minutes'),
    expected: [{ file: CONFIG, at: 'reconcileInterval', code: 'schema-pattern', message: /^policies\.reconcileInterval: must be a duration such as `90s`/ },
    ],
  },
  {
    name: 'bad URL: one diagnostic although pattern and format both fail',
    files: config('    url: https://dify.example.com', '    url: not a url'),
    expected: [{ file: CONFIG, at: 'not a url', code: 'schema-pattern', message: /^environments\.prod\.url: must be an http\(s\) URL/ }],
  },
  {
    name: 'missing required field',
    files: manifest('dsl: triage.dsl.yml\n', ''),
    expected: [{ file: MANIFEST, at: 1, code: 'schema-required', message: 'missing required field `dsl` at the top level' }],
  },
  {
    name: 'target with two choices',
    files: manifest('    target: { create: true }', '    target: { create: true, adopt: Triage }'),
    expected: [{ file: MANIFEST, at: 'target: { create', code: 'schema-choice', message: 'environments.dev.target: must set exactly one of `appId`, `adopt`, `create`' }],
  },
  {
    name: 'invalid app id',
    files: manifest('appId: 3F2504E0-4F89-41D3-9A0C-0305E82C3301', 'appId: 12345-abc'),
    expected: [{ file: MANIFEST, at: 'appId: 12345', code: 'schema-format', message: 'environments.prod.target.appId: must be a UUID' }],
  },
  {
    name: 'environment name with a bad character',
    files: config('  prod:\n', '  "prod env":\n'),
    expected: [
      { file: CONFIG, at: 'prod env', code: 'schema-pattern', message: /^environments: the name `prod env` is not allowed here: must be a name of letters, digits/ },
      // The manifest's `prod` no longer matches a declared environment.
      { file: MANIFEST, at: '  prod:', code: 'env-unknown', message: 'environments.prod: no environment `prod` in the root config' },
    ],
  },
  {
    name: 'auth with only one half of a login method',
    files: config('      passwordEnv: DEV_PASSWORD\n', ''),
    expected: [{ file: CONFIG, at: '    auth:', code: 'auth-incomplete', message: /environments\.dev\.auth: the password method needs both `emailEnv` and `passwordEnv`.*missing `passwordEnv`/ }],
  },
  {
    name: 'auth mixing both methods',
    files: config('      passwordEnv: DEV_PASSWORD\n', '      passwordEnv: DEV_PASSWORD\n      adminApiKeyEnv: KEY\n'),
    expected: [{ file: CONFIG, at: '    auth:', code: 'auth-incomplete', message: /choose one login method/ }],
  },
  {
    name: 'manifest environment that the root config does not declare',
    files: manifest('  prod:\n', '  prdo:\n'),
    expected: [{ file: MANIFEST, at: '  prdo:', code: 'env-unknown', message: 'environments.prdo: no environment `prdo` in the root config (did you mean `prod`?)' }],
  },
  {
    name: 'DSL file missing',
    files: manifest('dsl: triage.dsl.yml', 'dsl: triage.yml'),
    expected: [{ file: MANIFEST, at: 'dsl: triage.yml', code: 'app-dsl-missing', message: 'dsl: workflows/triage/triage.yml does not exist' }],
  },
  {
    name: 'DSL path outside the repository',
    files: manifest('dsl: triage.dsl.yml', 'dsl: ../../../../etc/hostname'),
    expected: [{ file: MANIFEST, at: 'dsl: ../', code: 'path-outside-repo', message: 'dsl: `../../../../etc/hostname` points outside the repository' }],
  },
  {
    name: 'duplicate app name',
    files: { 'workflows/copy/app.yaml': BASE_MANIFEST.replace('appId: 3F2504E0-4F89-41D3-9A0C-0305E82C3301', 'create: true'), 'workflows/copy/triage.dsl.yml': BASE_DSL },
    expected: [{ file: 'workflows/triage/app.yaml', at: 'name: triage', code: 'app-duplicate-name', message: 'name: app name `triage` is already used by workflows/copy/app.yaml' }],
  },
  {
    name: 'two apps claiming the same Dify app',
    files: { 'workflows/copy/app.yaml': BASE_MANIFEST.replace('name: triage', 'name: copy'), 'workflows/copy/triage.dsl.yml': BASE_DSL },
    expected: [{ file: 'workflows/triage/app.yaml', at: '    target: { appId', code: 'target-duplicate', message: /environments\.prod\.target: Dify app 3F2504E0.* in prod is already the target of copy \(workflows\/copy\/app\.yaml\)/ }],
  },
  {
    name: 'override of an env var the DSL does not declare',
    files: manifest('        BASE_URL: https', '        BASE_ULR: https'),
    expected: [{ file: MANIFEST, at: 'BASE_ULR', code: 'override-unknown-env-var', message: /overrides\.envVars\.BASE_ULR: workflows\/triage\/triage\.dsl\.yml has no environment variable `BASE_ULR` \(did you mean `BASE_URL`\?\)/ }],
  },
  {
    name: 'override of a secret env var',
    files: { [DSL]: CRM_DSL, ...manifest('        MAX_WORDS: 25\n', '        MAX_WORDS: 25\n        CRM_LOGIN: admin\n') },
    expected: [
      { file: MANIFEST, at: 'CRM_LOGIN: admin', code: 'override-secret-env-var', message: /`CRM_LOGIN` is a secret variable: bind it under `secrets:`/ },
      { file: MANIFEST, at: '  dev:', code: 'secret-unbound', message: /`CRM_LOGIN`.*no binding for environment dev/ },
      { file: MANIFEST, at: '  prod:', code: 'secret-unbound', message: /`CRM_LOGIN`.*no binding for environment prod/ },
    ],
  },
  {
    name: 'override with the wrong type for a number variable',
    files: manifest('        MAX_WORDS: 25', '        MAX_WORDS: twenty'),
    expected: [{ file: MANIFEST, at: 'MAX_WORDS: twenty', code: 'override-type', message: 'environments.prod.overrides.envVars.MAX_WORDS: `MAX_WORDS` is a integer variable; the override must be a number (got string)' }],
  },
  {
    name: 'override of a node that does not exist',
    files: manifest('        classify:\n', '        clasify:\n'),
    expected: [{ file: MANIFEST, at: 'clasify:', code: 'override-unknown-node', message: /has no node `clasify` \(did you mean `classify`\?\)/ }],
  },
  {
    name: 'override of a node field that does not exist',
    files: manifest('/model/name: gpt-4o', '/model/nmae: gpt-4o'),
    expected: [{ file: MANIFEST, at: '/model/nmae', code: 'override-path-missing', message: 'environments.prod.overrides.nodes.classify["/model/nmae"]: `/model/nmae` does not exist in node `classify`\'s data in workflows/triage/triage.dsl.yml' }],
  },
  {
    name: 'override that changes a field type is a warning',
    files: manifest('/model/name: gpt-4o', '/model/completion_params: 0'),
    expected: [{ file: MANIFEST, at: '/model/completion_params', code: 'override-type-change', severity: 'warning', message: /replaces a object with a number/ }],
  },
  {
    name: 'secret env var without a binding',
    files: manifest('secrets:\n  API_TOKEN: { keepLive: true }\n', ''),
    expected: [{ file: MANIFEST, at: '  dev:', code: 'secret-unbound', message: /secret variable `API_TOKEN` of workflows\/triage\/triage\.dsl\.yml has no binding for environment dev: add `secrets: \{ API_TOKEN: \{ env: <ENV_VAR_NAME> \} \}` or `\{ keepLive: true \}`/ }],
  },
  {
    name: 'binding for a variable the DSL does not have, and for a non-secret one',
    files: manifest('  API_TOKEN: { keepLive: true }\n', '  API_TOKEN: { keepLive: true }\n  API_TOKN: { env: X }\n  BASE_URL: { env: Y }\n'),
    expected: [
      { file: MANIFEST, at: 'API_TOKN', code: 'secret-unknown-env-var', message: /secrets\.API_TOKN: .* has no environment variable `API_TOKN` \(did you mean `API_TOKEN`\?\)/ },
      { file: MANIFEST, at: 'BASE_URL: { env', code: 'secret-not-secret', message: /`BASE_URL` is a string variable, not a secret/ },
    ],
  },
  {
    name: 'literal credential in the config',
    files: config('      passwordEnv: DEV_PASSWORD', '      password: hunter2-canary'),
    expected: [{ file: CONFIG, at: 'password: hunter2', code: 'literal-secret', message: /environments\.dev\.auth\.password: looks like a literal credential; secrets must not be in git: write `passwordEnv: <ENV_VAR_NAME>`/ }],
  },
  {
    name: 'health check naming an unknown output schema',
    files: check('      schema: triage', '      schema: triag'),
    expected: [{ file: MANIFEST, at: 'schema: triag', code: 'health-schema-unknown', message: 'healthChecks[0].expect.schema: no output schema `triag` (did you mean `triage`?). Known output schemas: triage.' }],
  },
  {
    name: 'health check naming an output schema that has errors',
    files: { [SCHEMA]: 'type: objekt\n' },
    expected: [
      { file: SCHEMA, at: 'type: objekt', code: 'output-schema-invalid', message: 'not a valid JSON Schema at /type: must be equal to one of the allowed values' },
      { file: MANIFEST, at: 'schema: triage', code: 'health-schema-invalid', message: 'healthChecks[0].expect.schema: output schema schemas/outputs/triage.schema.yaml has errors (reported in that file)' },
    ],
  },
  {
    name: 'output schema with a misspelt keyword',
    files: { [SCHEMA]: 'type: object\nrequried: [category]\n' },
    expected: [
      { file: SCHEMA, at: 'requried', code: 'output-schema-invalid', message: 'cannot compile the schema: unknown keyword: "requried"' },
      { file: MANIFEST, at: 'schema: triage', code: 'health-schema-invalid', message: /has errors/ },
    ],
  },
  {
    name: 'health check on an output the end node does not have',
    files: check('      output: result', '      output: reslt'),
    expected: [{ file: MANIFEST, at: 'output: reslt', code: 'health-output-unknown', message: /the end node of .* has no output `reslt` \(did you mean `result`\?\)/ }],
  },
  {
    name: 'health check inputs: unknown and missing required',
    files: check('      ticket: I was charged twice.', '      tickett: I was charged twice.'),
    expected: [
      { file: MANIFEST, at: 'tickett', code: 'health-input-unknown', message: /no input variable `tickett` \(did you mean `ticket`\?\)/ },
      { file: MANIFEST, at: '  - name: triages', code: 'health-input-missing', message: 'healthChecks[0]: required input `ticket` is not given under `inputs`' },
    ],
  },
  {
    name: 'health check with a query on a workflow app',
    files: check('    attempts: 3', '    query: hello\n    attempts: 3'),
    expected: [{ file: MANIFEST, at: 'query: hello', code: 'health-query-unexpected', message: /workflow apps take no `query`/ }],
  },
  {
    name: 'health check pass rule and regex',
    files: check('    minPasses: 2\n    expect:\n', '    minPasses: 4\n    expect:\n      regex: "(["\n'),
    expected: [
      { file: MANIFEST, at: 'minPasses: 4', code: 'health-pass-rule', message: 'healthChecks[0].minPasses: minPasses (4) is more than attempts (3)' },
      { file: MANIFEST, at: 'regex:', code: 'health-regex-invalid', message: /not a valid regular expression/ },
    ],
  },
  {
    name: 'health check names must be unique',
    files: { [MANIFEST]: `${BASE_MANIFEST}  - name: triages # again\n    inputs: { ticket: x }\n    expect: { contains: x }\n` },
    expected: [{ file: MANIFEST, at: 'triages # again', code: 'health-duplicate-name', message: 'healthChecks[1].name: another health check is already named `triages`' }],
  },
  {
    name: 'mode-specific rules for a completion app',
    files: { 'workflows/notes/app.yaml': COMPLETION_MANIFEST, 'workflows/notes/notes.dsl.yml': COMPLETION_DSL },
    expected: [
      { file: 'workflows/notes/app.yaml', at: '      nodes:', code: 'override-wrong-mode', message: /completion apps have no graph nodes; use `modelConfig` overrides/ },
      { file: 'workflows/notes/app.yaml', at: 'output: result', code: 'health-output-wrong-mode', message: /completion apps reply with an answer/ },
      { file: 'workflows/notes/app.yaml', at: 'status: succeeded', code: 'health-status-wrong-mode', message: /completion apps have no workflow run status/ },
    ],
  },
  {
    name: 'chat apps need a query in health checks',
    files: { 'workflows/chat/app.yaml': 'apiVersion: dify-gitops.dev/v1\nkind: App\nname: chat\ndsl: chat.dsl.yml\nenvironments:\n  dev:\n    target: { create: true }\nhealthChecks:\n  - name: hi\n    expect: { contains: hi }\n', 'workflows/chat/chat.dsl.yml': AGENT_DSL },
    expected: [{ file: 'workflows/chat/app.yaml', at: '  - name: hi', code: 'health-query-missing', message: 'healthChecks[0]: advanced-chat apps answer a user message: set `query`' }],
  },
  {
    name: 'unused mappings are warnings',
    files: manifest('    target: { create: true }\n', '    target: { create: true }\n    datasets: { faq: 0b6c1c1e-5d0a-4a0b-9a52-2a7c8d9e0f12 }\n    toolCredentials: { langgenius/tavily/tavily: cred-1 }\n'),
    expected: [
      { file: MANIFEST, at: 'datasets: { faq', code: 'dataset-mapping-unused', severity: 'warning', message: /no knowledge-retrieval node of .* uses `faq`/ },
      { file: MANIFEST, at: 'toolCredentials:', code: 'tool-credential-unused', severity: 'warning', message: /no tool in .* uses provider `langgenius\/tavily\/tavily`/ },
    ],
  },
  {
    name: 'no manifests match the glob',
    files: { [CONFIG]: `${BASE_CONFIG}apps:\n  manifests: apps/*/app.yaml\n` },
    expected: [{ file: CONFIG, at: 'apps:', code: 'manifests-none', severity: 'warning', message: 'apps: no app manifests match `apps/*/app.yaml`' }],
  },
  {
    name: 'YAML syntax error in a manifest',
    files: { [MANIFEST]: 'apiVersion: dify-gitops.dev/v1\nkind: App\nname: [unclosed\n' },
    expected: [{ file: MANIFEST, at: 4, code: 'yaml-syntax', message: /./ }],
  },
  {
    name: 'urlEnv holding something that is not a URL',
    files: config('    url: http://127.0.0.1:5001\n', '    url: http://127.0.0.1:5001\n    urlEnv: BAD_URL\n'),
    expected: [{ file: CONFIG, at: 'urlEnv: BAD_URL', code: 'url-env-invalid', message: 'environments.dev.urlEnv: environment variable BAD_URL must hold an http(s) URL' }],
  },
];

describe('every config error class has a code, a message naming the field, and the right line', () => {
  for (const c of CASES) {
    it(c.name, async () => {
      const root = makeRepo(c.files);
      const repo = await loadRepository({ cwd: root, env: { BAD_URL: 'ftp:/nope' } });
      const finalText = (file: string): string => (c.files[file] ?? { [CONFIG]: BASE_CONFIG, [MANIFEST]: BASE_MANIFEST, [DSL]: BASE_DSL }[file] ?? '');
      const actual = repo.diagnostics
        .filter((d) => !/^DSL\d+$/.test(d.code))
        .map((d) => ({ file: d.file, line: d.line, code: d.code, severity: d.severity, message: d.message }));
      const expected = c.expected.map((e) => ({
        file: e.file,
        line: typeof e.at === 'number' ? e.at : lineOf(finalText(e.file), e.at),
        code: e.code,
        severity: e.severity ?? 'error',
        message: typeof e.message === 'string' ? e.message : expect.stringMatching(e.message),
      }));
      expect(actual).toEqual(expect.arrayContaining(expected));
      expect(actual).toHaveLength(expected.length);
      expect(repo.valid).toBe(!c.expected.some((e) => (e.severity ?? 'error') === 'error'));
    });
  }
});
