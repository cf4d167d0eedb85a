// `dify-gitops diff` implementation: reads both sides (files or `git show <rev>:<path>` through
// execFile, never a shell), parses, normalises and diffs them with the pure DSL core, and
// renders the result. Exit 0 = same, 2 = different, 1 = error.

import { execFile } from 'node:child_process';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { promisify } from 'node:util';
import { readRepoFile } from '../../config/repo-files.js';
import { formatDiagnostic, type Diagnostic } from '../../diagnostics.js';
import {
  datasetIdsOf,
  diffDsl,
  isEncryptedDatasetId,
  normalizeDsl,
  parseDsl,
  renderDiffJson,
  renderDiffMarkdown,
  renderDiffText,
  SECRET_MARKER,
  validateIgnoreRule,
  type DslDocument,
  type IgnoreRule,
  type NormalizeOptions,
} from '../../dsl/index.js';
import { InputError, UsageError } from '../../errors.js';
import { ExitCode } from '../../exit-codes.js';
import { DEFAULT_YAML_LIMITS } from '../../yaml/parse-yaml.js';
import type { CliContext } from '../context.js';

const run_git = promisify(execFile);

export interface DiffOptions {
  format?: 'text' | 'markdown' | 'json' | undefined;
  ignore?: string[] | undefined;
}

export async function run(ctx: CliContext, oldSpec: string, newSpec: string, options: DiffOptions): Promise<ExitCode> {
  const ignore: IgnoreRule[] = (options.ignore ?? []).map((path) => ({ path }));
  for (const rule of ignore) {
    const problem = validateIgnoreRule(rule);
    if (problem) throw new UsageError(`--ignore ${rule.path}: ${problem}`);
  }
  const [before, after] = [await load(ctx, oldSpec), await load(ctx, newSpec)];
  if (!before || !after) return ExitCode.Error;

  const normalize: NormalizeOptions = { ignore };
  // Plain ids (UUIDs, logical names) compare as themselves. Once either side holds ids encrypted by
  // an export, ids cannot be compared without the workspace key: only their number is compared.
  const encrypted = [...datasetIdsOf(before), ...datasetIdsOf(after)].some(isEncryptedDatasetId);
  if (!encrypted) normalize.datasetRef = (id) => id;
  else ctx.err('note: knowledge-base ids are encrypted on one side; only their number is compared\n');

  const diff = diffDsl(normalizeDsl(before, normalize), normalizeDsl(after, normalize));
  const format = options.format ?? 'text';
  ctx.out(format === 'json' ? renderDiffJson(diff) : format === 'markdown' ? renderDiffMarkdown(diff) : renderDiffText(diff, { color: ctx.isTTY }));
  return diff.summary.total === 0 ? ExitCode.Ok : ExitCode.Changes;
}

/** Reads and parses one side; prints its diagnostics and returns undefined when it is not valid. */
async function load(ctx: CliContext, spec: string): Promise<DslDocument | undefined> {
  const source = spec.startsWith('git:') ? await readFromGit(ctx, spec) : await readFromDisk(ctx, spec);
  if ('diagnostic' in source) {
    ctx.err(`${formatDiagnostic(source.diagnostic)}\n`);
    return undefined;
  }
  const { text, file } = source;
  const parsed = parseDsl(text, file);
  if (parsed.ok) {
    // Secret values are masked by normalisation; registering them too keeps any other path quiet.
    for (const v of parsed.dsl.workflow?.environment_variables ?? []) {
      if (v.value_type === 'secret' && typeof v.value === 'string' && v.value !== SECRET_MARKER) ctx.redactor.add(v.value);
    }
  }
  for (const d of parsed.diagnostics) ctx.err(`${formatDiagnostic(d)}\n`);
  return parsed.ok ? parsed.dsl : undefined;
}

async function readFromDisk(ctx: CliContext, spec: string): Promise<{ text: string; file: string } | { diagnostic: Diagnostic }> {
  const absolute = resolve(ctx.cwd, spec);
  const rel = relative(ctx.cwd, absolute);
  const file = (rel.startsWith('..') || isAbsolute(rel) ? absolute : rel).split(sep).join('/');
  // Size-capped: a file over Dify's 10 MB limit is refused before it is read.
  const read = await readRepoFile(absolute, file, DEFAULT_YAML_LIMITS.maxBytes);
  return read.ok ? { text: read.text, file } : { diagnostic: read.diagnostic };
}

/** `git:<rev>:<path>`: the revision is everything up to the last colon before the path. */
async function readFromGit(ctx: CliContext, spec: string): Promise<{ text: string; file: string }> {
  const rest = spec.slice('git:'.length);
  const colon = rest.indexOf(':');
  if (colon <= 0 || colon === rest.length - 1) throw new UsageError(`${spec}: expected git:<rev>:<path>, e.g. git:HEAD~1:workflows/app.dsl.yml`);
  const rev = rest.slice(0, colon);
  const path = rest.slice(colon + 1);
  if (rev.startsWith('-')) throw new UsageError(`${spec}: a revision cannot start with '-'`);
  // `./` makes git resolve the path from the working directory, like a file argument.
  const object = `${rev}:${isAbsolute(path) || path.startsWith('./') ? path : `./${path}`}`;
  try {
    const { stdout } = await run_git('git', ['show', object], {
      cwd: ctx.cwd,
      encoding: 'utf8',
      maxBuffer: DEFAULT_YAML_LIMITS.maxBytes + 1024,
      env: { ...ctx.env, GIT_TERMINAL_PROMPT: '0' },
    });
    return { text: stdout, file: spec };
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string; code?: string | number };
    if (e.code === 'ENOENT') throw new InputError('git-not-found', 'git is not installed or not on PATH', { file: spec });
    if (e.code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') {
      throw new InputError('yaml-too-large', `the file is larger than ${DEFAULT_YAML_LIMITS.maxBytes} bytes`, { file: spec });
    }
    const reason = (e.stderr ?? '').trim().split('\n')[0] || e.message;
    throw new InputError('git-show-failed', `git show ${object} failed: ${reason}`, { file: spec });
  }
}
