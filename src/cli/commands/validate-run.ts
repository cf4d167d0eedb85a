// `dify-gitops validate` implementation. Whole-repository mode loads everything through
// src/config (which also lints each DSL per environment); path mode parses and lints only the
// given DSL files. Either way every problem is printed, sorted, followed by one summary line, and
// the exit code is 1 exactly when there is an error.

import { readdir, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { findConfigFile, loadRepository } from '../../config/index.js';
import { readRepoFile, toRepoPath } from '../../config/repo-files.js';
import { formatDiagnostic, sortDiagnostics, type Diagnostic } from '../../diagnostics.js';
import { lintDsl, parseDsl } from '../../dsl/index.js';
import { UsageError } from '../../errors.js';
import { ExitCode } from '../../exit-codes.js';
import { DEFAULT_YAML_LIMITS } from '../../yaml/parse-yaml.js';
import type { CliContext } from '../context.js';

export interface ValidateOptions {
  env?: string | undefined;
  config?: string | undefined;
  format?: 'text' | 'json' | undefined;
}

export interface ValidateReport {
  diagnostics: Diagnostic[];
  summary: { errors: number; warnings: number };
}

export async function run(ctx: CliContext, paths: string[], options: ValidateOptions): Promise<ExitCode> {
  const result = paths.length > 0 ? await validatePaths(ctx, paths, options) : await validateRepository(ctx, options);
  const diagnostics = sortDiagnostics(result.diagnostics);
  const summary = {
    errors: diagnostics.filter((d) => d.severity === 'error').length,
    warnings: diagnostics.filter((d) => d.severity === 'warning').length,
  };
  if (options.format === 'json') {
    ctx.out(`${JSON.stringify(renderJson({ diagnostics, summary }), null, 2)}\n`);
  } else {
    for (const d of diagnostics) ctx.out(`${formatDiagnostic(d)}\n`);
    ctx.out(`${summaryLine(summary, result.scope)}\n`);
  }
  return summary.errors > 0 ? ExitCode.Error : ExitCode.Ok;
}

interface Checked {
  diagnostics: Diagnostic[];
  /** What was checked, for the summary line: "3 apps in 3 environments". */
  scope: string;
}

async function validateRepository(ctx: CliContext, options: ValidateOptions): Promise<Checked> {
  const repo = await loadRepository({ cwd: ctx.cwd, configPath: options.config, env: ctx.env, onlyEnvironment: options.env, redactor: ctx.redactor });
  const environments = options.env === undefined ? repo.environments.length : 1;
  return {
    diagnostics: repo.diagnostics,
    scope: `${plural(repo.apps.length, 'app')} in ${plural(environments, 'environment')}, ${plural(repo.outputSchemas.length, 'output schema')}`,
  };
}

async function validatePaths(ctx: CliContext, paths: string[], options: ValidateOptions): Promise<Checked> {
  if (options.env !== undefined) throw new UsageError('--env applies to the whole repository; it cannot be combined with DSL paths');
  const root = repoRootFor(ctx, options);
  const files = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  for (const path of paths) {
    const absolute = resolve(ctx.cwd, path);
    const info = await stat(absolute).catch(() => undefined);
    if (info === undefined) {
      diagnostics.push({ file: toRepoPath(root, absolute), line: 0, col: 0, severity: 'error', code: 'file-not-found', message: `${path} does not exist` });
    } else if (info.isDirectory()) {
      for (const file of await dslFilesUnder(absolute)) files.add(file);
    } else {
      files.add(absolute);
    }
  }
  for (const absolute of [...files].sort()) {
    const file = toRepoPath(root, absolute);
    const read = await readRepoFile(absolute, file, DEFAULT_YAML_LIMITS.maxBytes);
    if (!read.ok) {
      diagnostics.push(read.diagnostic);
      continue;
    }
    const parsed = parseDsl(read.text, file);
    diagnostics.push(...parsed.diagnostics);
    if (parsed.ok) diagnostics.push(...lintDsl(parsed));
  }
  return { diagnostics, scope: plural(files.size, 'DSL file') };
}

/** Paths print relative to the repository root when there is one, else to the working directory. */
function repoRootFor(ctx: CliContext, options: ValidateOptions): string {
  try {
    return dirname(findConfigFile({ cwd: ctx.cwd, configPath: options.config, env: ctx.env }));
  } catch {
    return ctx.cwd;
  }
}

async function dslFilesUnder(dir: string, depth = 0): Promise<string[]> {
  if (depth > 24) return [];
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const out: string[] = [];
  for (const entry of entries) {
    if (entry.isDirectory() && !['node_modules', '.git', 'dist', '.dify-gitops'].includes(entry.name)) {
      out.push(...(await dslFilesUnder(join(dir, entry.name), depth + 1)));
    } else if (entry.isFile() && /\.dsl\.ya?ml$/.test(entry.name)) {
      out.push(join(dir, entry.name));
    }
  }
  return out;
}

/** Fixed key order, so the JSON is stable for scripts and snapshots. */
function renderJson(report: ValidateReport): ValidateReport {
  return {
    diagnostics: report.diagnostics.map((d) => ({
      file: d.file,
      line: d.line,
      col: d.col,
      severity: d.severity,
      code: d.code,
      message: d.message,
      ...(d.path === undefined ? {} : { path: d.path }),
    })),
    summary: { errors: report.summary.errors, warnings: report.summary.warnings },
  };
}

function summaryLine(summary: ValidateReport['summary'], scope: string): string {
  const counts = `${plural(summary.errors, 'error')}, ${plural(summary.warnings, 'warning')}`;
  return summary.errors > 0 ? `invalid: ${counts} (checked ${scope})` : `valid: ${scope}; ${counts}`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
