// The `validate` command implementation called with a captured CliContext: sorted
// `file:line:col: severity code message` lines plus a summary, a stable JSON document, exit codes,
// DSL-paths mode without a config, and canary credentials that never reach the output.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/commands/validate-run.js';
import { runCommand } from '../../src/cli/run-command.js';
import { ExitCode } from '../../src/exit-codes.js';
import { capturedCliContext } from '../support/captured-cli-context.js';
import { BASE_CONFIG, BASE_DSL, BASE_MANIFEST, edit, lineOf, makeRepo, REPO_ROOT } from '../support/config-repo.js';

describe('dify-gitops validate', () => {
  it('prints a summary and exits 0 for the example repository', async () => {
    const ctx = capturedCliContext({ cwd: REPO_ROOT });
    expect(await run(ctx, [], { format: 'text' })).toBe(ExitCode.Ok);
    expect(ctx.stdout()).toBe('valid: 3 apps in 3 environments, 1 output schema; 0 errors, 0 warnings\n');
    expect(ctx.stderr()).toBe('');
  });

  it('prints every problem, sorted by file and line, then the summary; exits 1', async () => {
    const root = makeRepo({
      'dify-gitops.yaml': edit(BASE_CONFIG, '  sync: manual', '  sync: sometimes'),
      'workflows/triage/app.yaml': edit(edit(BASE_MANIFEST, '        classify:', '        clasify:'), '      output: result', '      output: reslt'),
    });
    const ctx = capturedCliContext({ cwd: root });
    expect(await run(ctx, [], { format: 'text' })).toBe(ExitCode.Error);
    const config = lineOf(BASE_CONFIG, '  sync: manual');
    const node = lineOf(BASE_MANIFEST, '        classify:');
    const output = lineOf(BASE_MANIFEST, '      output: result');
    expect(ctx.stdout().split('\n')).toEqual([
      `dify-gitops.yaml:${config}:9: error schema-enum policies.sync: must be one of \`auto\`, \`manual\``,
      `workflows/triage/app.yaml:${node}:9: error override-unknown-node environments.prod.overrides.nodes.clasify: workflows/triage/triage.dsl.yml has no node \`clasify\` (did you mean \`classify\`?)`,
      `workflows/triage/app.yaml:${output}:15: error health-output-unknown healthChecks[0].expect.output: the end node of workflows/triage/triage.dsl.yml has no output \`reslt\` (did you mean \`result\`?)`,
      'invalid: 3 errors, 0 warnings (checked 1 app in 0 environments, 1 output schema)',
      '',
    ]);
  });

  it('--format json prints a stable document with diagnostics and a summary', async () => {
    const root = makeRepo({ 'workflows/triage/app.yaml': edit(BASE_MANIFEST, '    target: { create: true }\n', '    target: { create: true }\n    datasets: { unused: 0b6c1c1e-5d0a-4a0b-9a52-2a7c8d9e0f12 }\n') });
    const ctx = capturedCliContext({ cwd: root });
    expect(await run(ctx, [], { format: 'json' })).toBe(ExitCode.Ok);
    expect(JSON.parse(ctx.stdout())).toEqual({
      diagnostics: [
        {
          file: 'workflows/triage/app.yaml',
          line: 11,
          col: 17,
          severity: 'warning',
          code: 'dataset-mapping-unused',
          message: 'environments.dev.datasets.unused: no knowledge-retrieval node of workflows/triage/triage.dsl.yml uses `unused`',
          path: '/environments/dev/datasets/unused',
        },
      ],
      summary: { errors: 0, warnings: 1 },
    });
    expect(Object.keys(JSON.parse(ctx.stdout()) as object)).toEqual(['diagnostics', 'summary']);
  });

  it('--env limits per-environment checks; an unknown environment is a usage error (exit 1)', async () => {
    // A second secret, bound in dev only.
    const root = makeRepo({
      'workflows/triage/triage.dsl.yml': edit(BASE_DSL, '  conversation_variables: []', "  - id: 44444444-4444-4444-8444-444444444444\n    name: SECOND_SECRET\n    value: ''\n    value_type: secret\n  conversation_variables: []"),
      'workflows/triage/app.yaml': edit(BASE_MANIFEST, '    target: { create: true }\n', '    target: { create: true }\n    secrets: { SECOND_SECRET: { keepLive: true } }\n'),
    });
    const dev = capturedCliContext({ cwd: root });
    expect(await run(dev, [], { env: 'dev', format: 'text' })).toBe(ExitCode.Ok);
    expect(dev.stdout()).toBe('valid: 1 app in 1 environment, 1 output schema; 0 errors, 0 warnings\n');
    const prod = capturedCliContext({ cwd: root });
    expect(await run(prod, [], { env: 'prod', format: 'text' })).toBe(ExitCode.Error);
    expect(prod.stdout()).toContain('error secret-unbound environments.prod: secret variable `SECOND_SECRET`');
    const bad = capturedCliContext({ cwd: root });
    expect(await runCommand(bad, () => run(bad, [], { env: 'qa', format: 'text' }))).toBe(ExitCode.Error);
    expect(bad.stderr()).toBe('dify-gitops: unknown environment `qa`; dify-gitops.yaml declares dev, prod\n');
  });

  it('without a config it explains where it looked (exit 1)', async () => {
    const root = makeRepo({}, { base: false });
    const ctx = capturedCliContext({ cwd: root, env: {} });
    expect(await runCommand(ctx, () => run(ctx, [], { format: 'text' }))).toBe(ExitCode.Error);
    expect(ctx.stderr()).toMatch(/^dify-gitops: no dify-gitops\.yaml in .* or its parent directories; create one \(see docs\/repository-format\.md\) or pass --config <path>\n$/);
  });

  it('with DSL paths, lints only those files and needs no config', async () => {
    const root = makeRepo({ 'a/good.dsl.yml': BASE_DSL, 'a/nested/bad.dsl.yml': 'app: [oops\n', 'a/ignored.yaml': 'not: a dsl\n' }, { base: false });
    const ctx = capturedCliContext({ cwd: root });
    expect(await run(ctx, ['a'], { format: 'text' })).toBe(ExitCode.Error);
    const lines = ctx.stdout().trim().split('\n');
    expect(lines.at(-1)).toMatch(/^invalid: 1 error, 0 warnings \(checked 2 DSL files\)$/);
    expect(lines.slice(0, -1).every((l) => l.startsWith('a/nested/bad.dsl.yml:'))).toBe(true);

    const single = capturedCliContext({ cwd: join(root, 'a') });
    expect(await run(single, ['good.dsl.yml'], { format: 'text' })).toBe(ExitCode.Ok);
    expect(single.stdout()).toBe('valid: 1 DSL file; 0 errors, 0 warnings\n');

    const missing = capturedCliContext({ cwd: root });
    expect(await run(missing, ['nope.dsl.yml'], { format: 'text' })).toBe(ExitCode.Error);
    expect(missing.stdout()).toContain('nope.dsl.yml: error file-not-found nope.dsl.yml does not exist');
  });

  it('never prints a credential written into the repository, in text or JSON', async () => {
    const canaries = ['Canary-Pa55word-7d1f', 'sk-canary-0123456789abcdef', 'tok-canary-secret-42'];
    const root = makeRepo({
      'dify-gitops.yaml': edit(BASE_CONFIG, '      passwordEnv: DEV_PASSWORD', `      password: ${canaries[0]}`),
      'workflows/triage/app.yaml': edit(edit(BASE_MANIFEST, '  API_TOKEN: { keepLive: true }', `  API_TOKEN: ${canaries[1]}`), '        MAX_WORDS: 25', `        MAX_WORDS: 25\n        OPENAI_API_KEY: ${canaries[2]}`),
    });
    for (const format of ['text', 'json'] as const) {
      const ctx = capturedCliContext({ cwd: root });
      expect(await run(ctx, [], { format })).toBe(ExitCode.Error);
      const output = ctx.stdout() + ctx.stderr();
      for (const canary of canaries) {
        expect(output).not.toContain(canary);
        expect(ctx.redactor.has(canary)).toBe(true);
      }
      expect(output.match(/literal-secret/g)).toHaveLength(3);
    }
  });
});
