// The `rotation:` section of dify-gitops.yaml through the real loader: defaults, every diagnostic
// with its line, and sinks resolved. No Dify is contacted.

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { afterEach, describe, expect, it } from 'vitest';
import { loadRepository } from '../../src/config/index.js';
import type { LoadedRepository } from '../../src/config/types.js';
import { createFixtureRepo, type FixtureRepo } from '../support/gitops-repo.js';
import { gatedDsl, HEALTH, TOKEN_VAR } from '../support/rotation-world.js';

let repo: FixtureRepo | undefined;
afterEach(async () => {
  await repo?.cleanup();
  repo = undefined;
});

async function load(rotation: Record<string, unknown>, secrets: Record<string, unknown> = { [TOKEN_VAR]: { env: 'BOUND_TOKEN' } }): Promise<LoadedRepository> {
  repo = await createFixtureRepo({ prod: 'http://127.0.0.1:9', staging: 'http://127.0.0.1:9' });
  await repo.writeApp({ name: 'gated', dsl: gatedDsl(), healthChecks: HEALTH, environments: { prod: { target: { create: true }, secrets } } });
  const path = join(repo.dir, 'dify-gitops.yaml');
  await writeFile(path, stringify({ ...(parse(await readFile(path, 'utf8')) as object), rotation }));
  return loadRepository({ cwd: repo.dir, env: repo.env });
}

const problems = (loaded: LoadedRepository): string[] => loaded.diagnostics.filter((d) => d.file === 'dify-gitops.yaml').map((d) => `${d.line}: ${d.severity} ${d.code} ${d.message}`);

describe('rotation config', () => {
  it('resolves each kind with its defaults', async () => {
    const loaded = await load({
      key: { kind: 'appApiKey', environment: 'prod', app: 'gated', schedule: '0 3 * * 1', sinks: [{ file: '/run/keys/gated' }, { githubSecret: { repository: 'acme/apps', name: 'GATED_KEY' } }, { command: ['vault', 'write'] }] },
      token: { kind: 'envVar', environment: 'prod', app: 'gated', variable: TOKEN_VAR },
      openai: { kind: 'providerCredential', environment: 'prod', provider: 'openai', field: 'openai_api_key', source: { file: 'k' } },
    });
    expect(problems(loaded)).toEqual([]);
    const [key, token, openai] = loaded.rotations;
    expect(key).toMatchObject({
      kind: 'appApiKey',
      gracePeriodMs: 300_000,
      quietPeriodMs: 120_000,
      maxWaitMs: 3_600_000,
      schedule: { cron: '0 3 * * 1' },
      sinks: [
        { kind: 'file', path: '/run/keys/gated' },
        { kind: 'githubSecret', owner: 'acme', repo: 'apps', name: 'GATED_KEY', environment: undefined, tokenEnv: 'GITHUB_TOKEN' },
        { kind: 'command', argv: ['vault', 'write'] },
      ],
    });
    expect(token).toMatchObject({ kind: 'envVar', source: { env: 'BOUND_TOKEN' }, schedule: undefined });
    expect(openai).toMatchObject({ kind: 'providerCredential', provider: 'langgenius/openai/openai', healthApps: ['gated'], previousSource: undefined });
  });

  it('reports every problem at its field', async () => {
    const loaded = await load(
      {
        a: { kind: 'appApiKey', environment: 'prod', app: 'gated', variable: 'X' },
        b: { kind: 'envVar', environment: 'prd', app: 'gated', variable: TOKEN_VAR },
        c: { kind: 'envVar', environment: 'prod', app: 'gatd', variable: TOKEN_VAR },
        d: { kind: 'envVar', environment: 'prod', app: 'gated', variable: 'UPSTREAM_TOKN' },
        e: { kind: 'envVar', environment: 'prod', app: 'gated', variable: TOKEN_VAR },
        f: { kind: 'appApiKey', environment: 'prod', app: 'gated', sinks: [{ file: '/run/k' }], schedule: '0 25 * * *' },
        h: { kind: 'appApiKey', environment: 'prod', app: 'gated', sinks: [{ file: 'keys/gated.key' }] },
        g: { kind: 'providerCredential', environment: 'prod', provider: 'openai', field: 'k', source: { env: 'K' }, healthApps: ['nope'] },
      },
      { [TOKEN_VAR]: { keepLive: true } },
    );
    expect(loaded.valid).toBe(false);
    const text = problems(loaded).join('\n');
    expect(text).toContain('error rotation-field-missing rotation.a: kind `appApiKey` needs `sinks`');
    expect(text).toContain('error rotation-field-kind rotation.a.variable: `variable` does not apply to kind `appApiKey`');
    expect(text).toContain('error env-unknown rotation.b.environment: unknown environment `prd` (did you mean `prod`?)');
    expect(text).toContain('error rotation-unknown-app rotation.c.app: no app `gatd` deploys to environment `prod` (did you mean `gated`?)');
    expect(text).toContain('error rotation-not-secret rotation.d.variable: workflows/gated/gated.dsl.yml has no env var `UPSTREAM_TOKN` (did you mean `UPSTREAM_TOKEN`?)');
    expect(text).toContain('error rotation-source-missing rotation.e: no `source`, and app `gated` binds `UPSTREAM_TOKEN` with keepLive in `prod`');
    expect(text).toContain('error rotation-schedule-invalid rotation.f.schedule: `0 25 * * *` is not a valid cron expression: hour: 25 is a invalid expression for hour');
    expect(text).toContain('warning rotation-sink-in-repo rotation.h.sinks[0]: `keys/gated.key` is inside the repository: make sure git ignores it');
    expect(text).toContain('error rotation-unknown-app rotation.g.healthApps[0]: no app `nope` deploys to environment `prod`');
    for (const line of problems(loaded)) expect(line).toMatch(/^[1-9]\d*: /);
  });

  it('refuses two rotations of the same variable', async () => {
    const loaded = await load({
      one: { kind: 'envVar', environment: 'prod', app: 'gated', variable: TOKEN_VAR },
      two: { kind: 'envVar', environment: 'prod', app: 'gated', variable: TOKEN_VAR, source: { env: 'OTHER' } },
    });
    expect(problems(loaded)).toEqual([expect.stringContaining('error rotation-duplicate-target rotation.two.variable: `one` already rotates this variable')]);
  });

  it('refuses a literal credential written into a rotation entry, without repeating it', async () => {
    const loaded = await load({ three: { kind: 'appApiKey', environment: 'prod', app: 'gated', sinks: [{ file: '/k' }], apiKey: 'app-literal-canary-77aa' } });
    const text = problems(loaded).join('\n');
    expect(text).toContain('error literal-secret rotation.three.apiKey: looks like a literal credential');
    expect(text).not.toContain('app-literal-canary-77aa');
  });
});
