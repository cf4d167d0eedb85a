import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { run as runDiff } from '../../src/cli/commands/diff-run.js';
import { run as runFmt } from '../../src/cli/commands/fmt-run.js';
import { runCommand } from '../../src/cli/run-command.js';
import { ExitCode } from '../../src/exit-codes.js';
import { captureCli } from '../support/capture-cli.js';
import { basicNodes, edge, workflowYaml } from '../support/dsl-builders.js';

function tempRepo(): string {
  return mkdtempSync(path.join(tmpdir(), 'dify-gitops-dsl-'));
}

function write(root: string, file: string, text: string): string {
  const full = path.join(root, file);
  mkdirSync(path.dirname(full), { recursive: true });
  writeFileSync(full, text);
  return full;
}

const UNSORTED = 'workflow:\n  graph: {nodes: [], edges: []}\nversion: 0.6.0\nkind: app\napp:\n  name: A  # keep me\n  mode: workflow\n';

describe('dify-gitops fmt', () => {
  it('--check lists files that would change, reports broken ones, writes nothing, skips manifests', async () => {
    const root = tempRepo();
    const dsl = write(root, 'workflows/a/a.dsl.yml', UNSORTED);
    const manifest = write(root, 'workflows/a/app.yaml', 'name: a\ndsl: a.dsl.yml\n');
    write(root, 'workflows/b/b.dsl.yml', 'app:\n  name: [unclosed\n');
    const cli = captureCli(root);
    const code = await runFmt(cli.ctx, [], { check: true });
    expect(code).toBe(ExitCode.Error);
    expect(cli.stdout()).toBe('would reformat workflows/a/a.dsl.yml\n');
    expect(cli.stderr()).toMatch(/^workflows\/b\/b\.dsl\.yml:3:1: error yaml-syntax /m);
    expect(readFileSync(dsl, 'utf8')).toBe(UNSORTED);
    expect(readFileSync(manifest, 'utf8')).toBe('name: a\ndsl: a.dsl.yml\n');
  });

  it('formats in place, keeps comments, and then --check passes', async () => {
    const root = tempRepo();
    const dsl = write(root, 'workflows/a/a.dsl.yml', UNSORTED);
    const first = captureCli(root);
    expect(await runFmt(first.ctx, [], {})).toBe(ExitCode.Ok);
    expect(first.stdout()).toBe('formatted workflows/a/a.dsl.yml\n');
    const text = readFileSync(dsl, 'utf8');
    expect(text.indexOf('app:')).toBeLessThan(text.indexOf('kind:'));
    expect(text).toContain('name: A  # keep me');
    const second = captureCli(root);
    expect(await runFmt(second.ctx, [], { check: true })).toBe(ExitCode.Ok);
    expect(second.stdout()).toBe('');
  });

  it('a named path that does not exist is an error', async () => {
    const root = tempRepo();
    const cli = captureCli(root);
    expect(await runFmt(cli.ctx, ['missing.yml'], {})).toBe(ExitCode.Error);
    expect(cli.stderr()).toContain('missing.yml does not exist');
  });
});

describe('dify-gitops diff', () => {
  const v1 = workflowYaml();
  const nodes = basicNodes();
  (nodes[1]!.data as Record<string, unknown>).prompt_template = [{ role: 'user', text: 'Be brief.\n{{#start.question#}}' }];
  const v2 = workflowYaml({ nodes, env: [{ name: 'TOKEN', value_type: 'secret', value: 'canary-VALUE-9731' }] });

  it('exits 2 and shows node, prompt and variable changes; never the secret', async () => {
    const root = tempRepo();
    write(root, 'old.yml', v1);
    write(root, 'new.yml', v2);
    for (const format of ['text', 'markdown', 'json'] as const) {
      const cli = captureCli(root);
      expect(await runDiff(cli.ctx, 'old.yml', 'new.yml', { format })).toBe(ExitCode.Changes);
      expect(cli.stdout()).not.toContain('canary');
      if (format === 'json') {
        const diff = JSON.parse(cli.stdout());
        expect(diff.summary).toMatchObject({ nodes: { changed: 1 }, variables: { added: 1 } });
      } else {
        expect(cli.stdout()).toContain('Be brief.');
        expect(cli.stdout()).toContain('TOKEN');
      }
    }
  });

  it('exits 0 when only positions differ', async () => {
    const root = tempRepo();
    write(root, 'a.yml', v1);
    write(root, 'b.yml', v1.replace(/x: 0/g, 'x: 500'));
    const cli = captureCli(root);
    expect(await runDiff(cli.ctx, 'a.yml', 'b.yml', {})).toBe(ExitCode.Ok);
    expect(cli.stdout()).toBe('No differences.\n');
  });

  it('reads git:<rev>:<path> and reports a bad revision as an error', async () => {
    const root = tempRepo();
    const git = (...args: string[]): string => execFileSync('git', args, { cwd: root, encoding: 'utf8' });
    git('init', '-q');
    write(root, 'workflows/a.dsl.yml', v1);
    git('add', '.');
    git('-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-qm', 'v1');
    write(root, 'workflows/a.dsl.yml', workflowYaml({ edges: [edge('start', 'end'), edge('llm', 'end')] }));
    const cli = captureCli(root);
    expect(await runDiff(cli.ctx, 'git:HEAD:workflows/a.dsl.yml', 'workflows/a.dsl.yml', { format: 'json' })).toBe(ExitCode.Changes);
    expect(JSON.parse(cli.stdout()).summary.edges.rewired).toBe(1);
    const bad = captureCli(root);
    const code = await runCommand(bad.ctx, () => runDiff(bad.ctx, 'git:no-such-rev:workflows/a.dsl.yml', 'workflows/a.dsl.yml', {}));
    expect(code).toBe(ExitCode.Error);
    expect(bad.stderr()).toMatch(/git show no-such-rev:\.\/workflows\/a\.dsl\.yml failed/);
  });

  it('an invalid side prints its diagnostics and exits 1', async () => {
    const root = tempRepo();
    write(root, 'ok.yml', v1);
    write(root, 'bad.yml', '{"data": "app:\\n  name: x\\n"}');
    const cli = captureCli(root);
    expect(await runDiff(cli.ctx, 'ok.yml', 'bad.yml', {})).toBe(ExitCode.Error);
    expect(cli.stderr()).toContain('bad.yml:1:2: error DSL000 this is a Dify API response');
  });
});
