// The state directory (default `.dify-gitops/` at the repo root) holds what must never enter git:
// snapshots with secrets, the apply journal, locks, the rotation ledger, reconcile memory.
// It is created 0700 and carries its own `.gitignore` (`*`), so it is git-ignored wherever it is.

import { mkdir, writeFile } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';

export const DEFAULT_STATE_DIR = '.dify-gitops';

export function resolveStateDir(cwd: string, configured?: string): string {
  const dir = configured ?? DEFAULT_STATE_DIR;
  return isAbsolute(dir) ? dir : resolve(cwd, dir);
}

/** Creates the directory (0700) and its self-ignoring .gitignore; idempotent. */
export async function ensureStateDir(dir: string): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeFile(join(dir, '.gitignore'), '# Written by dify-gitops: this directory holds secrets and local state.\n*\n', {
    mode: 0o600,
  });
  return dir;
}

/** A path segment safe for file names, from an environment or app name. */
export function safeSegment(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9._-]/g, '_');
  return cleaned === '' || cleaned === '.' || cleaned === '..' ? '_' : cleaned;
}
