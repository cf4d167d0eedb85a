// `dify-gitops fmt` implementation: finds DSL files, formats each with formatDsl (pure), and
// writes the ones that changed, or with --check only lists them. Parse errors are printed as
// diagnostics and make the exit code 1; other files are still formatted.

import { readdir, stat, writeFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { readRepoFile } from '../../config/repo-files.js';
import { formatDiagnostic, type Diagnostic } from '../../diagnostics.js';
import { formatDsl, looksLikeDsl } from '../../dsl/index.js';
import { ExitCode } from '../../exit-codes.js';
import { DEFAULT_YAML_LIMITS, parseYaml } from '../../yaml/parse-yaml.js';
import type { CliContext } from '../context.js';

export interface FmtOptions {
  check?: boolean | undefined;
}

const SKIPPED_DIRS = new Set(['node_modules', '.git', 'dist', '.dify-gitops', 'coverage']);

export async function run(ctx: CliContext, paths: string[], options: FmtOptions): Promise<ExitCode> {
  const diagnostics: Diagnostic[] = [];
  const targets = await collectTargets(ctx, paths, diagnostics);
  const changed: string[] = [];
  for (const target of targets) {
    const file = displayPath(ctx, target.path);
    const read = await readRepoFile(target.path, file, DEFAULT_YAML_LIMITS.maxBytes);
    if (!read.ok) {
      diagnostics.push(read.diagnostic);
      continue;
    }
    // Directory walks pick DSL files by content; files named on the command line are always DSL.
    if (!target.explicit) {
      const yaml = parseYaml(read.text, { version: '1.1' });
      if (yaml.ok && !looksLikeDsl(yaml.value)) continue;
    }
    const result = formatDsl(read.text, file);
    if (!result.ok) {
      diagnostics.push(...result.diagnostics);
      continue;
    }
    if (!result.changed) continue;
    changed.push(file);
    if (options.check) {
      ctx.out(`would reformat ${file}\n`);
    } else {
      await writeFile(target.path, result.text, 'utf8');
      ctx.out(`formatted ${file}\n`);
    }
  }
  for (const d of diagnostics) ctx.err(`${formatDiagnostic(d)}\n`);
  if (diagnostics.some((d) => d.severity === 'error')) return ExitCode.Error;
  if (options.check && changed.length > 0) {
    ctx.err(`${changed.length} file${changed.length === 1 ? '' : 's'} would be reformatted; run \`dify-gitops fmt\`\n`);
    return ExitCode.Error;
  }
  return ExitCode.Ok;
}

interface Target {
  path: string;
  explicit: boolean;
}

async function collectTargets(ctx: CliContext, paths: string[], diagnostics: Diagnostic[]): Promise<Target[]> {
  const roots = paths.length > 0 ? paths : ['workflows'];
  const targets = new Map<string, Target>();
  for (const p of roots) {
    const absolute = resolve(ctx.cwd, p);
    const info = await stat(absolute).catch(() => undefined);
    if (!info) {
      // The default directory may simply not exist yet; a named path must.
      if (paths.length > 0) diagnostics.push({ file: p, line: 0, col: 0, severity: 'error', code: 'file-not-found', message: `${p} does not exist` });
      continue;
    }
    if (info.isDirectory()) {
      for (const file of await yamlFilesUnder(absolute, 0)) if (!targets.has(file)) targets.set(file, { path: file, explicit: false });
    } else {
      targets.set(absolute, { path: absolute, explicit: true });
    }
  }
  return [...targets.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

async function yamlFilesUnder(dir: string, depth: number): Promise<string[]> {
  if (depth > 24) return [];
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const out: string[] = [];
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && !SKIPPED_DIRS.has(entry.name) && !entry.name.startsWith('.')) out.push(...(await yamlFilesUnder(path, depth + 1)));
    else if (entry.isFile() && /\.ya?ml$/.test(entry.name)) out.push(path);
  }
  return out;
}

function displayPath(ctx: CliContext, absolute: string): string {
  const rel = relative(ctx.cwd, absolute);
  return (rel.startsWith('..') ? absolute : rel).split(sep).join('/');
}
