// Runs a composite action (action.yml) on this machine the way a GitHub Actions runner does, for
// tests: each `run:` step as `bash --noprofile --norc -eo pipefail <script file>` in its
// working-directory, with the step's `env:`, a fresh $GITHUB_OUTPUT file per step (read back into
// `steps.<id>.outputs`), shared $GITHUB_ENV / $GITHUB_STEP_SUMMARY / $GITHUB_PATH files, and
// GITHUB_ACTION_PATH. `${{ … }}` is evaluated by a deliberately small evaluator that knows only
// the expression forms action.yml uses (`inputs.*`, `github.*`, `steps.*.outputs.*`): anything
// else throws, so a new expression must be taught here before a test can pass.
// `uses:` steps are not run (they fetch code from GitHub); the caller asserts they are pinned.
// Like the runner, no INPUT_<NAME> variables are set for composite actions (actions/runner#665):
// a script must receive its inputs through `env:`.

import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);

export interface ActionStep {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  shell?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
  'working-directory'?: string;
}

export interface ActionInput {
  description?: string;
  required?: boolean;
  default?: string;
}

export interface ActionFile {
  name: string;
  inputs: Record<string, ActionInput>;
  outputs: Record<string, { description?: string; value: string }>;
  runs: { using: string; steps: ActionStep[] };
}

export interface ExpressionContext {
  inputs: Record<string, string>;
  github: Record<string, string>;
  steps: Record<string, { outputs: Record<string, string> }>;
}

const EXPRESSION = /\$\{\{\s*(.+?)\s*\}\}/g;

/** Every `${{ … }}` expression body in a text. */
export function expressionsIn(text: string): string[] {
  return [...text.matchAll(EXPRESSION)].map((m) => m[1]!);
}

/** Evaluates one expression body: `inputs.<name>`, `github.<name>` or `steps.<id>.outputs.<name>`. */
export function evaluate(expression: string, ctx: ExpressionContext): string {
  let m = /^inputs\.([A-Za-z_][\w-]*)$/.exec(expression);
  if (m) {
    const value = ctx.inputs[m[1]!];
    if (value === undefined) throw new Error(`\${{ ${expression} }}: no input ${m[1]!}`);
    return value;
  }
  m = /^github\.([a-z_]+)$/.exec(expression);
  if (m) {
    const value = ctx.github[m[1]!];
    if (value === undefined) throw new Error(`\${{ ${expression} }}: the evaluator has no github.${m[1]!}`);
    return value;
  }
  m = /^steps\.([A-Za-z_][\w-]*)\.outputs\.([A-Za-z_][\w-]*)$/.exec(expression);
  // An unset step output evaluates to '' on the runner.
  if (m) return ctx.steps[m[1]!]?.outputs[m[2]!] ?? '';
  throw new Error(`\${{ ${expression} }}: not an expression form this evaluator knows`);
}

export function substitute(text: string, ctx: ExpressionContext): string {
  return text.replace(EXPRESSION, (_all, body: string) => evaluate(body, ctx));
}

/** `name=value` lines and `name<<DELIM … DELIM` blocks, as the runner reads $GITHUB_OUTPUT / $GITHUB_ENV. */
export function parseCommandFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') continue;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const body: string[] = [];
      for (i++; i < lines.length && lines[i] !== heredoc[2]; i++) body.push(lines[i]!);
      out[heredoc[1]!] = body.join('\n');
      continue;
    }
    const eq = line.indexOf('=');
    if (eq < 0) throw new Error(`malformed command file line: ${line}`);
    out[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return out;
}

export interface RunActionOptions {
  action: ActionFile;
  /** The `with:` of the workflow step; defaults from action.yml fill the rest. */
  with: Record<string, string>;
  /** The runner's and the job's environment (GITHUB_*, secrets the workflow put in `env:`). */
  env: Record<string, string>;
  actionPath: string;
  workspace: string;
  /** A private temporary directory for the runner's files. */
  tempDir: string;
  github: Record<string, string>;
}

export interface StepResult {
  name: string;
  skipped?: 'uses' | 'earlier-failure';
  code?: number;
  stdout?: string;
  stderr?: string;
}

