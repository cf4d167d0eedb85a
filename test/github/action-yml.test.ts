// action.yml as a runner sees it. Structure: every expression names something that exists (inputs,
// step outputs the steps really write), every `uses:` is pinned by commit SHA, every command and
// flag the script builds exists in the CLI, the problem matcher it adds is the one it removes.
// Execution: the action's run steps in bash (test/support/composite-action.ts) from this checkout
// (GITHUB_ACTION_PATH = the repository root, the built CLI in dist/) against the Dify simulator,
// a temporary config repository and the fake GitHub: validate, a plan on a pull request that
// comments, an apply that creates the app, a plan with nothing left to do, and a bad command.
// The install step runs with `npm` stood in by a recorder: a real `npm ci` would replace this
// shared checkout's node_modules, and the build it runs is the one the suite already made (dist/).

import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../src/simulator/server.js';
import { actionsRun, type ActionsRun } from '../support/actions-run.js';
import { CLI, ensureBuilt } from '../support/cli-process.js';
import { evaluate, expressionsIn, runCompositeAction, type ActionFile, type ActionRun } from '../support/composite-action.js';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github.js';
import { createFixtureRepo, simClient, startSim, type FixtureRepo } from '../support/gitops-repo.js';
import { workflowDsl } from '../support/plan-builders.js';
import { createPreviewRepo } from '../support/preview-repo.js';
import { gatedDsl } from '../support/rotation-world.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const actionText = readFileSync(path.join(repoRoot, 'action.yml'), 'utf8');
const action = parse(actionText) as ActionFile;
const runStep = action.runs.steps.find((s) => s.id === 'run')!;
const exec = promisify(execFile);
const CANARY = 'tok-canary-action-run-5e0c7d19a3';

describe('action.yml structure', () => {
  it('is a composite action whose run steps all declare shell: bash', () => {
    expect(action.runs.using).toBe('composite');
    for (const step of action.runs.steps) if (step.run !== undefined) expect(step.shell, step.name).toBe('bash');
  });

  it('pins every `uses:` by a 40-hex commit SHA', () => {
    const uses = action.runs.steps.filter((s) => s.uses !== undefined).map((s) => s.uses!);
    expect(uses.length).toBeGreaterThan(0);
    for (const ref of uses) expect(ref).toMatch(/^[\w.-]+\/[\w.-]+(?:\/[\w./-]+)?@[0-9a-f]{40}$/);
  });

  it('uses only inputs it declares, and only expressions the runner (and this test’s evaluator) can evaluate', () => {
    const declared = Object.keys(action.inputs);
    const expressions = expressionsIn(actionText);
    expect(expressions.length).toBeGreaterThan(5);
    for (const expression of expressions) {
      const input = /^inputs\.(.+)$/.exec(expression)?.[1];
      if (input !== undefined) expect(declared, `\${{ ${expression} }}`).toContain(input);
      // Throws for a form the evaluator does not know (e.g. a function call or another context).
      evaluate(expression, { inputs: Object.fromEntries(declared.map((d) => [d, ''])), github: { token: '', action_path: '', event_name: '' }, steps: {} });
    }
  });

  it('maps each output to a step output that step writes to $GITHUB_OUTPUT', () => {
    expect(Object.keys(action.outputs)).toEqual(['exit-code', 'has-changes', 'plan-file']);
    for (const [name, spec] of Object.entries(action.outputs)) {
      const m = /^\$\{\{ steps\.([\w-]+)\.outputs\.([\w-]+) \}\}$/.exec(spec.value);
      expect(m, name).not.toBeNull();
      const step = action.runs.steps.find((s) => s.id === m![1]);
      expect(step?.run, name).toBeDefined();
      expect(step!.run).toMatch(new RegExp(`echo "${m![2]!}=`));
      expect(step!.run).toContain('>> "$GITHUB_OUTPUT"');
    }
  });

  it('never splices an input into a script: inputs reach run steps through env', () => {
    for (const step of action.runs.steps) if (step.run !== undefined) expect(expressionsIn(step.run)).toEqual([]);
  });

  it('adds the problem matcher file it names and removes exactly the owners that file defines', () => {
    const file = path.join(repoRoot, '.github/problem-matchers/dify-gitops.json');
    expect(runStep.run).toContain('::add-matcher::$GITHUB_ACTION_PATH/.github/problem-matchers/dify-gitops.json');
    const owners = (JSON.parse(readFileSync(file, 'utf8')) as { problemMatcher: { owner: string }[] }).problemMatcher.map((m) => m.owner);
    const removed = [...runStep.run!.matchAll(/::remove-matcher owner=([\w-]+)::/g)].map((m) => m[1]);
    expect(removed.sort()).toEqual(owners.sort());
  });

  it('builds only commands and flags the CLI has', async () => {
    ensureBuilt();
    const commands = /case "\$DG_COMMAND" in\s+([\w|]+)\)/.exec(runStep.run!)![1]!.split('|');
    expect(commands).toEqual(['plan', 'apply', 'validate', 'reconcile', 'rotate', 'preview']);
    const flagsOf = async (command: string): Promise<string> => (await exec(process.execPath, [CLI, command, '--help'])).stdout;
    for (const command of commands) {
      const help = await flagsOf(command);
      for (const flag of ['--env', '--config']) expect(help, `${command} ${flag}`).toContain(flag);
    }
    for (const flag of ['--detailed-exitcode', '--out', '--github-comment']) expect(await flagsOf('plan')).toContain(flag);
    expect(await flagsOf('apply')).toContain('--github-deployment');
    for (const flag of ['--github-comment', '--cleanup']) expect(await flagsOf('preview')).toContain(flag);
    const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.build).toBeDefined();
    expect(existsSync(path.join(repoRoot, 'package-lock.json'))).toBe(true);
  });
});

