import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRepository, renderEnvironmentDsl, type DesiredApp } from '../../src/config/index.js';
import { formatDiagnostic } from '../../src/diagnostics.js';
import { UsageError } from '../../src/errors.js';
import { BASE_CONFIG, BASE_DSL, BASE_MANIFEST, edit, makeRepo } from '../support/config-repo.js';

function pick(desired: readonly DesiredApp[], environment: string): DesiredApp {
  const found = desired.find((d) => d.environment === environment);
  if (!found) throw new Error(`no desired app for ${environment}`);
  return found;
}

describe('loadRepository on a valid repository', () => {
  it('resolves environments: auth references, url, policies cascaded over the defaults', async () => {
    const repo = await loadRepository({ cwd: makeRepo(), env: {} });
    expect(repo.diagnostics.map(formatDiagnostic)).toEqual([]);
    expect(repo.valid).toBe(true);
    expect(repo.configFile).toBe('dify-gitops.yaml');
    const [dev, prod] = repo.environments;
    expect(dev).toMatchObject({ name: 'dev', url: 'http://127.0.0.1:5001', urlFrom: 'config', dev: true });
    expect(dev?.auth).toEqual({ kind: 'password', email: { env: 'DEV_EMAIL' }, password: { env: 'DEV_PASSWORD' } });
    expect(prod?.auth).toEqual({ kind: 'adminApiKey', apiKey: { env: 'PROD_ADMIN_KEY' }, workspaceId: { literal: '0b6c1c1e-5d0a-4a0b-9a52-2a7c8d9e0f11' } });
    expect(prod?.expect).toEqual({ dslVersion: '0.6.0' });
    expect(dev?.policies).toEqual({ sync: 'manual', drift: 'warn', prune: false, suspend: false, allowPendingImport: false, reconcileIntervalMs: 90_000, ignore: [] });
    expect(prod?.policies.drift).toBe('heal');
  });

  it('resolves one DesiredApp per environment: target, overrides, secret binding names, health checks', async () => {
    const root = makeRepo();
    const repo = await loadRepository({ cwd: root, env: {} });
    expect(repo.desired.map((d) => `${d.environment}/${d.name}`)).toEqual(['dev/triage', 'prod/triage']);

    const dev = pick(repo.desired, 'dev');
    expect(dev.target).toEqual({ kind: 'create' });
    expect(dev.overrides).toEqual([]);
    expect(dev.secrets).toEqual([{ variable: 'API_TOKEN', keepLive: true }]);

    const prod = pick(repo.desired, 'prod');
    expect(prod.target).toEqual({ kind: 'appId', appId: '3f2504e0-4f89-41d3-9a0c-0305e82c3301' });
    expect(prod.overrides).toEqual([
      { kind: 'envVar', name: 'BASE_URL', value: 'https://tickets.example.com' },
      { kind: 'envVar', name: 'MAX_WORDS', value: 25 },
      { kind: 'node', nodeId: 'classify', pointer: '/model/name', value: 'gpt-4o' },
    ]);
    expect(prod.secrets).toEqual([{ variable: 'API_TOKEN', keepLive: false, source: { env: 'PROD_API_TOKEN' } }]);
    expect(prod.policies).toMatchObject({ sync: 'manual', drift: 'heal' });
    expect(prod.source).toMatchObject({ name: 'triage', manifestFile: 'workflows/triage/app.yaml', dslFile: 'workflows/triage/triage.dsl.yml', mode: 'workflow', dslVersion: '0.6.0', tags: ['support'] });

    const [check] = prod.healthChecks;
    expect(check).toMatchObject({ name: 'triages', mode: 'workflow', inputs: { ticket: 'I was charged twice.' }, responseMode: 'blocking', attempts: 3, minPasses: 2, timeoutMs: 60_000 });
    expect(check?.expect).toMatchObject({ status: 'succeeded', subject: { kind: 'output', name: 'result' }, json: true, contains: [], notContains: [] });
    expect(check?.expect.schema?.check({ category: 'billing' })).toEqual([]);
    expect(check?.expect.schema?.check({ category: 'weather' }).join()).toMatch(/category/);
  });

  it('renders the per-environment DSL without touching the shared one', async () => {
    const repo = await loadRepository({ cwd: makeRepo(), env: {} });
    const prod = pick(repo.desired, 'prod');
    const rendered = renderEnvironmentDsl(prod);
    const vars = rendered.workflow?.environment_variables ?? [];
    expect(vars.find((v) => v.name === 'BASE_URL')?.value).toBe('https://tickets.example.com');
    expect(vars.find((v) => v.name === 'MAX_WORDS')?.value).toBe(25);
    expect(rendered.workflow?.graph?.nodes?.find((n) => n.id === 'classify')?.data.model).toMatchObject({ name: 'gpt-4o', provider: 'langgenius/openai/openai' });
    // The DSL from git (shared by dev) is unchanged.
    expect(prod.source.dsl.dsl.workflow?.graph?.nodes?.find((n) => n.id === 'classify')?.data.model).toMatchObject({ name: 'gpt-4o-mini' });
    expect(renderEnvironmentDsl(pick(repo.desired, 'dev'))).toEqual(prod.source.dsl.dsl);
  });

  it('takes the URL from urlEnv when that variable is set, and ignores it when empty', async () => {
    const config = edit(BASE_CONFIG, '    url: http://127.0.0.1:5001\n', '    url: http://127.0.0.1:5001\n    urlEnv: DEV_URL\n');
    const root = makeRepo({ 'dify-gitops.yaml': config });
    const set = await loadRepository({ cwd: root, env: { DEV_URL: 'http://127.0.0.1:61234/' } });
    expect(set.environments[0]).toMatchObject({ url: 'http://127.0.0.1:61234', urlFrom: { env: 'DEV_URL' } });
    const empty = await loadRepository({ cwd: root, env: { DEV_URL: '' } });
    expect(empty.environments[0]).toMatchObject({ url: 'http://127.0.0.1:5001', urlFrom: 'config' });
  });

  it('finds the config from a subdirectory, from $DIFY_GITOPS_CONFIG and from --config', async () => {
    const root = makeRepo();
    const sub = join(root, 'workflows', 'triage');
    expect((await loadRepository({ cwd: sub, env: {} })).root).toBe(root);
    const elsewhere = makeRepo({}, { base: false });
    mkdirSync(join(elsewhere, '.git'));
    expect((await loadRepository({ cwd: elsewhere, env: { DIFY_GITOPS_CONFIG: join(root, 'dify-gitops.yaml') } })).root).toBe(root);
    expect((await loadRepository({ cwd: elsewhere, configPath: join(root, 'dify-gitops.yaml'), env: {} })).valid).toBe(true);
    await expect(loadRepository({ cwd: elsewhere, env: {} })).rejects.toThrow(/no dify-gitops.yaml in .* or its parent directories/);
    await expect(loadRepository({ cwd: elsewhere, configPath: 'nope.yaml', env: {} })).rejects.toThrow('config file nope.yaml (from --config) does not exist');
  });

  it('restricts per-environment rules to --env and refuses an unknown environment', async () => {
    // prod lacks a binding for a new secret; with --env dev that is not reported.
    const dsl = edit(
      BASE_DSL,
      '  conversation_variables: []',
      "  - id: 44444444-4444-4444-8444-444444444444\n    name: SECOND_SECRET\n    value: ''\n    value_type: secret\n  conversation_variables: []",
    );
    const root = makeRepo({ 'workflows/triage/triage.dsl.yml': dsl });
    const all = await loadRepository({ cwd: root, env: {} });
    expect(all.diagnostics.filter((d) => d.code === 'secret-unbound').map((d) => d.message)).toEqual([
      expect.stringContaining('`SECOND_SECRET` of workflows/triage/triage.dsl.yml has no binding for environment dev'),
      expect.stringContaining('for environment prod'),
    ]);
    const onlyDev = await loadRepository({ cwd: root, env: {}, onlyEnvironment: 'dev' });
    expect(onlyDev.diagnostics.filter((d) => d.code === 'secret-unbound')).toHaveLength(1);
    expect(onlyDev.desired.map((d) => d.environment)).toEqual(['dev']);
    await expect(loadRepository({ cwd: root, env: {}, onlyEnvironment: 'prdo' })).rejects.toThrow(UsageError);
    await expect(loadRepository({ cwd: root, env: {}, onlyEnvironment: 'prdo' })).rejects.toThrow('unknown environment `prdo` (did you mean `prod`?)');
  });

  it('accepts several manifest globs and a custom output-schema directory', async () => {
    const config = `${BASE_CONFIG}apps:\n  manifests: [apps/**/app.yaml, more/*.yaml]\noutputSchemas:\n  dir: contracts\n`;
    const root = makeRepo(
      {
        'dify-gitops.yaml': config,
        'apps/support/triage/app.yaml': BASE_MANIFEST,
        'apps/support/triage/triage.dsl.yml': BASE_DSL,
        'contracts/triage.schema.json': '{"type":"object","required":["category"]}',
      },
      { base: false },
    );
    const repo = await loadRepository({ cwd: root, env: {} });
    expect(repo.diagnostics.map(formatDiagnostic)).toEqual([]);
    expect(repo.apps.map((a) => a.manifestFile)).toEqual(['apps/support/triage/app.yaml']);
    expect(repo.outputSchemas.map((s) => s.name)).toEqual(['triage']);
  });
});