export interface ActionRun {
  steps: StepResult[];
  /** The action's outputs, evaluated after its steps. */
  outputs: Record<string, string>;
  /** 0 when every run step succeeded, else the failing step's exit code. */
  code: number;
  stdout: string;
  summary: string;
}

export async function runCompositeAction(options: RunActionOptions): Promise<ActionRun> {
  const { action } = options;
  if (action.runs.using !== 'composite') throw new Error(`runs.using is ${action.runs.using}, not composite`);
  const inputs: Record<string, string> = {};
  for (const [name, spec] of Object.entries(action.inputs)) {
    const given = options.with[name];
    if (given === undefined && spec.required === true) throw new Error(`input ${name} is required`);
    inputs[name] = given ?? substitute(spec.default ?? '', { inputs: {}, github: options.github, steps: {} });
  }
  for (const name of Object.keys(options.with)) if (!(name in action.inputs)) throw new Error(`with: ${name} is not an input of the action`);
  const ctx: ExpressionContext = { inputs, github: options.github, steps: {} };
  const files = { GITHUB_ENV: 'env', GITHUB_STEP_SUMMARY: 'step-summary.md', GITHUB_PATH: 'path' };
  for (const file of Object.values(files)) await writeFile(path.join(options.tempDir, file), '');
  const steps: StepResult[] = [];
  let code = 0;
  let stdout = '';
  for (const [index, step] of action.runs.steps.entries()) {
    const name = substitute(step.name ?? step.uses ?? step.run?.split('\n')[0] ?? `step ${index}`, ctx);
    if (step.uses !== undefined) {
      for (const value of Object.values(step.with ?? {})) substitute(String(value), ctx);
      steps.push({ name, skipped: 'uses' });
      continue;
    }
    if (code !== 0) {
      steps.push({ name, skipped: 'earlier-failure' });
      continue;
    }
    if (step.shell !== 'bash') throw new Error(`step ${name}: composite run steps need shell: bash (has ${String(step.shell)})`);
    const outputFile = path.join(options.tempDir, `output-${index}`);
    const scriptFile = path.join(options.tempDir, `step-${index}.sh`);
    await writeFile(outputFile, '');
    await writeFile(scriptFile, substitute(step.run ?? '', ctx));
    const exported = parseCommandFile(await readFile(path.join(options.tempDir, files.GITHUB_ENV), 'utf8'));
    const addedPath = (await readFile(path.join(options.tempDir, files.GITHUB_PATH), 'utf8')).split('\n').filter((l) => l !== '');
    const stepEnv = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, substitute(String(v), ctx)]));
    const env: Record<string, string> = {
      ...options.env,
      ...exported,
      ...Object.fromEntries(Object.entries(files).map(([k, f]) => [k, path.join(options.tempDir, f)])),
      GITHUB_OUTPUT: outputFile,
      GITHUB_ACTION_PATH: options.actionPath,
      GITHUB_WORKSPACE: options.workspace,
      RUNNER_TEMP: options.tempDir,
      ...stepEnv,
    };
    env.PATH = [...addedPath.reverse(), options.env.PATH ?? ''].join(path.delimiter);
    const cwd = path.resolve(options.workspace, substitute(step['working-directory'] ?? '.', ctx));
    let result: StepResult;
    try {
      const done = await exec('bash', ['--noprofile', '--norc', '-eo', 'pipefail', scriptFile], { cwd, env, maxBuffer: 64 * 1024 * 1024 });
      result = { name, code: 0, stdout: done.stdout, stderr: done.stderr };
    } catch (error) {
      const e = error as { code?: number; stdout?: string; stderr?: string };
      result = { name, code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
    }
    steps.push(result);
    stdout += result.stdout ?? '';
    if (step.id !== undefined) ctx.steps[step.id] = { outputs: parseCommandFile(await readFile(outputFile, 'utf8')) };
    if (result.code !== 0) code = result.code!;
  }
  const outputs = Object.fromEntries(Object.entries(action.outputs).map(([name, spec]) => [name, substitute(spec.value, ctx)]));
  const summary = await readFile(path.join(options.tempDir, files.GITHUB_STEP_SUMMARY), 'utf8');
  return { steps, outputs, code, stdout, summary };
}
