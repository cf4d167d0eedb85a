// Runs the shell step of action.yml the way the runner does (`bash --noprofile --norc -eo pipefail`)
// with a stand-in for the CLI that records its arguments and exits with a chosen code, to check
// the arguments built from the inputs, the outputs written to $GITHUB_OUTPUT and the exit code.

import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const run = promisify(execFile);

interface Step {
  id?: string;
  run?: string;
  env?: Record<string, string>;
}

const action = parse(await readFile(path.join(repoRoot, 'action.yml'), 'utf8')) as { runs: { steps: Step[] } };
const step = action.runs.steps.find((s) => s.id === 'run')!;

const STUB = `
import { appendFileSync } from 'node:fs';
appendFileSync(process.env.STUB_LOG, JSON.stringify({ args: process.argv.slice(2), token: process.env.GITHUB_TOKEN === 'ghs_input_token' }) + '\\n');
process.exit(Number(process.env.STUB_EXIT ?? '0'));
`;

describe('action.yml run step', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'dify-gitops-action-'));
    await mkdir(path.join(dir, 'action/dist/src/cli'), { recursive: true });
    await writeFile(path.join(dir, 'action/dist/src/cli/main.js'), STUB);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  /** Inputs as the runner would pass them into the step's env (defaults from action.yml). */
  async function runStep(inputs: Partial<Record<'command' | 'environment' | 'config' | 'reporting' | 'args' | 'event', string>>, exit: number) {
    const output = path.join(dir, `output-${Math.random().toString(16).slice(2)}`);
    const log = path.join(dir, `log-${Math.random().toString(16).slice(2)}`);
    await writeFile(output, '');
    const env = {
      PATH: process.env.PATH,
      GITHUB_ACTION_PATH: path.join(dir, 'action'),
      GITHUB_OUTPUT: output,
      RUNNER_TEMP: dir,
      STUB_LOG: log,
      STUB_EXIT: String(exit),
      GITHUB_TOKEN: 'ghs_input_token',
      DG_COMMAND: inputs.command ?? 'plan',
      DG_ENVIRONMENT: inputs.environment ?? '',
      DG_CONFIG: inputs.config ?? '',
      DG_REPORTING: inputs.reporting ?? 'true',
      DG_ARGS: inputs.args ?? '',
      DG_EVENT: inputs.event ?? 'pull_request',
    };
    let code = 0;
    let stdout = '';
    try {
      stdout = (await run('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run!], { env, cwd: dir })).stdout;
    } catch (error) {
      code = (error as { code: number }).code;
      stdout = (error as { stdout: string }).stdout;
    }
    const calls = (await readFile(log, 'utf8').catch(() => '')).trim().split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { args: string[]; token: boolean });
    const outputs = Object.fromEntries((await readFile(output, 'utf8')).trim().split('\n').filter((l) => l !== '').map((l) => l.split(/=(.*)/s).slice(0, 2)));
    return { code, calls, outputs, stdout };
  }

  it('reads every input from the environment the action maps them to', () => {
    expect(Object.keys(step.env!)).toEqual(['GITHUB_TOKEN', 'DG_COMMAND', 'DG_ENVIRONMENT', 'DG_CONFIG', 'DG_REPORTING', 'DG_ARGS', 'DG_EVENT']);
  });

  it('plans on a pull request with a comment, a plan file and "changes" as success', async () => {
    const result = await runStep({ command: 'plan', environment: 'prod', config: 'infra/dify-gitops.yaml', args: '--app support-bot  --concurrency 2' }, 2);
    const planFile = path.join(dir, 'dify-gitops-plan-prod.json');
    expect(result.calls).toEqual([{ args: ['plan', '--env', 'prod', '--config', 'infra/dify-gitops.yaml', '--detailed-exitcode', '--out', planFile, '--github-comment', '--app', 'support-bot', '--concurrency', '2'], token: true }]);
    expect(result.code).toBe(0);
    // The stand-in wrote no plan file, so none is reported.
    expect(result.outputs).toEqual({ 'exit-code': '2', 'has-changes': 'true', 'plan-file': '' });
    expect(result.stdout).toContain('::add-matcher::');
    expect(result.stdout).toContain('::remove-matcher owner=dify-gitops::');
  });

  it('plans without commenting on a push, and reports no changes', async () => {
    const result = await runStep({ command: 'plan', event: 'push' }, 0);
    expect(result.calls[0]!.args).toEqual(['plan', '--detailed-exitcode', '--out', path.join(dir, 'dify-gitops-plan-all.json')]);
    expect(result.outputs).toMatchObject({ 'exit-code': '0', 'has-changes': 'false' });
  });

  it('applies with deployments, and fails the step with apply\'s exit code', async () => {
    const rolledBack = await runStep({ command: 'apply', environment: 'staging', event: 'push' }, 3);
    expect(rolledBack.calls[0]!.args).toEqual(['apply', '--env', 'staging', '--github-deployment']);
    expect(rolledBack.code).toBe(3);
    expect(rolledBack.outputs).toEqual({ 'exit-code': '3', 'has-changes': 'false', 'plan-file': '' });
    const quiet = await runStep({ command: 'apply', reporting: 'false', event: 'push' }, 0);
    expect(quiet.calls[0]!.args).toEqual(['apply']);
  });

  it('refuses an unknown command without running anything, whatever the input holds', async () => {
    const result = await runStep({ command: 'plan; rm -rf /' }, 0);
    expect(result.code).toBe(1);
    expect(result.calls).toEqual([]);
    expect(result.stdout).toContain("::error title=dify-gitops::input command must be plan, apply, validate, reconcile, rotate or preview, not 'plan; rm -rf /'");
  });

  it('previews on a pull request into its plan comment; cleans up without commenting; fails the step when a preview fails', async () => {
    const built = await runStep({ command: 'preview', environment: 'dev', args: '--secrets bind' }, 0);
    expect(built.calls[0]!.args).toEqual(['preview', '--env', 'dev', '--github-comment', '--secrets', 'bind']);
    expect(built.outputs).toEqual({ 'exit-code': '0', 'has-changes': 'false', 'plan-file': '' });
    const closed = await runStep({ command: 'preview', environment: 'dev', args: '--cleanup --pr 7' }, 0);
    expect(closed.calls[0]!.args).toEqual(['preview', '--env', 'dev', '--cleanup', '--pr', '7']);
    const nightly = await runStep({ command: 'preview', environment: 'dev', args: '--cleanup --older-than 7d', event: 'schedule' }, 0);
    expect(nightly.calls[0]!.args).toEqual(['preview', '--env', 'dev', '--cleanup', '--older-than', '7d']);
    const unhealthy = await runStep({ command: 'preview', environment: 'dev', reporting: 'false' }, 1);
    expect(unhealthy.calls[0]!.args).toEqual(['preview', '--env', 'dev']);
    expect(unhealthy.code).toBe(1);
    expect(unhealthy.outputs).toMatchObject({ 'exit-code': '1', 'has-changes': 'false' });
  });

  it('passes validate and rotate through with their environment', async () => {
    expect((await runStep({ command: 'validate', environment: 'prod' }, 0)).calls[0]!.args).toEqual(['validate', '--env', 'prod']);
    expect((await runStep({ command: 'rotate', environment: 'prod', event: 'schedule' }, 1)).code).toBe(1);
  });
});
