// Reading the repository's files for the loader: size-capped reads that turn every failure into a
// Diagnostic naming the file, a containment check (symlinks included) so a manifest cannot make a
// PR plan print /etc/passwd, and the directory walk behind `apps.manifests` globs.

import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, sep } from 'node:path';
import type { Diagnostic } from '../diagnostics.js';
import { globBase, globToRegExp } from './glob.js';
import { fileDiagnostic } from './yaml-source.js';

const SKIPPED_DIRS = new Set(['node_modules', '.git', 'dist', '.dify-gitops', 'coverage']);
const MAX_WALK_DEPTH = 24;

export function toRepoPath(root: string, absolute: string): string {
  return relative(root, absolute).split(sep).join('/');
}

export type ReadResult = { ok: true; text: string } | { ok: false; diagnostic: Diagnostic };

/** Reads a text file, refusing anything larger than `maxBytes` before reading it. */
export async function readRepoFile(absolute: string, file: string, maxBytes: number): Promise<ReadResult> {
  try {
    const info = await stat(absolute);
    if (info.isDirectory()) return { ok: false, diagnostic: fileDiagnostic(file, 'file-not-found', `${file} is a directory, not a file`) };
    if (info.size > maxBytes) {
      return { ok: false, diagnostic: { ...fileDiagnostic(file, 'yaml-too-large', `file is ${info.size} bytes; the limit is ${maxBytes} bytes`), line: 1, col: 1 } };
    }
    return { ok: true, text: await readFile(absolute, 'utf8') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message = code === 'ENOENT' ? `${file} does not exist` : `cannot read ${file} (${code ?? 'unknown error'})`;
    return { ok: false, diagnostic: fileDiagnostic(file, 'file-not-found', message) };
  }
}

/** Whether `absolute` (after resolving symlinks, when it exists) lies inside `root`. */
export async function isInsideRoot(root: string, absolute: string): Promise<boolean> {
  const realRoot = await realpath(root).catch(() => root);
  const real = await realpath(absolute).catch(() => absolute);
  const rel = relative(realRoot, real);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/** Repo-relative files matching a glob, sorted. Skips node_modules, .git, dist and state dirs. */
export async function expandGlob(root: string, pattern: string): Promise<string[]> {
  const regex = globToRegExp(pattern.replace(/^\.\//, ''));
  const base = globBase(pattern.replace(/^\.\//, ''));
  const matches: string[] = [];
  async function walk(dir: string, depth: number): Promise<void> {
    if (depth > MAX_WALK_DEPTH) return;
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const absolute = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) await walk(absolute, depth + 1);
      } else if (entry.isFile() && regex.test(toRepoPath(root, absolute))) {
        matches.push(toRepoPath(root, absolute));
      }
    }
  }
  await walk(join(root, base), 0);
  return matches.sort();
}

/** File names directly inside a directory (no recursion); empty when it does not exist. */
export async function listFiles(absoluteDir: string): Promise<string[]> {
  try {
    const entries = await readdir(absoluteDir, { withFileTypes: true });
    return entries.filter((e) => e.isFile()).map((e) => e.name).sort();
  } catch {
    return [];
  }
}