describe('action.yml executed step by step against the simulator', () => {
  let sim: Simulator;
  let repo: FixtureRepo;
  let github: FakeGitHub;
  let tmp: string;
  let shimDir: string;
  let npmLog: string;

  beforeAll(async () => {
    ensureBuilt();
    sim = await startSim('1.14.1');
    github = await startFakeGitHub();
    repo = await createFixtureRepo({ prod: sim.url });
    repo.env.SECRET_UPSTREAM_TOKEN = CANARY;
    await repo.writeApp({ name: 'gated', dsl: gatedDsl() });
    tmp = await mkdtemp(path.join(tmpdir(), 'dify-gitops-action-yml-'));
    shimDir = path.join(tmp, 'bin');
    npmLog = path.join(tmp, 'npm.log');
    await mkdir(shimDir);
    await writeFile(path.join(shimDir, 'npm'), `#!/usr/bin/env bash\necho "$PWD|$*" >> '${npmLog}'\n`);
    await chmod(path.join(shimDir, 'npm'), 0o755);
  });
  afterAll(async () => {
    await sim.close();
    await github.close();
    await repo.cleanup();
    await rm(tmp, { recursive: true, force: true });
  });

  async function runAction(
    inputs: Record<string, string>,
    event: 'pull_request' | 'pull_request_target' | 'push',
    headRepository?: string,
    workspace: FixtureRepo = repo,
  ): Promise<ActionRun & { actions: ActionsRun; runnerTemp: string }> {
    // pull_request_target carries the same pull request payload; only the event name differs.
    const actions = await actionsRun(github, { event: event === 'push' ? 'push' : 'pull_request', ...(headRepository ? { headRepository } : {}) });
    actions.env.GITHUB_EVENT_NAME = event;
    const runnerTemp = await mkdtemp(path.join(tmp, 'runner-'));
    const env = { ...actions.env, ...(workspace.env as Record<string, string>), HOME: tmp, CI: 'true', PATH: `${shimDir}${path.delimiter}${process.env.PATH ?? ''}` };
    const run = await runCompositeAction({
      action,
      with: inputs,
      env,
      actionPath: repoRoot,
      workspace: workspace.dir,
      tempDir: runnerTemp,
      github: { token: actions.env.GITHUB_TOKEN!, action_path: repoRoot, event_name: event },
    });
    await actions.cleanup();
    return { ...run, actions, runnerTemp };
  }

  /** Lines of the step's output that carry the canary: only ::add-mask:: may. */
  function unmasked(text: string): string[] {
    return text.split('\n').filter((l) => l.includes(CANARY) && !l.startsWith('::add-mask::'));
  }

  it('validate: install step runs npm ci and the build in the action path; exit code 0 in the outputs', async () => {
    const run = await runAction({ command: 'validate', environment: 'prod' }, 'push');
    expect(run.steps.map((s) => s.skipped ?? s.code)).toEqual(['uses', 0, 0]);
    expect(run.steps[2]!.name).toBe('dify-gitops validate');
    expect((await readFile(npmLog, 'utf8')).trim().split('\n')).toEqual([`${repoRoot}|ci --ignore-scripts --no-audit --no-fund --loglevel=error`, `${repoRoot}|run build --silent`]);
    expect(run.outputs).toEqual({ 'exit-code': '0', 'has-changes': 'false', 'plan-file': '' });
    expect(run.stdout).toContain('::add-matcher::');
  });

  it('plan on a pull request: outputs say changes and name the saved plan; the sticky comment is posted; nothing is changed', async () => {
    const run = await runAction({ command: 'plan', environment: 'prod' }, 'pull_request');
    expect(run.code).toBe(0);
    const planFile = path.join(run.runnerTemp, 'dify-gitops-plan-prod.json');
    expect(run.outputs).toEqual({ 'exit-code': '2', 'has-changes': 'true', 'plan-file': planFile });
    const plan = await readFile(planFile, 'utf8');
    expect(plan).toContain('gated');
    const comments = github.state.comments.filter((c) => c.issue_number === 7);
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain('gated');
    expect((await listApps()).map((a) => a.name)).toEqual([]);
    expect(unmasked(run.stdout + (run.steps[2]!.stderr ?? '') + plan + comments[0]!.body + run.summary)).toEqual([]);
  });

  it('apply on push: the app is created and published in Dify; plan afterwards has nothing to do', async () => {
    const applied = await runAction({ command: 'apply', environment: 'prod', 'github-reporting': 'false' }, 'push');
    expect(applied.steps[2]!.code, applied.steps[2]!.stderr).toBe(0);
    expect(applied.outputs).toEqual({ 'exit-code': '0', 'has-changes': 'false', 'plan-file': '' });
    const apps = await listApps();
    expect(apps.map((a) => a.name)).toEqual(['gated']);
    expect(apps[0]!.published).toBe(true);
    expect(unmasked(applied.stdout + (applied.steps[2]!.stderr ?? ''))).toEqual([]);

    const again = await runAction({ command: 'plan', environment: 'prod', 'github-reporting': 'false' }, 'push');
    expect(again.outputs).toMatchObject({ 'exit-code': '0', 'has-changes': 'false' });
  });

  it('reconcile: drift made in the Dify UI is reported (exit-code 2, has-changes) without failing the step, and opens one drift issue', async () => {
    const client = simClient(sim);
    try {
      const [app] = await client.apps.list();
      const draft = (await client.drafts.get(app!.id))!;
      const graph = structuredClone(draft.graph) as { nodes: { data: Record<string, unknown> }[] };
      graph.nodes[0]!.data.title = 'Renamed in the UI';
      const variables = draft.environment_variables.map((v) => (v.value_type === 'secret' ? { ...v, value: '[__HIDDEN__]' } : v));
      await client.drafts.sync(app!.id, { graph, features: draft.features ?? {}, hash: draft.hash, environment_variables: variables, conversation_variables: draft.conversation_variables });
      await client.versions.publish(app!.id);
    } finally {
      await client.close();
    }
    const issuesBefore = github.state.issues.length;
    const run = await runAction({ command: 'reconcile', environment: 'prod' }, 'push');
    expect(run.code, run.steps[2]!.stderr).toBe(0);
    expect(run.outputs).toEqual({ 'exit-code': '2', 'has-changes': 'true', 'plan-file': '' });
    expect(run.stdout).toContain('drift');
    expect(github.state.issues.length).toBe(issuesBefore + 1);
    expect(github.state.issues.at(-1)!.title).toContain('prod');
    expect(unmasked(run.stdout + (run.steps[2]!.stderr ?? ''))).toEqual([]);
  });

  it('fails the step with the command’s exit code, and refuses an unknown command before running anything', async () => {
    const unknownEnv = await runAction({ command: 'validate', environment: 'staging' }, 'push');
    expect(unknownEnv.code).toBe(1);
    expect(unknownEnv.outputs['exit-code']).toBe('1');
    const bad = await runAction({ command: 'plan; rm -rf /' }, 'push');
    expect(bad.code).toBe(1);
    expect(bad.outputs).toEqual({ 'exit-code': '', 'has-changes': '', 'plan-file': '' });
    expect(bad.stdout).toContain("::error title=dify-gitops::input command must be plan, apply, validate, reconcile, rotate or preview, not 'plan; rm -rf /'");
  });

  it('refuses pull_request_target on a fork’s pull request before running anything; runs it for a same-repository one', async () => {
    const commentsBefore = github.state.comments.length;
    const fork = await runAction({ command: 'plan', environment: 'prod' }, 'pull_request_target', 'mallory/dify-apps');
    expect(fork.code).toBe(1);
    expect(fork.stdout).toContain("::error title=dify-gitops::refusing to run on a fork's pull request under pull_request_target");
    expect(fork.stdout).not.toContain('::add-matcher::');
    expect(fork.outputs['exit-code']).toBe('');
    expect(github.state.comments.length).toBe(commentsBefore);
    const same = await runAction({ command: 'validate', environment: 'prod' }, 'pull_request_target');
    expect(same.code).toBe(0);
    expect(same.outputs['exit-code']).toBe('0');
  });

  // Last: it adds apps to the simulator the tests above count.
  it('preview on a pull request: the preview app is built in the dev environment and reported in the pull request', async () => {
    const devRepo = await createPreviewRepo({ dev: sim.url }, ['dev']);
    try {
      await devRepo.writeApp({ name: 'previewed', dsl: workflowDsl({ name: 'previewed' }) });
      await devRepo.commit('base');
      const commentsBefore = github.state.comments.filter((c) => c.issue_number === 7).map((c) => c.id);
      const run = await runAction({ command: 'preview', environment: 'dev', args: '--all' }, 'pull_request', undefined, devRepo);
      expect(run.steps[2]!.code, run.steps[2]!.stderr).toBe(0);
      expect(run.outputs).toEqual({ 'exit-code': '0', 'has-changes': 'false', 'plan-file': '' });
      const preview = sim.state.apps.find((a) => a.name === 'previewed [pr-7]');
      expect(preview?.workflow_id).toBeTruthy();
      const comment = github.state.comments.find((c) => c.issue_number === 7 && !commentsBefore.includes(c.id) && c.body.includes('previewed [pr-7]'));
      expect(comment?.body).toMatch(/preview/i);

      const cleaned = await runAction({ command: 'preview', environment: 'dev', args: '--cleanup --pr 7' }, 'pull_request', undefined, devRepo);
      expect(cleaned.steps[2]!.code, cleaned.steps[2]!.stderr).toBe(0);
      expect(sim.state.apps.some((a) => a.name === 'previewed [pr-7]')).toBe(false);
    } finally {
      await devRepo.cleanup();
    }
  });

  async function listApps(): Promise<{ name: string; published: boolean }[]> {
    const client = simClient(sim);
    try {
      const apps = await client.apps.list();
      return await Promise.all(apps.map(async (a) => ({ name: a.name, published: (await client.apps.publishedWorkflowId(a.id)) !== null })));
    } finally {
      await client.close();
    }
  }
});
